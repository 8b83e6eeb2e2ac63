/**
 * ACL Anthology: author pages (/people/...), volume pages (/volumes/<id>/), event pages (/events/<id>/)
 * and single paper pages (/<anthology id>/). Ids are Anthology ids; a paper page's DOI is an alias.
 *
 * The Anthology was redesigned in 2026 (Bootstrap 4 to 5): classes changed, the `/<anthology id>/`
 * links did not. Listing cards are found from those links.
 */
import { parseAclId, parseDoi } from '@/lib/ids';
import type { PaperLinks } from '@/lib/model';
import { type PaperLink, cardsFromLinks, cleanText, compactLinks, lazyCard, mountAfter, textsOf } from './dom';
import type { DetectedCard, SiteAdapter } from './types';

/**
 * One entry of a list, Hugo / Bootstrap 4 layout (checked on an author page, 2023-01; volume and event
 * pages use the same entries): `p.d-sm-flex` holding the badge row and the title
 * `strong > a[href="/<id>/"]`; its abstract is a sibling `div.abstract-collapse` that the "abs" badge
 * targets (`href="#abstract-..."`). The 2026 layout is found from the structure around the links.
 */
const ENTRY_2023 = 'p.d-sm-flex';
/** Whatever opens an entry's abstract: Bootstrap 4 `href="#abstract-..."`, Bootstrap 5 `data-bs-target`. */
const ABSTRACT_TOGGLE = 'a[href^="#abstract"], [data-bs-target^="#abstract"], [data-target^="#abstract"]';
const ABSTRACT_INSIDE = '[id^="abstract"], .abstract';
const AUTHOR_LINK = 'a[href*="/people/"]';
const LINKS = 'a[href]';
/** Paper page (checked on 2021.naacl-main.208, 2024 build, and N04-1001, 2023 build): `h2#title`. */
const PAPER_TITLE = '#title';
const MAIN = '#main, main, #main-container';

const HOST = /^(www\.)?aclanthology\.org$/;
/** `/<id>/`, `/<id>`, `/<id>.pdf` (Anthology ids have no slash). */
const ID_PATH = /^\/([^/]+?)\/?$/;

/** The Anthology id a link points to: its page or its PDF (not its .bib or video), else null. */
function aclIdOf(a: Element, base: URL): { id: string; pdf: boolean } | null {
  const href = a.getAttribute('href');
  if (!href || href.startsWith('#')) return null;
  let u: URL;
  try {
    u = new URL(href, base);
  } catch {
    return null;
  }
  if (!HOST.test(u.hostname)) return null;
  const m = ID_PATH.exec(u.pathname);
  const parsed = m ? parseAclId(m[1]) : null;
  return parsed ? { id: parsed.id, pdf: /\.pdf$/i.test(m![1]) } : null;
}

function aclLinks(id: string, pdf?: string, doi?: string): PaperLinks {
  const bare = id.slice('acl:'.length);
  return compactLinks({
    acl: `https://aclanthology.org/${bare}/`,
    pdf: pdf ?? `https://aclanthology.org/${bare}.pdf`,
    doi: doi ? `https://doi.org/${doi.slice('doi:'.length)}` : undefined,
  });
}

/** The abstract of a list entry: inside it (2026), or where its toggle points (2023: a sibling). */
function entryAbstract(root: Element, doc: Document): string | undefined {
  const inside = root.querySelector(ABSTRACT_INSIDE);
  if (inside) return cleanText(inside) || undefined;
  const toggle = root.querySelector(ABSTRACT_TOGGLE);
  const target = (toggle?.getAttribute('href') ?? toggle?.getAttribute('data-bs-target') ?? toggle?.getAttribute('data-target'))?.slice(1);
  return (target && cleanText(doc.getElementById(target))) || undefined;
}

function detectList(doc: Document, url: URL): DetectedCard[] {
  const boundary = doc.querySelector(MAIN) ?? doc.body;
  if (!boundary) return [];
  const hits: PaperLink[] = [];
  const isPdf = new Set<Element>();
  for (const a of boundary.querySelectorAll(LINKS)) {
    const found = aclIdOf(a, url);
    if (!found) continue;
    hits.push({ link: a, id: found.id });
    if (found.pdf) isPdf.add(a);
  }
  return cardsFromLinks(hits, boundary, ENTRY_2023).map(({ root, id, links }) => {
    const pages = links.filter((l) => !isPdf.has(l));
    const titleLink =
      pages.find((l) => l.closest('h1, h2, h3, h4, h5, h6, strong')) ??
      pages.reduce<Element | undefined>((best, l) => (cleanText(l).length > cleanText(best).length ? l : best), undefined);
    const pdfLink = links.find((l) => isPdf.has(l));
    const place = () => {
      const titleBlock = titleLink?.closest('h1, h2, h3, h4, h5, h6, strong');
      return { mount: mountAfter(root, titleBlock && root.contains(titleBlock) ? titleBlock : titleLink) };
    };
    return lazyCard({ id, aliases: [], root, place }, () => {
      const abstract = entryAbstract(root, doc);
      return {
        title: cleanText(titleLink),
        authors: textsOf(root.querySelectorAll(AUTHOR_LINK)),
        links: aclLinks(id, pdfLink ? new URL(pdfLink.getAttribute('href')!, url).href : undefined),
        ...(abstract ? { abstract } : {}),
      };
    });
  });
}

function metaAll(doc: Document, name: string): string[] {
  return [...doc.querySelectorAll(`meta[name="${name}"]`)].map((m) => m.getAttribute('content')?.replace(/\s+/g, ' ').trim() ?? '').filter(Boolean);
}

/** The details list's value for a label ("Anthology ID:", "DOI:"). */
function detail(doc: Document, label: string): Element | null {
  for (const dt of doc.querySelectorAll('dl dt')) {
    if (cleanText(dt).replace(/:$/, '').toLowerCase() === label.toLowerCase()) return dt.nextElementSibling;
  }
  return null;
}

function detectPaper(doc: Document, url: URL): DetectedCard[] {
  const fromUrl = parseAclId(ID_PATH.exec(url.pathname)?.[1] ?? '');
  const parsed = fromUrl ?? parseAclId(cleanText(detail(doc, 'Anthology ID')));
  if (!parsed) return [];
  const main = doc.querySelector(MAIN) ?? doc.body;
  const titleEl = doc.querySelector(PAPER_TITLE) ?? main?.querySelector('h1, h2');
  if (!titleEl) return [];
  const root = titleEl.closest('article') ?? titleEl.parentElement ?? titleEl;
  // Authors follow the title (p.lead); the details list further down names the volume's editors.
  const shown = textsOf(titleEl.nextElementSibling?.querySelectorAll(AUTHOR_LINK) ?? []);
  const doiText = metaAll(doc, 'citation_doi')[0] ?? detail(doc, 'DOI')?.querySelector('a[href*="doi.org/"]')?.getAttribute('href') ?? '';
  const doi = doiText ? parseDoi(doiText) : null;
  const abstractHeading = [...(main?.querySelectorAll('h2, h3, h4, h5, h6') ?? [])].find((h) => /^abstract$/i.test(cleanText(h)));
  const abstract = cleanText(abstractHeading?.nextElementSibling) || undefined;
  const pdf = metaAll(doc, 'citation_pdf_url')[0];
  return [
    {
      id: parsed.id,
      aliases: doi && doi.id !== parsed.id ? [doi.id] : [],
      root,
      mount: mountAfter(root, titleEl),
      title: cleanText(titleEl) || metaAll(doc, 'citation_title')[0] || '',
      authors: shown.length ? shown : metaAll(doc, 'citation_author'),
      links: aclLinks(parsed.id, pdf && /^https?:\/\//.test(pdf) ? pdf : undefined, doi?.id),
      ...(abstract ? { abstract } : {}),
    },
  ];
}

const LISTING_PATH = /^\/(people|volumes|events)\//;
const isPaperPage = (url: URL) => !/\.pdf$/i.test(url.pathname) && !!parseAclId(ID_PATH.exec(url.pathname)?.[1] ?? '');

export const aclAdapter: SiteAdapter = {
  name: 'acl',
  serves: (url) => HOST.test(url.hostname),
  isListing: (url) => LISTING_PATH.test(url.pathname),
  expectsCards: (url) => LISTING_PATH.test(url.pathname) || isPaperPage(url),
  detect(doc, url) {
    try {
      const cards = isPaperPage(url) ? detectPaper(doc, url) : LISTING_PATH.test(url.pathname) ? detectList(doc, url) : [];
      return cards.filter((c) => c.root.isConnected);
    } catch {
      return [];
    }
  },
  observeRoot: (doc) => doc.querySelector(MAIN) ?? doc.body,
};
