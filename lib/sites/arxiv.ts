/**
 * arXiv: listings (/list/<cat>/new, /recent, /pastweek, monthly archives, any `show=`), /catchup,
 * search results and abs pages.
 */
import { parseArxivId } from '@/lib/ids';
import type { PaperLinks } from '@/lib/model';
import { absoluteHref, cleanText, textsOf } from './dom';
import type { DetectedCard, SiteAdapter } from './types';

/**
 * Listing entries are `dt` + `dd` pairs inside `dl` elements.
 * - Current layout (checked on /list/astro-ph.CO/recent, 2026-07): one `dl#articles` per day (the id
 *   repeats), `dt > a[title="Abstract"][id=<arxiv id>]`.
 * - Pre-2024 layout (checked on /list/astro-ph.CO/pastweek, 2024-03): plain `dl` after an `h3` heading,
 *   `dt > span.list-identifier > a[title="Abstract"]`.
 * Both are found by the abs link inside a `dt`, which never changed.
 */
const LISTING_ABS_LINK = 'dl > dt a[href*="/abs/"]';
const LISTING_TITLE = 'div.list-title';
const LISTING_AUTHORS = 'div.list-authors a';
const LISTING_ABSTRACT = 'p.mathjax, p.abstract';

/** Search results (checked on /search/?searchtype=abstract, 2025-12): `li.arxiv-result`. */
const SEARCH_RESULT = 'li.arxiv-result';
const SEARCH_ABS_LINK = 'p.list-title a[href*="/abs/"]';
const SEARCH_TITLE = 'p.title';
const SEARCH_AUTHORS = 'p.authors a';
const SEARCH_ABSTRACT_FULL = 'p.abstract span.abstract-full';
const SEARCH_ABSTRACT = 'p.abstract';

/** Abs page (checked on /abs/2004.10162, 2020-04 layout; the citation metas are the same today). */
const ABS_ID_META = 'meta[name="citation_arxiv_id"]';
const ABS_TITLE = 'h1.title';
const ABS_AUTHORS = 'div.authors a';
const ABS_ABSTRACT = 'blockquote.abstract';
const ABS_ROOT = '#abs';

function arxivLinks(id: string, version?: string): PaperLinks {
  const bare = id.slice('arxiv:'.length);
  return {
    abs: `https://arxiv.org/abs/${bare}`,
    pdf: `https://arxiv.org/pdf/${bare}${version ?? ''}`,
    hf: /^\d/.test(bare) ? `https://huggingface.co/papers/${bare}` : undefined,
  };
}

function compact(links: PaperLinks): PaperLinks {
  return Object.fromEntries(Object.entries(links).filter(([, v]) => v)) as PaperLinks;
}

/** The version a listing shows: in the html link (`/html/2607.21497v1`), else none. */
function versionFrom(el: Element): string | undefined {
  for (const a of el.querySelectorAll('a[href*="/html/"], a[href*="/pdf/"]')) {
    const v = /\d(v\d+)(?:\.pdf)?\/?$/.exec(a.getAttribute('href') ?? '');
    if (v) return v[1];
  }
  return undefined;
}

function detectListing(doc: Document, url: URL): DetectedCard[] {
  const cards: DetectedCard[] = [];
  for (const link of doc.querySelectorAll(LISTING_ABS_LINK)) {
    const dt = link.closest('dt');
    if (!dt || dt.querySelector(LISTING_ABS_LINK) !== link) continue; // one card per dt: its first abs link
    const parsed = parseArxivId(link.getAttribute('href')!.replace(/^.*\/abs\//, '').replace(/[?#].*$/, ''));
    if (!parsed) continue;
    let dd = dt.nextElementSibling;
    while (dd && dd.tagName !== 'DD' && dd.tagName !== 'DT') dd = dd.nextElementSibling;
    const root = dd?.tagName === 'DD' ? dd : dt;
    const version = parsed.version ?? versionFrom(dt);
    cards.push({
      id: parsed.id,
      aliases: [],
      root,
      mount: { anchor: dt, position: 'beforeend' },
      title: cleanText(root.querySelector(LISTING_TITLE)),
      authors: textsOf(root.querySelectorAll(LISTING_AUTHORS)),
      links: compact({
        ...arxivLinks(parsed.id, version),
        html: absoluteHref(dt.querySelector('a[href*="/html/"]'), url),
      }),
      ...(version ? { version } : {}),
      ...abstractOf(root.querySelector(LISTING_ABSTRACT)),
    });
  }
  return cards;
}

function abstractOf(el: Element | null): { abstract?: string } {
  const text = cleanText(el, 'a.is-size-7'); // search results end with "▽ Less" / "△ More" toggles
  return text ? { abstract: text.replace(/\s*[△▽]\s*(More|Less)$/, '') } : {};
}

function detectSearch(doc: Document, url: URL): DetectedCard[] {
  const cards: DetectedCard[] = [];
  for (const li of doc.querySelectorAll(SEARCH_RESULT)) {
    const link = li.querySelector(SEARCH_ABS_LINK);
    const href = absoluteHref(link, url);
    const parsed = href ? parseArxivId(new URL(href).pathname.replace(/^\/abs\//, '')) : null;
    if (!parsed || !link) continue;
    const titleEl = li.querySelector(SEARCH_TITLE);
    cards.push({
      id: parsed.id,
      aliases: [],
      root: li,
      mount: { anchor: titleEl ?? li, position: titleEl ? 'beforeend' : 'afterbegin' },
      title: cleanText(titleEl),
      authors: textsOf(li.querySelectorAll(SEARCH_AUTHORS)),
      links: compact(arxivLinks(parsed.id, parsed.version)),
      ...(parsed.version ? { version: parsed.version } : {}),
      ...abstractOf(li.querySelector(SEARCH_ABSTRACT_FULL) ?? li.querySelector(SEARCH_ABSTRACT)),
    });
  }
  return cards;
}

function detectAbs(doc: Document, url: URL): DetectedCard[] {
  const fromMeta = doc.querySelector(ABS_ID_META)?.getAttribute('content');
  const fromUrl = /^\/abs\/(.+?)\/?$/.exec(url.pathname)?.[1];
  const parsed = parseArxivId(fromUrl ?? '') ?? parseArxivId(fromMeta ?? '');
  const root = doc.querySelector(ABS_ROOT) ?? doc.querySelector(ABS_TITLE)?.parentElement;
  if (!parsed || !root) return [];
  const titleEl = root.querySelector(ABS_TITLE);
  const metaAuthors = [...doc.querySelectorAll('meta[name="citation_author"]')].map((m) => m.getAttribute('content') ?? '').filter(Boolean);
  const authors = textsOf(root.querySelectorAll(ABS_AUTHORS));
  const version = parsed.version ?? versionFrom(doc.querySelector('.full-text, .extra-services') ?? root);
  return [
    {
      id: parsed.id,
      aliases: [],
      root,
      mount: { anchor: titleEl ?? root, position: titleEl ? 'afterend' : 'afterbegin' },
      title: cleanText(titleEl) || doc.querySelector('meta[name="citation_title"]')?.getAttribute('content')?.trim() || '',
      authors: authors.length ? authors : metaAuthors,
      links: compact(arxivLinks(parsed.id, version)),
      ...(version ? { version } : {}),
      ...abstractOf(root.querySelector(ABS_ABSTRACT)),
    },
  ];
}

export const arxivAdapter: SiteAdapter = {
  name: 'arxiv',
  serves: (url) => /(^|\.)arxiv\.org$/.test(url.hostname),
  isListing: (url) => /^\/(list|catchup)\//.test(url.pathname),
  expectsCards(url, doc) {
    if (!/^\/(list|catchup|search|abs)\//.test(url.pathname)) return false;
    // arXiv says so itself when a period has no papers ("No updates for this time period.").
    const text = doc.querySelector('#dlpage, main, body')?.textContent ?? '';
    return !/No updates for this time period|Sorry, your query .* produced no results/i.test(text);
  },
  detect(doc, url) {
    if (url.pathname.startsWith('/abs/')) return detectAbs(doc, url);
    if (url.pathname.startsWith('/search')) return detectSearch(doc, url);
    return detectListing(doc, url);
  },
  observeRoot: (doc) => doc.querySelector('#dlpage') ?? doc.querySelector('main') ?? doc.body,
};
