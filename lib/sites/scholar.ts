/**
 * Google Scholar: result pages (/scholar?q=, ?cites=, ?cluster=) and author profiles (/citations?user=).
 *
 * A result's identity comes from what it links: an arXiv page or PDF gives the arXiv id; an ACL or
 * OpenReview page its id; a DOI (doi.org, or a publisher URL that carries it) the DOI; otherwise the
 * URL of the result itself. Scholar's own cluster id (the work, all its versions) is kept as an alias,
 * and is the id of a result that links nothing (a [CITATION] entry).
 */
import { doiInUrl, parsePaperUrl, urlId } from '@/lib/ids';
import type { PaperLinks } from '@/lib/model';
import { absoluteHref, cleanText, compactLinks, lazyCard, mountAfter } from './dom';
import type { DetectedCard, SiteAdapter } from './types';

/**
 * Results (checked on a 2022-12 results page): `div.gs_r.gs_or.gs_scl[data-cid]` in `#gs_res_ccl_mid`;
 * data-cid is Scholar's cluster id, base64url. The cite dialog elsewhere on the page also carries a
 * data-cid ("gs_citd"), hence the container. `.gs_r` (Scholar's own, long-lived class name) finds a
 * result that lost its data-cid.
 */
const RESULTS = '#gs_res_ccl_mid';
const RESULT = '[data-cid], .gs_r';
/** Title: `h3.gs_rt`, its link when the result links anything; "[PDF]"/"[CITATION]"/"[BOOK]" badges inside. */
const RESULT_TITLE = 'h3';
const TITLE_BADGES = '.gs_ctc, .gs_ctu, .gs_ctg2, .gs_ct1, .gs_ct2';
/** The side link ("[PDF] arxiv.org"): `div.gs_ggs a`. */
const SIDE_LINKS = '.gs_ggs a[href], .gs_or_ggsm a[href]';
/** "Authors - venue, year - host". */
const RESULT_BYLINE = '.gs_a';
/** Footer links that name the cluster: "All N versions" (cluster=) and "Cited by" (cites=). */
const CLUSTER_LINKS = 'a[href*="cluster="], a[href*="cites="]';

/**
 * Author profile (checked on profile markup, 2024): `table#gsc_a_t > tbody#gsc_a_b > tr.gsc_a_tr`, the
 * title `a.gsc_a_at` linking (href, or data-href on newer pages) the citation view
 * `/citations?view_op=view_citation&citation_for_view=<user>:<key>`; authors and venue in `div.gs_gray`;
 * "Cited by" `a.gsc_a_ac` (cites=<cluster>).
 */
const PROFILE_TABLE = '#gsc_a_t';
const PROFILE_TITLE = 'a[href*="citation_for_view="], a[data-href*="citation_for_view="]';
const PROFILE_BYLINE = '.gs_gray';

const SCHOLAR_HOST = /^scholar\.google\.[a-z]{2,3}(\.[a-z]{2})?$/;

/** The canonical id of a Scholar cluster (the same on every Scholar host). */
function clusterId(n: string): string | null {
  return /^\d{1,20}$/.test(n) ? (urlId(`https://scholar.google.com/scholar?cluster=${n}`)?.id ?? null) : null;
}

/** data-cid is the cluster id's 8 bytes, little-endian, base64url, plus one type byte. */
export function clusterFromCid(cid: string): string | null {
  if (!/^[A-Za-z0-9_-]{11,12}$/.test(cid)) return null;
  let bytes: string;
  try {
    bytes = atob(cid.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (cid.length % 4)) % 4));
  } catch {
    return null;
  }
  if (bytes.length < 8) return null;
  let n = 0n;
  for (let i = 7; i >= 0; i--) n = (n << 8n) | BigInt(bytes.charCodeAt(i));
  return n.toString();
}

/** The cluster number a result names in its footer links, else its data-cid decoded. */
function clusterOf(result: Element, base: URL): string | null {
  for (const a of result.querySelectorAll(CLUSTER_LINKS)) {
    const href = absoluteHref(a, base);
    if (!href) continue;
    const u = new URL(href);
    const n = u.searchParams.get('cluster') ?? u.searchParams.get('cites');
    if (n && /^\d+$/.test(n)) return n; // "cites=1,2" (merged entries) names two works: not usable
  }
  const cid = result.getAttribute('data-cid');
  return cid ? clusterFromCid(cid) : null;
}

interface Identity {
  id: string;
  aliases: string[];
  links: PaperLinks;
}

/** Identity from the links a result shows (title link first, then the side links), with the cluster. */
function identityOf(hrefs: string[], clusterN: string | null, ownUrl: string | undefined): Identity | null {
  let arxiv: string | undefined;
  const known: string[] = [];
  const dois: string[] = [];
  for (const href of hrefs) {
    const parsed = parsePaperUrl(href);
    if (parsed?.scheme === 'arxiv') arxiv ??= parsed.id;
    else if (parsed) known.push(parsed.id);
    else {
      const doi = doiInUrl(href);
      if (doi?.scheme === 'arxiv') arxiv ??= doi.id;
      else if (doi) dois.push(doi.id);
    }
  }
  // The result's own URL is an id only when it is not already a known paper URL (an arXiv abs page).
  const own = ownUrl && !parsePaperUrl(ownUrl) && !doiInUrl(ownUrl) ? urlId(ownUrl)?.id : undefined;
  const cluster = clusterN ? clusterId(clusterN) : null;
  const ranked = [arxiv, ...known, ...dois, own, cluster].filter((x): x is string => !!x);
  const ids = [...new Set(ranked)];
  if (!ids.length) return null;
  const [id, ...aliases] = ids;
  const bare = arxiv?.slice('arxiv:'.length);
  const doi = dois[0]?.slice('doi:'.length);
  return {
    id,
    aliases: aliases.slice(0, 10),
    links: compactLinks({
      url: ownUrl,
      abs: bare ? `https://arxiv.org/abs/${bare}` : undefined,
      hf: bare && /^\d/.test(bare) ? `https://huggingface.co/papers/${bare}` : undefined,
      doi: doi ? `https://doi.org/${doi}` : undefined,
      scholar: clusterN ? `https://scholar.google.com/scholar?cluster=${clusterN}` : undefined,
    }),
  };
}

function isScholarUrl(href: string): boolean {
  try {
    return SCHOLAR_HOST.test(new URL(href).hostname);
  } catch {
    return true;
  }
}

/** "C Gavidia-Calderon, F Sarro… - … Software Engineering, 2019 - ieeexplore.ieee.org" -> the names. */
function authorsFromByline(text: string): string[] {
  const names = text.split(/\s+-\s+/)[0] ?? '';
  return names
    .split(',')
    .map((n) => n.replace(/[…]|\.\.\.$/g, '').trim())
    .filter((n) => n && n !== '…');
}

function detectResults(doc: Document, url: URL): DetectedCard[] {
  const container = doc.querySelector(RESULTS) ?? doc.body;
  if (!container) return [];
  const cards: DetectedCard[] = [];
  for (const result of container.querySelectorAll(RESULT)) {
    if (result.parentElement?.closest(RESULT)) continue; // one card per outermost result
    const h3 = result.querySelector(RESULT_TITLE);
    const titleLink = h3?.querySelector('a[href]') ?? null;
    const own = absoluteHref(titleLink, url);
    const hrefs = [own, ...[...result.querySelectorAll(SIDE_LINKS)].map((a) => absoluteHref(a, url))].filter(
      (h): h is string => !!h && !isScholarUrl(h),
    );
    const identity = identityOf(hrefs, clusterOf(result, url), own && !isScholarUrl(own) ? own : undefined);
    if (!identity) continue;
    cards.push(
      lazyCard({ id: identity.id, aliases: identity.aliases, root: result, place: () => ({ mount: mountAfter(result, h3) }) }, () => {
        const side = [...result.querySelectorAll(SIDE_LINKS)].find((a) => /\[PDF\]/i.test(a.textContent ?? '') || /\.pdf($|\?)/i.test(a.getAttribute('href') ?? ''));
        return {
          title: cleanText(h3, TITLE_BADGES).replace(/^(\[[A-Z ]+\]\s*)+/, ''),
          authors: authorsFromByline(cleanText(result.querySelector(RESULT_BYLINE))),
          links: compactLinks({ ...identity.links, pdf: absoluteHref(side, url) }),
        };
      }),
    );
  }
  return cards;
}

function detectProfile(doc: Document, url: URL): DetectedCard[] {
  const table = doc.querySelector(PROFILE_TABLE) ?? doc.body;
  if (!table) return [];
  const cards: DetectedCard[] = [];
  const seenRows = new Set<Element>();
  for (const link of table.querySelectorAll(PROFILE_TITLE)) {
    const row = link.closest('tr') ?? link.parentElement;
    if (!row || seenRows.has(row)) continue;
    seenRows.add(row);
    const raw = link.getAttribute('href')?.includes('citation_for_view=') ? link.getAttribute('href') : link.getAttribute('data-href');
    let key: string | null = null;
    try {
      key = new URL(raw ?? '', url).searchParams.get('citation_for_view');
    } catch {
      key = null;
    }
    if (!key || !/^[\w-]+:[\w-]+$/.test(key)) continue;
    const view = `https://scholar.google.com/citations?view_op=view_citation&citation_for_view=${key}`;
    const id = urlId(view)?.id;
    if (!id) continue;
    const clusterN = clusterOf(row, url);
    const cluster = clusterN ? clusterId(clusterN) : null;
    const cell = link.parentElement ?? row;
    cards.push(
      lazyCard({ id, aliases: cluster ? [cluster] : [], root: row, place: () => ({ mount: mountAfter(row, link) }) }, () => ({
        title: cleanText(link),
        authors: authorsFromByline(cleanText(cell.querySelector(PROFILE_BYLINE))),
        links: compactLinks({ scholar: view, url: clusterN ? `https://scholar.google.com/scholar?cluster=${clusterN}` : undefined }),
      })),
    );
  }
  return cards;
}

const isResults = (url: URL) => url.pathname === '/scholar' && ['q', 'cites', 'cluster'].some((k) => url.searchParams.get(k));
const isProfile = (url: URL) =>
  url.pathname === '/citations' && !!url.searchParams.get('user') && (url.searchParams.get('view_op') ?? 'list_works') === 'list_works';

export const scholarAdapter: SiteAdapter = {
  name: 'scholar',
  serves: (url) => SCHOLAR_HOST.test(url.hostname) && (url.pathname === '/scholar' || url.pathname === '/citations'),
  isListing: (url) => isResults(url) || isProfile(url),
  expectsCards(url, doc) {
    if (!isResults(url) && !isProfile(url)) return false;
    // Scholar's own "nothing here" pages and its robot check are not broken pages.
    if (doc.querySelector('#gs_captcha_ccl, #captcha-form, form[action*="sorry"]')) return false;
    const text = doc.body?.textContent ?? '';
    return !/did not match any articles|There are no articles in this profile|unusual traffic from your computer/i.test(text);
  },
  detect(doc, url) {
    try {
      const cards = isProfile(url) ? detectProfile(doc, url) : isResults(url) ? detectResults(doc, url) : [];
      return cards.filter((c) => c.root.isConnected);
    } catch {
      return [];
    }
  },
  observeRoot: (doc) => doc.querySelector('#gsc_a_b') ?? doc.querySelector(PROFILE_TABLE) ?? doc.querySelector(RESULTS) ?? doc.body,
};
