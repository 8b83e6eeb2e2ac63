/**
 * Search as you type: each paper gets one precomputed, folded (lower-case, accents removed) string of
 * its title, authors, tags, note, id and arXiv category; a query is split into terms (or "quoted phrases") that must all
 * occur in it. A plain substring scan over 50,000 precomputed strings takes a few milliseconds, finds
 * partial words while the reader is still typing, and needs no index to keep in step with edits.
 */

const MARKS = /\p{M}+/gu;

/** Lower-case, compatibility-decomposed, without combining marks: "Schrödinger" -> "schrodinger". */
export function fold(s: string): string {
  // Fast path: plain ASCII needs no Unicode normalisation.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
  return s.normalize('NFKD').replace(MARKS, '').toLowerCase();
}

/** The terms of a query: folded words, or phrases in double quotes; empty terms dropped. */
export function searchTerms(query: string): string[] {
  const terms: string[] = [];
  const re = /"([^"]*)"?|(\S+)/g;
  const folded = fold(query);
  for (let m = re.exec(folded); m; m = re.exec(folded)) {
    const term = (m[1] ?? m[2] ?? '').trim().replace(/\s+/g, ' ');
    if (term) terms.push(term);
  }
  return terms;
}

export interface Searchable {
  title: string;
  authors: string[];
  tags: string[];
  note: string;
  id: string;
  /** The arXiv primary category (`cs.CL`), when an arXiv page showed it. */
  category?: string;
}

/** The folded text one paper is searched in. Fields are joined by a newline so no term spans two. */
export function searchTextOf(p: Searchable): string {
  const text = [p.title, p.authors.join(', '), p.tags.join(' '), p.note, p.id].join('\n');
  return fold(p.category ? `${text}\n${p.category}` : text);
}

export function matchesTerms(text: string, terms: string[]): boolean {
  for (const t of terms) if (!text.includes(t)) return false;
  return true;
}

/**
 * True when every result of `narrower` is also a result of `wider`: each term of `wider` occurs inside
 * some term of `narrower`. Typing one more letter narrows the query, so only the last results need a
 * second look.
 */
export function narrows(narrower: string[], wider: string[]): boolean {
  return wider.every((w) => narrower.some((n) => n.includes(w)));
}
