/**
 * arXiv: listings (/list/<cat>/new with its new, cross-list and replacement sections, /recent,
 * /pastweek, monthly archives, any `show=`), /catchup, search results and abs pages (current and
 * older layouts).
 */
import { isArxivCategory, parseArxivId, parseDoi } from '@/lib/ids';
import type { PaperLinks } from '@/lib/model';
import { absoluteHref, cleanText, compactLinks, lazyCard, textsOf } from './dom';
import type { DetectedCard, SiteAdapter } from './types';

/**
 * Listing entries are `dt` + `dd` pairs inside `dl` elements.
 * - Current layout (checked on /list/astro-ph.CO/recent, 2026-07; /new and /catchup use the same
 *   entries, one `dl#articles` per section or day, the id repeating): `dt > a[title="Abstract"][id=<id>]`,
 *   abstract (on /new and /catchup) in `dd p.mathjax`.
 * - Pre-2024 layout (checked on /list/astro-ph.CO/pastweek, 2024-03): plain `dl` after an `h3` heading,
 *   `dt > span.list-identifier > a[title="Abstract"]`.
 * Both are found by the abs link inside a `dt`, which never changed. One querySelectorAll pass over the
 * document; everything else is read inside the entry.
 */
const LISTING_ABS_LINK = 'dl > dt a[href*="/abs/"]';
const LISTING_TITLE = 'div.list-title';
const LISTING_AUTHORS = 'div.list-authors a';
const LISTING_ABSTRACT = 'p.mathjax, p.abstract';
/**
 * The primary category, "Cosmology and Nongalactic Astrophysics (astro-ph.CO)", first in the entry's
 * subjects line, the cross-lists after it as plain text (both layouts, 2024-03 and 2026-07).
 */
const LISTING_PRIMARY_SUBJECT = '.list-subjects .primary-subject';

/** Search results (checked on /search/?searchtype=abstract, 2025-12): `li.arxiv-result`. */
const SEARCH_RESULT = 'li.arxiv-result';
const SEARCH_ABS_LINK = 'p.list-title a[href*="/abs/"]';
const SEARCH_TITLE = 'p.title';
const SEARCH_AUTHORS = 'p.authors a';
const SEARCH_ABSTRACT_FULL = 'p.abstract span.abstract-full';
const SEARCH_ABSTRACT = 'p.abstract';
/**
 * The result's categories are tags holding the bare code (`hep-ph`) with the full name as a tooltip;
 * the first is the primary category (`is-link`), the cross-lists follow (`is-grey`). The journal DOI
 * row is a `div.tags` too, but its tags have no tooltip (checked 2025-12).
 */
const SEARCH_CATEGORY_TAG = 'div.tags > span.tag[data-tooltip]';
const DOI_LINK = 'a[href*="doi.org/10."]';

/**
 * Abs page (checked on /abs/2004.10162, 2020-04 layout, and on the current layout, 2024-: the same
 * `#abs` block, `h1.title`, `div.authors`, `blockquote.abstract`, plus an HTML link and a DOI row).
 * The citation metas are the same in both.
 */
const ABS_ID_META = 'meta[name="citation_arxiv_id"]';
const ABS_TITLE = 'h1.title';
const ABS_AUTHORS = 'div.authors a';
const ABS_ABSTRACT = 'blockquote.abstract';
const ABS_ROOT = '#abs';
/** "(or arXiv:2004.10162v1 for this version)": the version the page shows. */
const ABS_THIS_VERSION = '.arxividv a[href*="/abs/"]';
/** Submission history: `<strong>[v1]</strong>` for the version shown, `<strong><a>[v2]</a></strong>` for the others. */
const ABS_HISTORY_VERSIONS = '.submission-history strong';
/** The journal DOI row of the metatable (`td.tablecell.doi`), not the arXiv DOI row (`td.arxivdoi`). */
const ABS_JOURNAL_DOI = 'td.doi a[href*="doi.org/"]';
const ABS_HTML_LINK = 'a[href*="/html/"]';
/** Metatable "Subjects:" row, primary category first (same in the 2020-04 and current layouts). */
const ABS_PRIMARY_SUBJECT = 'td.subjects .primary-subject';

/** A category code, kept only when it looks like one (`cs.CL`, `hep-th`); anything else is dropped. */
function categoryCode(code: string | undefined): { category?: string } {
  const c = code?.trim();
  return c && isArxivCategory(c) ? { category: c } : {};
}

/** The code in a subject's last parentheses: "Computation and Language (cs.CL)" -> `cs.CL`. */
function subjectCategory(el: Element | null): { category?: string } {
  return el ? categoryCode(/\(([^()]*)\)\s*$/.exec(cleanText(el))?.[1]) : {};
}

function arxivLinks(id: string, version?: string): PaperLinks {
  const bare = id.slice('arxiv:'.length);
  return {
    abs: `https://arxiv.org/abs/${bare}`,
    pdf: `https://arxiv.org/pdf/${bare}${version ?? ''}`,
    hf: /^\d/.test(bare) ? `https://huggingface.co/papers/${bare}` : undefined,
  };
}

/**
 * What an entry's head (`dt`) links besides the abs page, in one pass over its few links: the HTML
 * version and the version number it names (`/html/2607.21497v1`, `/pdf/2607.21497v2`).
 */
function headLinks(dt: Element, base: URL): { html?: string; version?: string } {
  let html: string | undefined;
  let version: string | undefined;
  for (const a of dt.getElementsByTagName('a')) {
    const href = a.getAttribute('href') ?? '';
    const isHtml = href.includes('/html/');
    if (!isHtml && !href.includes('/pdf/')) continue;
    if (isHtml) html ??= absoluteHref(a, base);
    version ??= /\d(v\d+)(?:\.pdf)?\/?$/.exec(href)?.[1];
  }
  return { ...(html ? { html } : {}), ...(version ? { version } : {}) };
}

const ARXIV_HOST = /(^|\.)arxiv\.org$/;
const BASE = new URL('https://arxiv.org/');
const ABS_HREF = /^(?:https?:\/\/(?:[a-z0-9-]+\.)*arxiv\.org)?\/abs\/([^?#]+?)\/?(?:[?#].*)?$/i;

/**
 * The id an arXiv abs link points to (`/abs/2301.00001v2`, `https://arxiv.org/abs/hep-th/9901001`):
 * an http(s) link to arxiv.org whose path is /abs/<id>, nothing else (not `javascript:...//abs/<id>`).
 */
function idFromAbsHref(href: string | null): ReturnType<typeof parseArxivId> {
  if (!href || !href.includes('/abs/')) return null;
  // The forms arXiv writes (`/abs/<id>`, `https://arxiv.org/abs/<id>`), without building a URL.
  const plain = ABS_HREF.exec(href);
  if (plain) return parseArxivId(plain[1]);
  let u: URL;
  try {
    u = new URL(href, BASE);
  } catch {
    return null;
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || !ARXIV_HOST.test(u.hostname)) return null;
  const m = /^\/abs\/(.+?)\/?$/.exec(u.pathname);
  return m ? parseArxivId(m[1]) : null;
}

/** DOIs a card shows besides its arXiv id (a journal DOI), as aliases. The arXiv DOI is the id itself. */
function doiAliases(els: Iterable<Element>, id: string): string[] {
  const out: string[] = [];
  for (const a of els) {
    const href = a.getAttribute('href') ?? '';
    const doi = parseDoi(href.replace(/^.*?doi\.org\//i, ''));
    if (doi && doi.id !== id && !out.includes(doi.id)) out.push(doi.id);
  }
  return out;
}

/** A listing's cards, found one at a time (a listing can hold 2,000). */
function* listingCards(doc: Document, url: URL): Generator<DetectedCard> {
  const seen = new Set<Element>();
  for (const link of doc.querySelectorAll(LISTING_ABS_LINK)) {
    const dt = link.closest('dt');
    if (!dt || seen.has(dt)) continue; // one card per dt: its first abs link (document order)
    seen.add(dt);
    const parsed = idFromAbsHref(link.getAttribute('href'));
    if (!parsed) continue;
    let dd = dt.nextElementSibling;
    while (dd && dd.tagName !== 'DD' && dd.tagName !== 'DT') dd = dd.nextElementSibling;
    const root = dd?.tagName === 'DD' ? dd : dt;
    yield lazyCard({ id: parsed.id, aliases: [], root, place: { mount: { anchor: dt, position: 'beforeend' } } }, () => {
      const head = headLinks(dt, url);
      const version = parsed.version ?? head.version;
      return {
        title: cleanText(root.querySelector(LISTING_TITLE)),
        authors: textsOf(root.querySelectorAll(LISTING_AUTHORS)),
        links: compactLinks({ ...arxivLinks(parsed.id, version), html: head.html }),
        ...(version ? { version } : {}),
        ...abstractOf(root === dd ? root.querySelector(LISTING_ABSTRACT) : null),
        ...subjectCategory(root === dd ? root.querySelector(LISTING_PRIMARY_SUBJECT) : null),
      };
    });
  }
}

function abstractOf(el: Element | null): { abstract?: string } {
  const text = cleanText(el, 'a.is-size-7'); // search results end with "▽ Less" / "△ More" toggles
  return text ? { abstract: text.replace(/\s*[△▽]\s*(More|Less)$/, '') } : {};
}

function detectSearch(doc: Document): DetectedCard[] {
  const cards: DetectedCard[] = [];
  for (const li of doc.querySelectorAll(SEARCH_RESULT)) {
    const link = li.querySelector(SEARCH_ABS_LINK);
    const parsed = idFromAbsHref(link?.getAttribute('href') ?? null);
    if (!parsed || !link) continue;
    const titleEl = li.querySelector(SEARCH_TITLE);
    const base = {
      id: parsed.id,
      aliases: doiAliases(li.querySelectorAll(DOI_LINK), parsed.id),
      root: li,
      place: { mount: { anchor: titleEl ?? li, position: titleEl ? 'beforeend' : 'afterbegin' } },
    } as const;
    cards.push(
      lazyCard(base, () => ({
        title: cleanText(titleEl),
        authors: textsOf(li.querySelectorAll(SEARCH_AUTHORS)),
        links: compactLinks(arxivLinks(parsed.id, parsed.version)),
        ...(parsed.version ? { version: parsed.version } : {}),
        ...abstractOf(li.querySelector(SEARCH_ABSTRACT_FULL) ?? li.querySelector(SEARCH_ABSTRACT)),
        ...categoryCode(cleanText(li.querySelector(SEARCH_CATEGORY_TAG))),
      })),
    );
  }
  return cards;
}

/** The version an abs page shows: "for this version" link, else the dateline, else the history. */
function absVersion(doc: Document, root: Element): string | undefined {
  const thisVersion = idFromAbsHref(doc.querySelector(ABS_THIS_VERSION)?.getAttribute('href') ?? null)?.version;
  if (thisVersion) return thisVersion;
  const dateline = /this version, (v\d+)/.exec(root.querySelector('.dateline')?.textContent ?? '');
  if (dateline) return dateline[1];
  // The version shown is the one entry of the history that is not a link to another version.
  for (const s of doc.querySelectorAll(ABS_HISTORY_VERSIONS)) {
    const v = /^\[(v\d+)\]$/.exec(s.textContent?.trim() ?? '');
    if (v && !s.querySelector('a')) return v[1];
  }
  return undefined;
}

function detectAbs(doc: Document, url: URL): DetectedCard[] {
  const fromMeta = doc.querySelector(ABS_ID_META)?.getAttribute('content');
  const fromUrl = /^\/abs\/(.+?)\/?$/.exec(url.pathname)?.[1];
  const parsed = parseArxivId(fromUrl ?? '') ?? parseArxivId(fromMeta ?? '');
  const root = doc.querySelector(ABS_ROOT) ?? doc.querySelector(ABS_TITLE)?.parentElement;
  if (!parsed || !root) return [];
  const titleEl = root.querySelector(ABS_TITLE);
  const metaAuthors = [...doc.querySelectorAll('meta[name="citation_author"]')].map((m) => m.getAttribute('content')?.trim() ?? '').filter(Boolean);
  const authors = textsOf(root.querySelectorAll(ABS_AUTHORS));
  const version = parsed.version ?? absVersion(doc, root);
  const doiMeta = doc.querySelector('meta[name="citation_doi"]')?.getAttribute('content');
  const aliases = doiAliases(doc.querySelectorAll(ABS_JOURNAL_DOI), parsed.id);
  const metaDoi = doiMeta ? parseDoi(doiMeta) : null;
  if (metaDoi && metaDoi.id !== parsed.id && !aliases.includes(metaDoi.id)) aliases.push(metaDoi.id);
  return [
    {
      id: parsed.id,
      aliases,
      root,
      mount: { anchor: titleEl ?? root, position: titleEl ? 'afterend' : 'afterbegin' },
      title: cleanText(titleEl) || doc.querySelector('meta[name="citation_title"]')?.getAttribute('content')?.trim() || '',
      authors: authors.length ? authors : metaAuthors,
      links: compactLinks({
        ...arxivLinks(parsed.id, version),
        html: absoluteHref(doc.querySelector(`#abs-outer ${ABS_HTML_LINK}, ${ABS_ROOT} ${ABS_HTML_LINK}, .full-text ${ABS_HTML_LINK}`), url),
      }),
      ...(version ? { version } : {}),
      ...abstractOf(root.querySelector(ABS_ABSTRACT)),
      ...subjectCategory(doc.querySelector(ABS_PRIMARY_SUBJECT)),
    },
  ];
}

/** Every card of the page, as found. Never throws: an odd page is a page without (more) cards. */
function* cardsOf(doc: Document, url: URL): Generator<DetectedCard> {
  try {
    const cards = url.pathname.startsWith('/abs/') ? detectAbs(doc, url) : url.pathname.startsWith('/search') ? detectSearch(doc) : listingCards(doc, url);
    for (const card of cards) if (card.root.isConnected) yield card;
  } catch {
    // Never throw into the page: the cards found so far stand; the popup says when there are none.
  }
}

/** Pages that list papers: listings, catch-up, search results. */
const LISTING_PATH = /^\/(list|catchup|search)(\/|$)/;

export const arxivAdapter: SiteAdapter = {
  name: 'arxiv',
  serves: (url) => /(^|\.)arxiv\.org$/.test(url.hostname),
  isListing: (url) => LISTING_PATH.test(url.pathname),
  expectsCards(url, doc) {
    if (!LISTING_PATH.test(url.pathname) && !url.pathname.startsWith('/abs/')) return false;
    // A search form with no query, and arXiv's own "nothing here" messages, are not broken pages.
    if (url.pathname.startsWith('/search') && !url.searchParams.get('query')) return false;
    // (On /new an empty section says "No updates" while the others list papers: only a page that says so
    // and shows no entry at all is empty.)
    const text = doc.querySelector('#dlpage, main, body')?.textContent ?? '';
    const saysEmpty = /No updates for this time period|No updates today|Sorry, your query .* produced no results|Article identifier .* not recognized/i.test(text);
    return !(saysEmpty && !doc.querySelector('dl > dt, li.arxiv-result'));
  },
  detect(doc, url) {
    try {
      return [...cardsOf(doc, url)];
    } catch {
      return []; // (cardsOf does not throw; this is the contract's last guard)
    }
  },
  detectEach: cardsOf,
  observeRoot: (doc) => doc.querySelector('#dlpage') ?? doc.querySelector('main') ?? doc.body,
};
