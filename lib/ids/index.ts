/**
 * Paper identity. One paper is one record whichever site showed it; these functions turn whatever a page
 * or a reader gives us (an id, a URL, a DOI) into the canonical id, or null when it is not an id.
 *
 *   arxiv:2301.00001        new-style arXiv id, version stripped (kept separately)
 *   arxiv:hep-th/9901001    old-style; the subject class is dropped (math.GT/0309136 -> math/0309136)
 *   doi:10.1145/3368089     any other DOI, lower-cased (DOIs are case-insensitive)
 *   openreview:BJ3filKll    OpenReview forum id (case-sensitive)
 *   acl:2021.naacl-main.208 ACL Anthology id (new and old style: acl:N04-1001)
 *   url:https://host/path   anything else, normalised
 */

export type IdScheme = 'arxiv' | 'doi' | 'openreview' | 'acl' | 'url';

export interface ParsedId {
  /** Canonical id, e.g. `arxiv:2301.00001`. */
  id: string;
  scheme: IdScheme;
  /** arXiv version seen (`v3`), when the input carried one. */
  version?: string;
}

/** Old-style arXiv archives (before April 2007). The id is `archive/YYMMNNN`. */
const OLD_ARXIV_ARCHIVES = new Set([
  'acc-phys', 'adap-org', 'alg-geom', 'ao-sci', 'astro-ph', 'atom-ph', 'bayes-an', 'chao-dyn', 'chem-ph',
  'cmp-lg', 'comp-gas', 'cond-mat', 'cs', 'dg-ga', 'funct-an', 'gr-qc', 'hep-ex', 'hep-lat', 'hep-ph',
  'hep-th', 'math', 'math-ph', 'mtrl-th', 'nlin', 'nucl-ex', 'nucl-th', 'patt-sol', 'physics', 'plasm-ph',
  'q-alg', 'q-bio', 'quant-ph', 'solv-int', 'supr-con', 'econ', 'eess', 'q-fin', 'stat',
]);

// YYMM.NNNN (2007-2014) or YYMM.NNNNN (2015-), optional version. Month 01-12.
const NEW_ARXIV = /^(\d{2}(?:0[1-9]|1[0-2])\.\d{4,5})(v\d+)?$/;
// archive(.SUBJ)?/YYMMNNN, optional version.
const OLD_ARXIV = /^([a-z-]+)(?:\.[A-Za-z-]{2,})?\/(\d{2}(?:0[1-9]|1[0-2])\d{3})(v\d+)?$/;
// A DOI: 10.<registrant>/<suffix>. Suffix may contain almost anything but whitespace.
const DOI = /^10\.\d{4,9}\/\S+$/;
// OpenReview forum ids: 9-14 chars of [A-Za-z0-9_-] in practice (BJ3filKll, rJXMpikCZ, 2HqWMJPJf5).
const OPENREVIEW = /^[A-Za-z0-9_-]{8,20}$/;
// ACL Anthology ids: new style 2021.naacl-main.208 / 2020.acl-demos.1; old style N04-1001, W19-5301.
const ACL_NEW = /^(\d{4}\.[a-z0-9]+(?:-[a-z0-9]+)*\.\d+)$/;
const ACL_OLD = /^([A-Z]\d{2}-\d{4})$/;

const ARXIV_HOSTS = /^(?:www\.|export\.)?arxiv\.org$|^(?:www\.)?alphaxiv\.org$|^ar5iv(?:\.labs)?\.arxiv\.org$|^ar5iv\.org$/;

/** `href` as an http(s) URL (relative ones resolved against `base`), or null. */
function httpUrl(href: string, base?: string | URL): URL | null {
  try {
    const url = new URL(href, base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/** Normalise a bare arXiv identifier (`2301.00001v2`, `math.GT/0309136`, `arXiv:2301.00001`). */
export function parseArxivId(raw: string): ParsedId | null {
  let s = raw.trim();
  // Pages mostly hand us bare ids (a listing's 2,000 links): the prefix and the suffix are looked for
  // only when the first or the last character says one may be there.
  if (s[0] === 'a' || s[0] === 'A') s = s.replace(/^arxiv:\s*/i, '');
  if (s.endsWith('f') || s.endsWith('F')) s = s.replace(/\.pdf$/i, '');
  const m = NEW_ARXIV.exec(s);
  if (m) {
    // 4-digit numbers from 0704 to 1412, 5-digit from 1501 on.
    const year = Number(m[1].slice(0, 2));
    const digits = m[1].length - 5;
    if (year < 7 || (year < 15 ? digits !== 4 : digits !== 5)) return null;
    return withVersion(`arxiv:${m[1]}`, 'arxiv', m[2]);
  }
  const o = OLD_ARXIV.exec(s);
  if (o && OLD_ARXIV_ARCHIVES.has(o[1].toLowerCase())) {
    return withVersion(`arxiv:${o[1].toLowerCase()}/${o[2]}`, 'arxiv', o[3]);
  }
  return null;
}

function withVersion(id: string, scheme: IdScheme, version: string | undefined): ParsedId {
  return version ? { id, scheme, version } : { id, scheme };
}

/**
 * An arXiv category as arXiv writes it: an archive, optionally a dot and a subject class (`hep-th`,
 * `cs.CL`, `astro-ph.CO`, `cond-mat.mes-hall`). One definition for the adapter that reads it off a
 * page, the message protocol and the export format; anything else is dropped or refused.
 */
export const ARXIV_CATEGORY = /^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$/;
export const MAX_ARXIV_CATEGORY = 40;

export function isArxivCategory(s: string): boolean {
  return s.length <= MAX_ARXIV_CATEGORY && ARXIV_CATEGORY.test(s);
}

/** Normalise a DOI (bare, `doi:`-prefixed or as a doi.org URL). arXiv DOIs map to the arXiv id. */
export function parseDoi(raw: string): ParsedId | null {
  let s = raw.trim();
  s = s.replace(/^doi:\s*/i, '').replace(/^https?:\/\/(?:dx\.)?doi\.org\//i, '');
  try {
    if (/%[0-9a-f]{2}/i.test(s)) s = decodeURIComponent(s);
  } catch {
    return null;
  }
  if (!DOI.test(s)) return null;
  const arxiv = /^10\.48550\/arxiv\.(.+)$/i.exec(s);
  if (arxiv) return parseArxivId(arxiv[1]);
  return { id: `doi:${s.toLowerCase()}`, scheme: 'doi' };
}

export function parseOpenReviewId(raw: string): ParsedId | null {
  const s = raw.trim();
  return OPENREVIEW.test(s) ? { id: `openreview:${s}`, scheme: 'openreview' } : null;
}

export function parseAclId(raw: string): ParsedId | null {
  const s = raw.trim().replace(/\.pdf$/i, '').replace(/\/$/, '');
  if (ACL_NEW.test(s) || ACL_OLD.test(s)) return { id: `acl:${s}`, scheme: 'acl' };
  return null;
}

/**
 * An id from a URL of a site we know, or null. Relative URLs resolve against `base`.
 * Only the sites' own URL shapes are recognised; anything else is for {@link urlId}.
 */
export function parsePaperUrl(href: string, base?: string | URL): ParsedId | null {
  const url = httpUrl(href, base);
  if (!url) return null;
  const host = url.hostname.toLowerCase();
  const path = decodeSafe(url.pathname);

  if (ARXIV_HOSTS.test(host)) {
    // /abs/<id>, /pdf/<id>(.pdf), /html/<id>, /format/<id>, alphaxiv /abs/<id> and /overview/<id>
    const m = /^\/(?:abs|pdf|html|format|overview|papers)\/(.+?)\/?$/.exec(path);
    return m ? parseArxivId(m[1]) : null;
  }
  if (host === 'huggingface.co' || host === 'www.huggingface.co') {
    const m = /^\/papers\/([^/]+)\/?$/.exec(path);
    return m ? parseArxivId(m[1]) : null;
  }
  if (host === 'doi.org' || host === 'dx.doi.org') {
    return parseDoi(path.slice(1));
  }
  if (host === 'openreview.net' || host === 'www.openreview.net') {
    if (path === '/forum' || path === '/pdf' || path === '/forum/') {
      const id = url.searchParams.get('id');
      return id ? parseOpenReviewId(id) : null;
    }
    return null;
  }
  if (host === 'aclanthology.org' || host === 'www.aclweb.org') {
    const m = /^\/(?:anthology\/)?([^/]+?)(?:\.pdf)?\/?$/.exec(path);
    return m ? parseAclId(m[1]) : null;
  }
  return null;
}

/**
 * The DOI a publisher's URL carries in its path, for links that are not doi.org links (Scholar results
 * link the publisher's page): `/doi/[abs|full|pdf|epdf|...]/10.x/y` (ACM, Wiley, Taylor & Francis,
 * SAGE, ACS, Science, IEEE CS...) and Springer's `/article|chapter/10.x/y` and `/content/pdf/10.x/y.pdf`.
 * Only these forms are trusted: elsewhere a `10.x/y` in a URL is not necessarily the page's DOI.
 */
export function doiInUrl(href: string, base?: string | URL): ParsedId | null {
  const url = httpUrl(href, base);
  if (!url) return null;
  const host = url.hostname.toLowerCase();
  if (host === 'doi.org' || host === 'dx.doi.org' || host === 'www.doi.org') return parseDoi(url.pathname.slice(1));
  const path = url.pathname;
  const generic = /\/doi\/(?:(?:abs|full|pdf|epdf|pdfdirect|fulltext|reader|book|suppl)\/)?(10\.\d{4,9}\/[^?#]+?)\/?$/i.exec(path);
  if (generic) return parseDoi(generic[1]);
  if (/(^|\.)springer\.com$/.test(host)) {
    const springer = /^\/(?:article|chapter|referenceworkentry|protocol|content\/pdf)\/(10\.\d{4,9}\/[^?#]+?)(?:\.pdf)?\/?$/i.exec(path);
    if (springer) return parseDoi(springer[1]);
  }
  return null;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The fallback id for a paper only known by its URL: lower-case host, no fragment, no tracking params. */
export function urlId(href: string, base?: string | URL): ParsedId | null {
  const url = httpUrl(href, base);
  if (!url) return null;
  url.hash = '';
  url.protocol = 'https:';
  for (const key of [...url.searchParams.keys()]) {
    if (/^utm_|^fbclid$|^gclid$/i.test(key)) url.searchParams.delete(key);
  }
  url.searchParams.sort();
  let s = url.toString();
  if (s.endsWith('/') && url.pathname !== '/') s = s.slice(0, -1);
  return { id: `url:${s}`, scheme: 'url' };
}

/**
 * Parse anything a reader might paste or a page might show: a canonical id, a bare arXiv id, a DOI,
 * a URL of a known site, an ACL id. Returns null for what is not an id.
 */
export function parsePaperId(input: string): ParsedId | null {
  const s = input.trim();
  if (!s || s.length > 2048) return null;
  const prefixed = /^(arxiv|doi|openreview|acl|url):(.+)$/i.exec(s);
  if (prefixed) {
    const scheme = prefixed[1].toLowerCase();
    const rest = prefixed[2];
    if (scheme === 'arxiv') return parseArxivId(rest);
    if (scheme === 'doi') return parseDoi(rest);
    if (scheme === 'openreview') return parseOpenReviewId(rest);
    if (scheme === 'acl') return parseAclId(rest);
    return urlId(rest);
  }
  if (/^https?:\/\//i.test(s)) {
    // A page of a site we know that is not a paper (a listing, a profile) is not an id at all.
    return parsePaperUrl(s) ?? (isKnownSiteUrl(s) ? null : urlId(s));
  }
  return parseArxivId(s) ?? parseDoi(s) ?? parseAclId(s);
}

const KNOWN_SITE_HOSTS = /(^|\.)(arxiv\.org|alphaxiv\.org|ar5iv\.org|huggingface\.co|openreview\.net|aclanthology\.org|aclweb\.org|doi\.org)$/i;

function isKnownSiteUrl(s: string): boolean {
  try {
    return KNOWN_SITE_HOSTS.test(new URL(s).hostname);
  } catch {
    return false;
  }
}

/** True when `id` is already in canonical form (what the database and messages carry). */
export function isCanonicalId(id: string): boolean {
  const parsed = parsePaperId(id);
  return parsed !== null && parsed.id === id;
}

/** The scheme of a canonical id (`arxiv:...` -> `arxiv`). */
export function schemeOf(id: string): IdScheme {
  return id.slice(0, id.indexOf(':')) as IdScheme;
}
