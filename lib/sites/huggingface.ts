/**
 * Hugging Face Papers: the daily list (/papers, /papers?date=, /papers/date/<d>), the week and month
 * views, /papers/trending, search results (/papers?q=) and single paper pages (/papers/<arxiv id>).
 *
 * Hugging Face renders with Svelte and navigates client-side, so its classes are generated and change;
 * cards are found from what does not: the `/papers/<id>` links every card holds (ids are arXiv ids), and
 * the JSON the page embeds for hydration, which carries the clean title, authors and abstract.
 */
import { parseArxivId, parsePaperUrl } from '@/lib/ids';
import type { PaperLinks } from '@/lib/model';
import { type PaperLink, cardsFromLinks, cleanText, compactLinks, headingOf, lazyCard, mountAfter } from './dom';
import type { DetectedCard, SiteAdapter } from './types';

/** Links to a paper page, relative (`/papers/2407.21783`) or absolute. */
const PAPER_LINK = 'a[href*="/papers/"]';
/**
 * Card element: `article` (checked on the Aug-2024 daily list, and kept by the date, week, month,
 * trending and search views since). Without it, cards are found from the structure around the links.
 */
const CARD = 'article';
/**
 * Hydration data: `div.SVELTE_HYDRATER[data-target][data-props]` (checked on the Aug-2024 daily list:
 * `DailyPapers` with `dailyPapers[].paper.{id,title,authors[].name,summary}`). Read generically: any
 * object with an arXiv `id` and a `title`, wherever it sits, so other views' shapes work too.
 */
const EMBEDDED = '[data-props]';
/** Largest hydration blob we parse (the daily list is ~130 kB; a week is a few MB). */
const MAX_EMBEDDED_CHARS = 30_000_000;
/** Nodes visited per blob, a bound against hostile pages. */
const MAX_JSON_NODES = 2_000_000;

/** /papers, /papers/date/<d>, /papers/week/<w>, /papers/month/<m>, /papers/trending (query ?q= or ?date= allowed). */
const LISTING_PATH = /^\/papers(?:\/(?:date|week|month)\/[^/]+|\/trending)?\/?$/;
const PAPER_PATH = /^\/papers\/([^/]+?)\/?$/;

interface EmbeddedPaper {
  title: string;
  authors: string[];
  summary?: string;
}

interface Embedded {
  papers: Map<string, EmbeddedPaper>;
  /** Lengths of the paper lists the page embeds (`dailyPapers`, `papers`...): all zero means an empty day. */
  listLengths: number[];
}

function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function embeddedPaper(o: Record<string, unknown>): EmbeddedPaper {
  const authors: string[] = [];
  if (Array.isArray(o.authors)) {
    for (const a of o.authors) {
      const name = typeof a === 'string' ? a : a && typeof a === 'object' ? (a as { name?: unknown }).name : undefined;
      const clean = typeof name === 'string' ? squash(name) : '';
      if (clean) authors.push(clean);
    }
  }
  const summary = typeof o.summary === 'string' ? squash(o.summary) : '';
  return { title: squash(o.title as string), authors, ...(summary ? { summary } : {}) };
}

/** Every paper the page's hydration data describes, by canonical id. Never throws. */
function readEmbedded(doc: Document): Embedded {
  const papers = new Map<string, EmbeddedPaper>();
  const listLengths: number[] = [];
  for (const el of doc.querySelectorAll(EMBEDDED)) {
    const raw = el.getAttribute('data-props');
    // Only blobs that can describe papers or paper lists (the header's and the theme's cannot).
    if (!raw || raw.length > MAX_EMBEDDED_CHARS || !/"title"|apers"/.test(raw)) continue;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      continue;
    }
    const stack: unknown[] = [data];
    for (let visited = 0; stack.length && visited < MAX_JSON_NODES; visited++) {
      const value = stack.pop();
      if (!value || typeof value !== 'object') continue;
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) stack.push(value[i]);
        continue;
      }
      const o = value as Record<string, unknown>;
      if (typeof o.id === 'string' && typeof o.title === 'string') {
        const parsed = parseArxivId(o.id);
        if (parsed) {
          if (!papers.has(parsed.id)) papers.set(parsed.id, embeddedPaper(o));
          continue;
        }
      }
      for (const key of Object.keys(o)) {
        const child = o[key];
        if (!child || typeof child !== 'object') continue;
        if (Array.isArray(child) && /papers$/i.test(key)) listLengths.push(child.length);
        stack.push(child);
      }
    }
  }
  return { papers, listLengths };
}

function hfLinks(id: string): PaperLinks {
  const bare = id.slice('arxiv:'.length);
  return { hf: `https://huggingface.co/papers/${bare}`, abs: `https://arxiv.org/abs/${bare}`, pdf: `https://arxiv.org/pdf/${bare}` };
}

/**
 * A root-relative link to a paper page, the way the site writes its own (`/papers/2407.21783`). Read
 * without building a URL: a page holds about 50 of them, and they are read as the page loads.
 */
const OWN_PAPER_LINK = /^\/papers\/([\w.-]+)\/?(?:[?#]|$)/;

/**
 * The arXiv id a link to a Hugging Face paper page points to, or null (other hosts, other pages).
 * `known`: ids already read on this page, by the link's id part (a card links to its paper three or
 * four times, and the id is read as the page loads).
 */
function paperIdOf(a: Element, base: URL, known: Map<string, string | null>): string | null {
  const href = a.getAttribute('href');
  if (!href) return null;
  const own = OWN_PAPER_LINK.exec(href);
  if (own) {
    let id = known.get(own[1]);
    if (id === undefined) known.set(own[1], (id = parseArxivId(own[1])?.id ?? null));
    return id;
  }
  let u: URL;
  try {
    u = new URL(href, base);
  } catch {
    return null;
  }
  if (u.hostname !== 'huggingface.co' && u.hostname !== 'www.huggingface.co') return null;
  const parsed = parsePaperUrl(u.href);
  return parsed?.scheme === 'arxiv' ? parsed.id : null;
}

/**
 * The card's title element: its first link inside a heading that has text, else its link with the
 * longest text. The heading's link is looked for first: the others (a card's thumbnail, its whole
 * summary) can hold far more text than the title, and are read only when no heading links the paper.
 */
function titleLinkOf(links: Element[]): { el: Element | null; text: string } {
  for (const l of links) {
    if (!l.closest('h1, h2, h3, h4, h5, h6')) continue;
    const text = cleanText(l);
    if (text) return { el: l, text };
  }
  let best: { el: Element | null; text: string } = { el: null, text: '' };
  for (const l of links) {
    const text = cleanText(l);
    if (text.length > best.text.length) best = { el: l, text };
  }
  return best;
}

/** The abstract a card shows (search results do): its longest paragraph, when long enough to be one. */
function shownAbstract(root: Element, title: Element | null): string | undefined {
  let best = '';
  for (const p of root.querySelectorAll('p')) {
    if (title && (p.contains(title) || title.contains(p))) continue;
    const text = cleanText(p);
    if (text.length > best.length) best = text;
  }
  return best.length >= 80 ? best : undefined;
}

function detectListing(doc: Document, url: URL): DetectedCard[] {
  const boundary = doc.querySelector('main') ?? doc.body;
  if (!boundary) return [];
  const hits: PaperLink[] = [];
  const known = new Map<string, string | null>();
  for (const a of boundary.querySelectorAll(PAPER_LINK)) {
    const id = paperIdOf(a, url, known);
    if (id) hits.push({ link: a, id });
  }
  if (!hits.length) return [];
  // The hydration data is parsed when a card's details are first read (the reader opens the popup or
  // annotates), not while the page loads: the cards themselves come from the links.
  let embedded: Embedded | undefined;
  const metaOf = (id: string) => (embedded ??= readEmbedded(doc)).papers.get(id);
  return cardsFromLinks(hits, boundary, CARD).map(({ root, id, links }) => {
    // The title link and its heading are read when the card's controls go in (they go after the
    // heading, named by its text) or its details are asked for: not for cards the reader never nears.
    // From the card's links as the page has them then: the site may have re-rendered its title since.
    let title: { link: { el: Element | null; text: string }; heading: Element | null } | undefined;
    const titleOf = () => {
      if (!title) {
        const now = [...root.querySelectorAll(PAPER_LINK)].filter((a) => paperIdOf(a, url, known) === id);
        const link = titleLinkOf(now.length ? now : links);
        title = { link, heading: link.el ? headingOf(link.el, root) : root.querySelector('h1, h2, h3, h4, h5, h6') };
      }
      return title;
    };
    const place = () => ({ mount: mountAfter(root, titleOf().heading), label: titleOf().link.text || undefined });
    return lazyCard({ id, aliases: [], root, place }, () => {
      const { link, heading } = titleOf();
      const meta = metaOf(id);
      const abstract = meta?.summary ?? shownAbstract(root, heading);
      return {
        title: meta?.title || link.text || cleanText(heading),
        authors: meta?.authors ?? [],
        links: compactLinks(hfLinks(id)),
        ...(abstract ? { abstract } : {}),
      };
    });
  });
}

/** A single paper page: the id is in the URL; the card is the header block around the `h1` title. */
function detectPaperPage(doc: Document, url: URL): DetectedCard[] {
  const parsed = parseArxivId(PAPER_PATH.exec(url.pathname)?.[1] ?? '');
  if (!parsed) return [];
  const h1 = doc.querySelector('main h1') ?? doc.querySelector('h1');
  if (!h1) return [];
  const root = h1.closest('section') ?? h1.parentElement ?? h1;
  const meta = readEmbedded(doc).papers.get(parsed.id);
  const ogTitle = doc.querySelector('meta[property="og:title"]')?.getAttribute('content')?.replace(/^Paper page - /, '');
  let abstract = meta?.summary;
  if (!abstract) {
    // "Abstract" heading followed by the text (checked on today's paper page markup).
    const heading = [...root.querySelectorAll('h2, h3')].find((h) => /^abstract$/i.test(cleanText(h)));
    abstract = cleanText(heading?.nextElementSibling) || undefined;
  }
  return [
    {
      id: parsed.id,
      aliases: [],
      root,
      mount: mountAfter(root, h1),
      title: meta?.title || cleanText(h1) || squash(ogTitle ?? ''),
      authors: meta?.authors ?? [],
      links: compactLinks(hfLinks(parsed.id)),
      ...(abstract ? { abstract } : {}),
    },
  ];
}

function isPaperPage(url: URL): boolean {
  return !LISTING_PATH.test(url.pathname) && !!parseArxivId(PAPER_PATH.exec(url.pathname)?.[1] ?? '');
}

export const huggingfaceAdapter: SiteAdapter = {
  name: 'huggingface',
  serves: (url) => /(^|\.)huggingface\.co$/.test(url.hostname) && /^\/papers(\/|$)/.test(url.pathname),
  isListing: (url) => LISTING_PATH.test(url.pathname),
  expectsCards(url, doc) {
    if (isPaperPage(url)) return true;
    if (!LISTING_PATH.test(url.pathname)) return false;
    // A day (or a search) with no papers says so in its data: an empty list is not a broken page.
    const { listLengths } = readEmbedded(doc);
    return !(listLengths.length > 0 && listLengths.every((n) => n === 0));
  },
  detect(doc, url) {
    try {
      const cards = isPaperPage(url) ? detectPaperPage(doc, url) : LISTING_PATH.test(url.pathname) ? detectListing(doc, url) : [];
      return cards.filter((c) => c.root.isConnected);
    } catch {
      return [];
    }
  },
  observeRoot: (doc) => doc.querySelector('main') ?? doc.body,
};
