/**
 * Export: read the library (all of it, the starred papers, or one tag) and write it as a Margins
 * export file (JSON, for sync and backup) or for other tools (BibTeX, CSV, Markdown).
 *
 * Reading is allowed outside the background (extension pages share the database origin), so exports
 * are built in the library page: a 50,000-paper export never crosses the message channel. The library
 * page already holds every annotation and paper in memory (LibraryStore), so its exports read only the
 * small tables from IndexedDB (see `RecordSource`).
 */
import type { MarginsDB } from '@/lib/db/schema';
import { starredAnnotations, withAnyTag } from '@/lib/db/queries';
import { SCHEMA_VERSION } from '@/lib/db/schema';
import type { LibraryRecords } from '@/lib/library/store';
import type { Annotation, Paper } from '@/lib/model';
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

/**
 * Where an export reads the two large tables (annotations, papers) from: the database, or the records
 * the library page keeps in memory. The small tables (aliases, tag colours, note history, meta) are
 * always read from the database.
 */
export interface RecordSource {
  /** The annotations a filter selects, blank ones included (their tombstones must travel). */
  annotations(filter: ExportFilter): Promise<Annotation[]>;
  /** The paper records of these ids (those that exist), or every paper record. */
  papers(ids: string[] | 'all'): Promise<Paper[]>;
}

/** Read from the database (inside the caller's transaction, when there is one). */
export function databaseRecords(db: MarginsDB): RecordSource {
  return {
    annotations: (filter) =>
      filter.kind === 'all'
        ? db.annotationStore.toArray()
        : filter.kind === 'starred'
          ? starredAnnotations(db)
          : withAnyTag(db, [filter.tag]),
    papers: async (ids) => (ids === 'all' ? db.paperStore.toArray() : (await db.paperStore.bulkGet(ids)).filter((p) => !!p)),
  };
}

/** Read from records already in memory; selects what the database's indexes would. */
export function memoryRecords(records: LibraryRecords): RecordSource {
  return {
    annotations: async (filter) => {
      const all = [...records.annotations.values()];
      if (filter.kind === 'all') return all;
      return filter.kind === 'starred' ? all.filter((a) => a.starred === 1) : all.filter((a) => a.tagList.includes(filter.tag));
    },
    papers: async (ids) => {
      if (ids === 'all') return [...records.papers.values()];
      const out: Paper[] = [];
      for (const id of ids) {
        const p = records.papers.get(id);
        if (p) out.push(p);
      }
      return out;
    },
  };
}

/** Read the synced state of the whole library, or of the papers a filter selects. */
export async function readState(
  db: MarginsDB,
  filter: ExportFilter = { kind: 'all' },
  onProgress?: ProgressFn,
  records: RecordSource = databaseRecords(db),
): Promise<SyncState> {
  const steps = 5;
  let done = 0;
  // The reads run side by side in one transaction (one consistent snapshot); each reports when done.
  const step = <T>(read: Promise<T>): Promise<T> =>
    read.then((rows) => {
      onProgress?.(++done, steps, 'Reading the library');
      return rows;
    });
  onProgress?.(0, steps, 'Reading the library');
  return db.transaction('r', [...db.annotationStore.tables, ...db.paperStore.tables, db.aliases, db.tagMeta, ...db.history.tables], async () => {
    const [annotations, allPapers, allAliases, history, metas] = await Promise.all([
      step(records.annotations(filter)),
      filter.kind === 'all' ? step(records.papers('all')) : Promise.resolve(null),
      filter.kind === 'all' ? step(db.aliases.toArray()) : Promise.resolve(null),
      step(db.history.toArray()),
      step(db.tagMeta.toArray()),
    ]);
    const state = emptyState();
    for (const a of annotations) state.annotations.set(a.id, canonicalAnnotation(a));
    const ids = [...state.annotations.keys()];
    const idSet = new Set(ids);
    const papers = allPapers ?? (await step(records.papers(ids)));
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
  return serializeExportParts(file).join('');
}

/**
 * The same text in pieces: one string per record and one per line break, in order. A Blob of the
 * pieces is built about twice as fast as one of the joined 30 MB text (in Chromium, one character
 * outside Latin-1 makes a joined string two bytes per character; each record's own string stays one
 * byte per character unless the record itself has such a character). One stringify per record, too,
 * is faster in Chromium than one per list.
 */
export function serializeExportParts(file: ExportFile): string[] {
  const { papers, annotations, aliases, tagMeta, noteHistory, settings, ...header } = file;
  const lists = { papers, annotations, aliases, tagMeta, noteHistory };
  const parts: string[] = [JSON.stringify(header).slice(0, -1)];
  for (const key of LIST_KEYS) {
    const items = lists[key] as unknown[];
    parts.push(`,\n${JSON.stringify(key)}:[`);
    if (items.length) {
      parts.push('\n');
      const last = items.length - 1;
      for (let i = 0; i < last; i++) parts.push(JSON.stringify(items[i]), ',\n');
      parts.push(JSON.stringify(items[last]), '\n');
    }
    parts.push(']');
  }
  if (settings) parts.push(`,\n"settings":${JSON.stringify(settings)}`);
  parts.push('}\n');
  return parts;
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
  /** The annotations and papers already in memory (the library page's); read from the database when absent. */
  records?: LibraryRecords | null;
  /** The state already read with this filter (then nothing is read again). */
  state?: SyncState;
  settings?: Partial<Settings>;
  app?: string;
  now?: number;
  onProgress?: ProgressFn;
}

export interface ExportOutput {
  /** The file's text (joined from `parts` when first read). */
  readonly text: string;
  /** The same text in pieces, for a Blob (see `serializeExportParts`). */
  parts: readonly string[];
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
  const source = opts.records ? memoryRecords(opts.records) : databaseRecords(db);
  const state = opts.state ?? (await readState(db, opts.filter, progress && ((d, t, l) => progress(d, t + 1, l)), source));
  progress?.(5, 6, 'Writing the file');
  await yieldToUi();
  const mime = EXTENSIONS[opts.format][1];
  let parts: string[];
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
    parts = serializeExportParts(file);
    count = file.annotations.length;
  } else {
    const entries = readingEntries(state);
    count = entries.length;
    parts = [
      opts.format === 'bibtex'
        ? toBibtex(entries)
        : opts.format === 'csv'
          ? toCsv(entries)
          : toMarkdown(entries, { filter: opts.filter, exportedAt: now }),
    ];
  }
  progress?.(6, 6, 'Done');
  let text: string | undefined;
  return {
    get text() {
      return (text ??= parts.join(''));
    },
    parts,
    filename: exportFilename(opts.format, opts.filter, now),
    mime,
    count,
  };
}
