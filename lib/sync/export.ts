/**
 * Export: read the library (all of it, the starred papers, or one tag) and write it as a Margins
 * export file (JSON, for sync and backup) or for other tools (BibTeX, CSV, Markdown).
 *
 * Reading is allowed outside the background (extension pages share the database origin), so exports
 * are built in the library page: a 50,000-paper export never crosses the message channel.
 */
import type { MarginsDB } from '@/lib/db/schema';
import { SCHEMA_VERSION } from '@/lib/db/schema';
import type { Settings } from '@/lib/settings';
import { toBibtex } from './bibtex';
import { toCsv } from './csv';
import {
  CARRIED_SETTINGS,
  type CarriedSettings,
  type ExportFile,
  type ExportFilter,
  FORMAT_NAME,
  FORMAT_VERSION,
} from './format';
import { toMarkdown } from './markdown';
import {
  type SyncState,
  canonicalAnnotation,
  canonicalHistory,
  canonicalPaper,
  canonicalTagMeta,
  emptyState,
  historyKey,
  mergeHistoryEntry,
  stateToRecords,
} from './merge';
import type { FilePaper } from './format';

export type ExportFormat = 'json' | 'bibtex' | 'csv' | 'markdown';

export type ProgressFn = (done: number, total: number, label: string) => void;

/** The device id as the repository stores it in `meta` (read here without creating one: pages never write). */
const DEVICE_META_KEY = 'deviceId';

/** Let the page paint (the progress bar) between the steps of a long export. */
const yieldToUi = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Read the synced state of the whole library, or of the papers a filter selects. */
export async function readState(db: MarginsDB, filter: ExportFilter = { kind: 'all' }, onProgress?: ProgressFn): Promise<SyncState> {
  const steps = 5;
  let done = 0;
  // The reads run side by side in one transaction (one consistent snapshot); each reports when done.
  const step = <T>(read: Promise<T>): Promise<T> =>
    read.then((rows) => {
      onProgress?.(++done, steps, 'Reading the library');
      return rows;
    });
  onProgress?.(0, steps, 'Reading the library');
  return db.transaction('r', [db.annotations, db.papers, db.aliases, db.tagMeta, db.noteHistory], async () => {
    const annotationsRead =
      filter.kind === 'all'
        ? db.annotations.toArray()
        : filter.kind === 'starred'
          ? db.annotations.where('starred').equals(1).toArray()
          : db.annotations.where('tagList').equals(filter.tag).toArray();
    const [annotations, allPapers, allAliases, history, metas] = await Promise.all([
      step(annotationsRead),
      filter.kind === 'all' ? step(db.papers.toArray()) : Promise.resolve(null),
      filter.kind === 'all' ? step(db.aliases.toArray()) : Promise.resolve(null),
      step(db.noteHistory.toArray()),
      step(db.tagMeta.toArray()),
    ]);
    const state = emptyState();
    for (const a of annotations) state.annotations.set(a.id, canonicalAnnotation(a));
    const ids = [...state.annotations.keys()];
    const idSet = new Set(ids);
    const papers = allPapers ?? (await step(db.papers.bulkGet(ids))).filter((p) => !!p);
    for (const p of papers) state.papers.set(p.id, canonicalPaper(p));
    const aliases = allAliases ?? (await step(db.aliases.where('id').anyOf(ids).toArray()));
    for (const a of aliases) state.aliases.set(a.alias, a.id);
    for (const row of history) {
      if (filter.kind !== 'all' && !idSet.has(row.id)) continue;
      const entry = canonicalHistory(row);
      const key = historyKey(entry);
      const existing = state.noteHistory.get(key);
      state.noteHistory.set(key, existing ? mergeHistoryEntry(existing, entry) : entry);
    }
    const usedTags = new Set(annotations.flatMap((a) => Object.keys(a.tags)));
    for (const m of metas) if (filter.kind === 'all' || usedTags.has(m.name)) state.tagMeta.set(m.name, canonicalTagMeta(m));
    return state;
  });
}

export interface ExportHeader {
  filter: ExportFilter;
  device: string;
  exportedAt: number;
  settings?: Partial<Settings>;
  app?: string;
}

/** The settings that travel: only in whole-library exports (a tag's reading list is not a backup). */
export function carriedSettings(settings: Partial<Settings> | undefined): CarriedSettings | undefined {
  if (!settings) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of CARRIED_SETTINGS) if (settings[k] !== undefined) out[k] = settings[k];
  return out as CarriedSettings;
}

export function buildExportFile(state: SyncState, header: ExportHeader): ExportFile {
  const settings = header.filter.kind === 'all' ? carriedSettings(header.settings) : undefined;
  return {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    exportedAt: header.exportedAt,
    device: header.device,
    schemaVersion: SCHEMA_VERSION,
    ...(header.app ? { app: header.app } : {}),
    filter: header.filter,
    ...stateToRecords(state),
    ...(settings ? { settings } : {}),
  };
}

const LIST_KEYS = ['papers', 'annotations', 'aliases', 'tagMeta', 'noteHistory'] as const;

/**
 * JSON with one record per line: still one JSON document, but a file that sync tools (and git, and
 * a reader with a text editor) can diff line by line.
 */
export function serializeExportFile(file: ExportFile): string {
  const { papers, annotations, aliases, tagMeta, noteHistory, settings, ...header } = file;
  const lists = { papers, annotations, aliases, tagMeta, noteHistory };
  const parts: string[] = [JSON.stringify(header).slice(0, -1)];
  for (const key of LIST_KEYS) {
    const items = lists[key] as unknown[];
    // One native stringify per list (much faster than one per record), then a line break between
    // records. Every record of a list starts with the same key (`{"id":`, `{"alias":`, `{"name":`), and
    // `},{"id":` occurs only between records: records hold no lists of objects, a raw quote inside
    // text is always escaped, and a string's closing quote is never followed by a key's letters.
    const first = items.length ? Object.keys(items[0] as object)[0] : '';
    const boundary = `},{${JSON.stringify(first)}:`;
    const body = items.length ? `\n${JSON.stringify(items).slice(1, -1).replaceAll(boundary, `},\n{${JSON.stringify(first)}:`)}\n` : '';
    parts.push(`,\n${JSON.stringify(key)}:[${body}]`);
  }
  if (settings) parts.push(`,\n"settings":${JSON.stringify(settings)}`);
  parts.push('}\n');
  return parts.join('');
}

/** A paper as a reading list shows it: current values only. */
export interface ReadingEntry {
  id: string;
  paper?: FilePaper;
  starred: boolean;
  tags: string[];
  note: string;
  createdAt: number;
  updatedAt: number;
}

/** The papers the reader kept (a paper with everything removed is a deletion, not an entry). */
export function readingEntries(state: SyncState): ReadingEntry[] {
  const out: ReadingEntry[] = [];
  for (const a of [...state.annotations.values()].sort((x, y) => (x.id < y.id ? -1 : 1))) {
    const tags = Object.keys(a.tags).filter((t) => a.tags[t].v).sort();
    const starred = !!a.star?.v;
    const note = a.note?.v ?? '';
    if (!starred && !tags.length && !note) continue;
    let updatedAt = Math.max(a.star?.c.t ?? 0, a.note?.c.t ?? 0);
    for (const t of Object.values(a.tags)) updatedAt = Math.max(updatedAt, t.c.t);
    out.push({ id: a.id, paper: state.papers.get(a.id), starred, tags, note, createdAt: a.createdAt, updatedAt });
  }
  return out;
}

export interface ExportOptions {
  format: ExportFormat;
  filter: ExportFilter;
  settings?: Partial<Settings>;
  app?: string;
  now?: number;
  onProgress?: ProgressFn;
}

export interface ExportOutput {
  text: string;
  filename: string;
  mime: string;
  /** Papers in the file (annotations, tombstones included for JSON). */
  count: number;
}

const EXTENSIONS: Record<ExportFormat, [string, string]> = {
  json: ['json', 'application/json'],
  bibtex: ['bib', 'application/x-bibtex'],
  csv: ['csv', 'text/csv'],
  markdown: ['md', 'text/markdown'],
};

export function exportFilename(format: ExportFormat, filter: ExportFilter, now: number): string {
  const day = new Date(now).toISOString().slice(0, 10);
  const scope = filter.kind === 'all' ? '' : filter.kind === 'starred' ? '-starred' : `-tag-${filter.tag.replace(/[^a-z0-9_-]+/gi, '_')}`;
  return `margins${scope}-${day}.${EXTENSIONS[format][0]}`;
}

/** Read the library and write it in one of the formats. */
export async function exportLibrary(db: MarginsDB, opts: ExportOptions): Promise<ExportOutput> {
  const now = opts.now ?? Date.now();
  const progress = opts.onProgress;
  const state = await readState(db, opts.filter, progress && ((d, t, l) => progress(d, t + 1, l)));
  progress?.(5, 6, 'Writing the file');
  await yieldToUi();
  const mime = EXTENSIONS[opts.format][1];
  let text: string;
  let count: number;
  if (opts.format === 'json') {
    const device = (await db.meta.get(DEVICE_META_KEY))?.value;
    const file = buildExportFile(state, {
      filter: opts.filter,
      device: typeof device === 'string' ? device : 'unknown',
      exportedAt: now,
      settings: opts.settings,
      app: opts.app,
    });
    text = serializeExportFile(file);
    count = file.annotations.length;
  } else {
    const entries = readingEntries(state);
    count = entries.length;
    text =
      opts.format === 'bibtex'
        ? toBibtex(entries)
        : opts.format === 'csv'
          ? toCsv(entries)
          : toMarkdown(entries, { filter: opts.filter, exportedAt: now });
  }
  progress?.(6, 6, 'Done');
  return { text, filename: exportFilename(opts.format, opts.filter, now), mime, count };
}
