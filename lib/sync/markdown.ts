/**
 * Markdown out: a reading list grouped by tag (a paper with two tags is listed under both), then the
 * papers with no tag. Each paper is a list item with its link, authors and star; its note follows as
 * a quote. Titles and authors come from web pages, so Markdown's punctuation in them is escaped; the
 * note is the reader's own text and is kept as written (it may well be Markdown).
 */
import type { ReadingEntry } from './export';
import type { ExportFilter } from './format';

/** Escape text so Markdown shows it literally (inline context). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+\-!|~]/g, (ch) => `\\${ch}`).replace(/\s+/g, ' ').trim();
}

/** Link targets: angle brackets allow spaces and parentheses; only < > and line breaks must go. */
function linkTarget(url: string): string {
  return `<${url.replace(/[<>\s]/g, (ch) => encodeURIComponent(ch))}>`;
}

function item(e: ReadingEntry): string {
  const p = e.paper;
  const title = escapeMarkdown(p?.title || e.id);
  const url = p?.links.abs ?? p?.links.acl ?? p?.links.openreview ?? p?.links.doi ?? p?.links.url ?? p?.links.hf;
  const head = url ? `[${title}](${linkTarget(url)})` : title;
  const star = e.starred ? '★ ' : '';
  const authors = p?.authors.length
    ? ` — ${escapeMarkdown(p.authors.length > 6 ? `${p.authors.slice(0, 6).join(', ')} et al.` : p.authors.join(', '))}`
    : '';
  const lines = [`- ${star}${head}${authors} (\`${e.id.replace(/`/g, "'")}\`)`];
  const note = e.note.replace(/\r\n?/g, '\n').trim();
  if (note) for (const line of note.split('\n')) lines.push(line ? `  > ${line}` : '  >');
  return lines.join('\n');
}

function scopeLine(filter: ExportFilter): string {
  if (filter.kind === 'starred') return 'Starred papers';
  if (filter.kind === 'tag') return `Papers tagged ${escapeMarkdown(filter.tag)}`;
  return 'All papers';
}

export interface MarkdownOptions {
  filter: ExportFilter;
  exportedAt: number;
}

export function toMarkdown(entries: ReadingEntry[], opts: MarkdownOptions): string {
  const byTag = new Map<string, ReadingEntry[]>();
  const untagged: ReadingEntry[] = [];
  for (const e of entries) {
    if (!e.tags.length) untagged.push(e);
    for (const t of e.tags) {
      const list = byTag.get(t) ?? [];
      list.push(e);
      byTag.set(t, list);
    }
  }
  const byTitle = (a: ReadingEntry, b: ReadingEntry) => (a.paper?.title || a.id).localeCompare(b.paper?.title || b.id);
  const out = [
    '# Reading list',
    '',
    `${scopeLine(opts.filter)} · ${entries.length.toLocaleString('en')} ${entries.length === 1 ? 'paper' : 'papers'} · exported from Margins on ${new Date(opts.exportedAt).toISOString().slice(0, 10)}`,
  ];
  // When exporting one tag, its own section comes first; the other tags follow.
  const tags = [...byTag.keys()].sort((a, b) => {
    if (opts.filter.kind === 'tag') {
      if (a === opts.filter.tag) return -1;
      if (b === opts.filter.tag) return 1;
    }
    return a.localeCompare(b);
  });
  for (const tag of tags) {
    const list = byTag.get(tag)!.sort(byTitle);
    out.push('', `## ${escapeMarkdown(tag)} (${list.length})`, '', ...list.map(item));
  }
  if (untagged.length) {
    out.push('', `## No tag (${untagged.length})`, '', ...untagged.sort(byTitle).map(item));
  }
  return `${out.join('\n')}\n`;
}
