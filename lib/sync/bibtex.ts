/**
 * BibTeX out: one @misc entry per paper, for LaTeX, Zotero, JabRef and friends.
 *   - arXiv papers carry eprint, archivePrefix = {arXiv} and primaryClass: for new-style ids the
 *     primary category the arXiv page showed (stored with the paper), none when no arXiv page was
 *     seen (Margins does not guess); old-style ids name their archive (hep-th/9901001);
 *   - tags become `keywords`, the note becomes `annote`;
 *   - text fields escape LaTeX's special characters and braces, so a title like
 *     "50% of {GPUs} & $\alpha$" reads back as itself; titles are double-braced to keep their case.
 * The output is checked by a BibTeX parser in tests/sync/bibtex.test.ts.
 */
import { isArxivCategory } from '@/lib/ids';
import type { ReadingEntry } from './export';

const SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '%': '\\%',
  '#': '\\#',
  _: '\\_',
  '^': '\\textasciicircum{}',
  '~': '\\textasciitilde{}',
  // In LaTeX's default (OT1) font encoding these print as other glyphs (< as ¡).
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
};

/**
 * Escape text for a BibTeX field: LaTeX specials and braces, and the ligatures LaTeX would make of
 * plain characters (-- is a dash, '' a closing quote, ?` an inverted question mark).
 */
export function escapeLatex(text: string): string {
  return (
    text
      .replace(/[\\{}$&%#_^~<>|]/g, (ch) => SPECIALS[ch])
      .replace(/-(?=-)/g, '-{}')
      .replace(/'(?=')/g, "'{}")
      .replace(/`(?=`)/g, '`{}')
      .replace(/([?!])`/g, '$1{}`')
      // Control characters other than newline have no meaning in LaTeX and confuse parsers.
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ')
  );
}

/**
 * Keywords are a comma-separated list that tools read verbatim (no LaTeX), so only what would break
 * the file is escaped: braces and backslashes. A comma or semicolon inside a tag has no escape in
 * that list (tools split on both) and becomes a hyphen, as spaces in tags do.
 */
export function keywordText(tag: string): string {
  return tag.replace(/[\\{}]/g, (ch) => `\\${ch}`).replace(/[,;]/g, '-');
}

/** URLs are verbatim in BibTeX: only braces (and whitespace) would break the field. */
export function escapeUrl(url: string): string {
  return url.replace(/\{/g, '%7B').replace(/\}/g, '%7D').replace(/\s/g, '%20');
}

/**
 * A note as LaTeX: line breaks as `\\{}` (a bare `\\` before a line starting with "[" would read it
 * as a spacing argument), blank lines as `\par` (BibTeX fields must not contain blank lines), spaces
 * at line ends dropped (LaTeX would drop them anyway).
 */
function noteText(note: string): string {
  const tidy = note
    .replace(/\r\n?/g, '\n')
    .replace(/[\t\u000b\f\u0000-\u0008\u000e-\u001f\u007f]/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
  return escapeLatex(tidy)
    .split(/\n{2,}/)
    .map((para) => para.replace(/\n/g, '\\\\{}'))
    .join('\\par ');
}

interface ArxivParts {
  eprint: string;
  primaryClass?: string;
  year?: number;
  month?: number;
}

/** `category` is the primary category stored with the paper (from an arXiv page), if any. */
function arxivParts(id: string, category?: string): ArxivParts | null {
  if (!id.startsWith('arxiv:')) return null;
  const bare = id.slice('arxiv:'.length);
  const shown = category && isArxivCategory(category) ? category : undefined;
  const modern = /^(\d{2})(\d{2})\.\d{4,5}$/.exec(bare);
  if (modern) {
    return { eprint: bare, ...(shown ? { primaryClass: shown } : {}), year: 2000 + Number(modern[1]), month: Number(modern[2]) };
  }
  const old = /^([a-z-]+)\/(\d{2})(\d{2})\d{3}$/.exec(bare);
  if (old) {
    const yy = Number(old[2]);
    // An old-style id names its archive, and the eprint carries it: primaryClass must not contradict
    // the eprint (hep-th/9901001 [hep-th]), and the id never goes stale, while a stored category may be
    // a later reclassification (solv-int papers now show nlin.SI) or a page's mistake. So the id's
    // archive wins over a different stored category. A stored subject class of that same archive
    // (math.GT for math/0309136) is not different: it is what the original id said before the
    // canonical id dropped the subject class, so it is kept.
    const archive = old[1];
    const primaryClass = shown && (shown === archive || shown.startsWith(`${archive}.`)) ? shown : archive;
    return { eprint: bare, primaryClass, year: yy >= 91 ? 1900 + yy : 2000 + yy, month: Number(old[3]) };
  }
  return { eprint: bare };
}

function yearOf(id: string): number | undefined {
  const arxiv = arxivParts(id);
  if (arxiv) return arxiv.year;
  const aclNew = /^acl:(\d{4})\./.exec(id);
  if (aclNew) return Number(aclNew[1]);
  const aclOld = /^acl:[A-Z](\d{2})-/.exec(id);
  if (aclOld) {
    const yy = Number(aclOld[1]);
    return yy >= 60 ? 1900 + yy : 2000 + yy;
  }
  return undefined;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const STOP_WORDS = new Set(['a', 'an', 'the', 'on', 'of', 'in', 'for', 'to', 'and', 'with', 'from', 'by', 'is', 'are', 'at', 'via']);

/** ASCII letters and digits only (citation keys must survive every LaTeX and every tool). */
function asciiWord(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Google Scholar-style keys: first author's family name, year, first significant title word. */
function citationKey(entry: ReadingEntry): string {
  const first = entry.paper?.authors[0] ?? '';
  const family = asciiWord(first.includes(',') ? first.split(',')[0] : first.trim().split(/\s+/).pop() ?? '');
  const word = (entry.paper?.title ?? '')
    .split(/\s+/)
    .map(asciiWord)
    .find((w) => /[a-z]/.test(w) && !STOP_WORDS.has(w));
  const year = yearOf(entry.id);
  if (family && word) return `${family}${year ?? ''}${word}`;
  return entry.id.replace(/[^A-Za-z0-9]+/g, '_').replace(/_+$/, '');
}

function authorList(authors: string[]): string {
  return authors
    .map((a) => a.trim())
    .filter(Boolean)
    .map((a) => {
      const escaped = escapeLatex(a);
      // A name containing the word "and" would split into two authors: brace it (a corporate name).
      return /\band\b/i.test(a) ? `{${escaped}}` : escaped;
    })
    .join(' and ');
}

function field(name: string, value: string): string {
  return `  ${name} = {${value}},`;
}

/** One paper as a BibTeX entry. `key` must be unique in the file. */
export function bibtexEntry(entry: ReadingEntry, key: string): string {
  const p = entry.paper;
  const lines = [`@misc{${key},`];
  lines.push(field('title', `{${escapeLatex(p?.title || entry.id)}}`));
  if (p?.authors.length) lines.push(field('author', authorList(p.authors)));
  const arxiv = arxivParts(entry.id, p?.category);
  const year = yearOf(entry.id);
  if (year) lines.push(field('year', String(year)));
  if (arxiv?.month) lines.push(`  month = ${MONTHS[arxiv.month - 1]},`);
  if (arxiv) {
    lines.push(field('eprint', arxiv.eprint));
    lines.push(field('archivePrefix', 'arXiv'));
    if (arxiv.primaryClass) lines.push(field('primaryClass', arxiv.primaryClass));
  }
  if (entry.id.startsWith('doi:')) lines.push(field('doi', escapeUrl(entry.id.slice(4))));
  const url = p?.links.abs ?? p?.links.acl ?? p?.links.openreview ?? p?.links.doi ?? p?.links.url ?? p?.links.scholar ??
    (entry.id.startsWith('url:') ? entry.id.slice(4) : undefined);
  if (url) lines.push(field('url', escapeUrl(url)));
  if (entry.tags.length) lines.push(field('keywords', entry.tags.map(keywordText).join(', ')));
  if (entry.note.trim()) lines.push(field('annote', noteText(entry.note)));
  lines.push('}');
  return lines.join('\n');
}

/** A whole BibTeX file; keys are made unique with a, b, c... suffixes. */
export function toBibtex(entries: ReadingEntry[]): string {
  const used = new Set<string>();
  const out: string[] = ['% Exported from Margins. Tags are in keywords, notes in annote.', ''];
  for (const e of entries) {
    const base = citationKey(e);
    let key = base;
    for (let n = 1; used.has(key); n++) key = `${base}${suffix(n)}`;
    used.add(key);
    out.push(bibtexEntry(e, key), '');
  }
  return out.join('\n');
}

/** 1 -> a, 26 -> z, 27 -> aa, ... */
function suffix(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(97 + ((k - 1) % 26)) + s;
  return s;
}
