/**
 * Builds a Hugging Face Papers search results page (/papers?q=...) in today's style from
 * ../shared/fixtures/huggingface/search-listing-as-text.txt, the text a reader sees on such a page (a
 * header, then each result's title and abstract). The text has no markup and no ids: the builder
 * invents one arXiv id per result (2403.10000 + rank) and writes each result as a card with its title
 * link and abstract, as the live page shows them. Used by the unit tests and the end-to-end tests.
 */

export interface SearchResultText {
  title: string;
  abstract: string;
}

/** The results in the text: the lines after the header, paired as title then abstract. */
export function parseSearchListingText(text: string): SearchResultText[] {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  let start = lines.indexOf('byAK and the research community') + 1;
  if (start > 0 && /^[A-Z][a-z]{2} \d{1,2}$/.test(lines[start])) start++; // the date under the header
  const body = lines.slice(start);
  const out: SearchResultText[] = [];
  for (let i = 0; i + 1 < body.length; i += 2) out.push({ title: body[i], abstract: body[i + 1] });
  return out;
}

export function inventedSearchId(rank: number): string {
  return `2403.${10000 + rank}`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function buildSearchPage(text: string, query = 'one layer transformer'): { html: string; url: string; results: SearchResultText[] } {
  const results = parseSearchListingText(text);
  const cards = results
    .map(
      (r, i) => `<article class="relative flex flex-col overflow-hidden rounded-xl border border-gray-100 bg-white px-6 py-5">
<h3 class="mb-1 text-lg font-semibold leading-tight hover:underline"><a href="/papers/${inventedSearchId(i)}" class="line-clamp-2">${esc(r.title)}</a></h3>
<p class="line-clamp-3 text-sm text-gray-600">${esc(r.abstract)}</p>
<div class="mt-2 flex items-center gap-3 text-xs text-gray-400"><span>Published on Mar 14</span><a href="/papers/${inventedSearchId(i)}#community" class="hover:underline">Discuss</a></div>
</article>`,
    )
    .join('\n');
  const html = `<!DOCTYPE html>
<!-- Hand-made (built by tests/sites/hf-search-page.ts from the search-listing-as-text fixture): a Hugging
     Face Papers search results page in today's style. Ids are invented; titles and abstracts are real. -->
<html><head><meta charset="utf-8"><title>Papers - Hugging Face</title></head>
<body><header class="border-b"><a href="/">Hugging Face</a> <a href="/papers">Papers</a></header>
<main class="flex flex-1 flex-col"><section class="container relative mb-20 mt-8">
<div class="mb-8 flex flex-col gap-2"><span class="text-xs font-semibold uppercase">new</span>
<h1 class="text-lg">Get trending papers in your email inbox!</h1><a href="/papers#subscribe" class="btn">Subscribe</a>
<p class="text-sm text-gray-500">byAK and the research community</p>
<form action="/papers"><input name="q" type="search" value="${esc(query)}"></form></div>
<div class="text-sm text-gray-400">Mar 14</div>
<div class="grid grid-cols-1 gap-6 md:grid-cols-2">
${cards}
</div></section></main></body></html>`;
  return { html, url: `https://huggingface.co/papers?q=${encodeURIComponent(query).replace(/%20/g, '+')}`, results };
}
