/**
 * CSV out (RFC 4180): CRLF line ends, a header row, fields quoted when they hold a comma, a quote or
 * a line break, quotes doubled. Lists (authors, tags) are joined with "; ".
 *
 * Spreadsheets run a cell that starts with = + - @ as a formula, and titles and authors come from web
 * pages, so such cells get a leading apostrophe (the OWASP advice against CSV injection). Notes and
 * tags get it too: they are less risky but the rule is simpler to trust when it has no exceptions.
 */
import type { ReadingEntry } from './export';

/** `category` (the arXiv primary category, format version 3) came last, so older columns kept their places. */
export const CSV_COLUMNS = ['id', 'title', 'authors', 'starred', 'tags', 'note', 'url', 'added', 'updated', 'category'] as const;

/** Quote a field when RFC 4180 requires it. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Defuse spreadsheet formulas (see the module comment). */
export function defuseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function isoDate(ms: number): string {
  return ms > 0 ? new Date(ms).toISOString() : '';
}

function row(values: string[]): string {
  return values.map((v) => csvField(v)).join(',');
}

export function toCsv(entries: ReadingEntry[]): string {
  const lines = [row([...CSV_COLUMNS])];
  for (const e of entries) {
    const p = e.paper;
    const url = p?.links.abs ?? p?.links.acl ?? p?.links.openreview ?? p?.links.doi ?? p?.links.url ?? p?.links.scholar ?? '';
    lines.push(
      row([
        e.id,
        defuseFormula(p?.title ?? ''),
        defuseFormula((p?.authors ?? []).join('; ')),
        e.starred ? 'yes' : 'no',
        defuseFormula(e.tags.join('; ')),
        defuseFormula(e.note),
        url,
        isoDate(e.createdAt),
        isoDate(e.updatedAt),
        p?.category ?? '', // a validated code (`cs.CL`): never a formula
      ]),
    );
  }
  // RFC 4180: every record ends with CRLF, the last one may too. The byte order mark is what makes
  // Excel read the file as UTF-8 (other readers, and RFC 4180 parsers such as Papa Parse, skip it).
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
