import Dexie, { type EntityTable, type Table } from 'dexie';
import { type Annotation, type Clock, type Paper, isBlank } from '@/lib/model';
import { type HistoryChunk, type HistoryEntry, NoteHistoryStore, chunkHistory } from './history';
import { PACK_COUNT, type Pack, type PackSummaryBase, PackedTable, packAll } from './packs';

/** A tag's own metadata (colour), clocked like every other field so that it syncs. */
export interface TagMeta {
  name: string;
  color?: string;
  c: Clock;
}

/** A kept note text as schema v2-v4 stored it, one row each (v5 keeps them in chunks: history.ts). */
interface NoteHistoryRow extends HistoryEntry {
  seq?: number;
}

/** Papers the reader has been shown on a listing (for "new since last visit"). */
export interface SeenEntry {
  id: string;
  firstSeen: number;
}

/** Small key/value facts about this database: device id, last clock. */
export interface MetaEntry {
  key: string;
  value: unknown;
}

/**
 * A file a library page hands to the background for import, under a random key: the file itself as
 * the reader picked it (a Blob: the browser stores it without reading it into the page), or its JSON
 * text where the browser cannot store a Blob. The background removes it in the import's own
 * transaction, or when the file is refused or the preview cancelled.
 */
export interface InboxEntry {
  key: string;
  blob?: Blob;
  text?: string;
  /**
   * The text is a file that an extension page validated already with lib/sync/format.ts (folder sync's):
   * the background parses it without validating every record again (parseValidatedText).
   */
  validated?: true;
  at: number;
}

/** An alias id (a DOI of an ACL paper, say) and the canonical id it belongs to. */
export interface AliasEntry {
  alias: string;
  id: string;
}

/**
 * What the per-row indexes of v2 answered, per pack of annotations (see packs.ts): enough to count
 * stars and tags, and to know which packs a query must read.
 */
export interface AnnotationSummary extends PackSummaryBase {
  starred: number;
  /**
   * Tags present now, each with how many of the pack's papers carry it: the JSON text of
   * `[name, count]` pairs. Text, not an array: Chromium reads 1,024 summaries holding 100,000 small
   * arrays back far slower than 1,024 strings, and most questions (the first page, the starred count)
   * do not need the tags at all.
   */
  tags: string;
  /** Newest and oldest `updatedAt` of any record, blank ones included (0 for an empty pack). */
  newest: number;
  oldest: number;
  /** Newest `updatedAt` of a record that is not blank (the library's first page); 0 when none. */
  newestShown: number;
}

export type PaperSummary = PackSummaryBase;

export function summarizeAnnotations(pack: number, rows: readonly Annotation[]): AnnotationSummary {
  const tags = new Map<string, number>();
  let starred = 0;
  let newest = 0;
  let oldest = Infinity;
  let newestShown = 0;
  for (const a of rows) {
    starred += a.starred;
    for (const t of a.tagList) tags.set(t, (tags.get(t) ?? 0) + 1);
    newest = Math.max(newest, a.updatedAt);
    oldest = Math.min(oldest, a.updatedAt);
    if (!isBlank(a)) newestShown = Math.max(newestShown, a.updatedAt);
  }
  return { pack, count: rows.length, starred, tags: JSON.stringify([...tags]), newest, oldest: rows.length ? oldest : 0, newestShown };
}

/**
 * The numbers of every annotation pack's summary in one row, for the questions asked on every page
 * load (the library's first rows, the starred count, the export reminder): one small read instead of
 * 1,024 rows (100-135 ms at 50,000 papers on the test machine, against a few ms). A Float64Array
 * (copied as one block of memory), DIRECTORY_FIELDS numbers per pack; kept in step with the summaries
 * in the same transaction by every write.
 */
export interface PackDirectory {
  key: 'annotations';
  numbers: Float64Array;
}

export const DIRECTORY_FIELDS = 5;
/** Where each number sits in a pack's DIRECTORY_FIELDS. */
export const DirectoryField = { Count: 0, Starred: 1, Newest: 2, Oldest: 3, NewestShown: 4 } as const;

/** Write `summaries` into a directory's numbers (in place). */
export function fillDirectory(numbers: Float64Array, summaries: readonly AnnotationSummary[]): Float64Array {
  for (const s of summaries) {
    const at = s.pack * DIRECTORY_FIELDS;
    numbers[at + DirectoryField.Count] = s.count;
    numbers[at + DirectoryField.Starred] = s.starred;
    numbers[at + DirectoryField.Newest] = s.newest;
    numbers[at + DirectoryField.Oldest] = s.oldest;
    numbers[at + DirectoryField.NewestShown] = s.newestShown;
  }
  return numbers;
}

export function emptyDirectoryNumbers(): Float64Array {
  return new Float64Array(PACK_COUNT * DIRECTORY_FIELDS);
}

/** The tag counts of a summary. */
export function summaryTags(s: AnnotationSummary): [string, number][] {
  return JSON.parse(s.tags) as [string, number][];
}

/** Whether a summary may count `tag` (never false when it does; rarely true when it does not). */
export function summaryMayHaveTag(s: AnnotationSummary, tag: string): boolean {
  return s.tags.includes(JSON.stringify(tag));
}

export function summarizePapers(pack: number, rows: readonly Paper[]): PaperSummary {
  return { pack, count: rows.length };
}

export const DB_NAME = 'margins';

/**
 * Schema history. Never edit a version that has shipped: add a new one with an upgrade function.
 * Only what is queried is indexed.
 *   v1  papers, annotations (starred, tags, updatedAt indexed)
 *   v2  aliases, seen, note history, tag metadata, meta; annotations gain hasNote and createdAt,
 *       backfilled by the upgrade.
 *   v3  annotations and papers move into packs with a summary per pack (packs.ts); the upgrade
 *       copies every record.
 *   v4  the per-row annotations and papers tables are dropped (v3's upgrade has read them: an
 *       upgrade from v2 or v1 runs both in one transaction, all or nothing); an inbox for files
 *       handed to the background for import.
 *   v5  the note history moves into chunks of entries (history.ts); the upgrade copies every entry.
 *   v6  the per-row note history table is dropped (v5's upgrade has read it).
 */
export const SCHEMA_V1 = {
  papers: 'id',
  annotations: 'id, starred, *tagList, updatedAt',
};

export const SCHEMA_V2 = {
  ...SCHEMA_V1,
  aliases: 'alias, id',
  seen: 'id',
  noteHistory: '++seq, id',
  tagMeta: 'name',
  meta: 'key',
};

const PACK_TABLES = {
  annotationPacks: 'pack',
  annotationSummaries: 'pack',
  packDirectory: 'key',
  paperPacks: 'pack',
  paperSummaries: 'pack',
};

export const SCHEMA_V3 = { ...SCHEMA_V2, ...PACK_TABLES };

export const SCHEMA_V4 = { ...SCHEMA_V3, annotations: null, papers: null, inbox: 'key' };

export const SCHEMA_V5 = { ...SCHEMA_V4, historyChunks: '++seq, *ids' };

export const SCHEMA_V6 = { ...SCHEMA_V5, noteHistory: null };

export class MarginsDB extends Dexie {
  annotationPacks!: Table<Pack<Annotation>, number>;
  annotationSummaries!: Table<AnnotationSummary, number>;
  paperPacks!: Table<Pack<Paper>, number>;
  paperSummaries!: Table<PaperSummary, number>;
  packDirectory!: Table<PackDirectory, string>;
  /** The reader's annotations, one per paper, in packs. */
  readonly annotationStore: PackedTable<Annotation, AnnotationSummary>;
  /** What pages told us about each paper, in packs. */
  readonly paperStore: PackedTable<Paper, PaperSummary>;
  aliases!: EntityTable<AliasEntry, 'alias'>;
  seen!: EntityTable<SeenEntry, 'id'>;
  historyChunks!: Table<HistoryChunk, number>;
  /** Note texts that lost a merge or were replaced by a restore, in chunks. */
  readonly history: NoteHistoryStore;
  tagMeta!: EntityTable<TagMeta, 'name'>;
  meta!: EntityTable<MetaEntry, 'key'>;
  inbox!: EntityTable<InboxEntry, 'key'>;

  constructor(name = DB_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores(SCHEMA_V1);
    this.version(2)
      .stores(SCHEMA_V2)
      .upgrade(async (tx) => {
        // v1 annotations had no hasNote/createdAt: derive them so the library can filter on them.
        await tx
          .table('annotations')
          .toCollection()
          .modify((a: Partial<Annotation> & { id: string }) => {
            a.hasNote = a.note?.v ? 1 : 0;
            a.createdAt ??= a.updatedAt ?? Date.now();
          });
        // v1 papers had no aliases field.
        await tx
          .table('papers')
          .toCollection()
          .modify((p: Partial<Paper>) => {
            p.aliases ??= [];
          });
      });
    this.version(3)
      .stores(SCHEMA_V3)
      .upgrade(async (tx) => {
        const annotations = packAll(await tx.table<Annotation>('annotations').toArray(), summarizeAnnotations);
        await tx.table('annotationPacks').bulkAdd(annotations.packs);
        await tx.table('annotationSummaries').bulkAdd(annotations.summaries);
        await tx.table('packDirectory').put({ key: 'annotations', numbers: fillDirectory(emptyDirectoryNumbers(), annotations.summaries) });
        const papers = packAll(await tx.table<Paper>('papers').toArray(), summarizePapers);
        await tx.table('paperPacks').bulkAdd(papers.packs);
        await tx.table('paperSummaries').bulkAdd(papers.summaries);
      });
    this.version(4).stores(SCHEMA_V4);
    this.version(5)
      .stores(SCHEMA_V5)
      .upgrade(async (tx) => {
        // In the order they were kept (the primary key counts up).
        const rows = await tx.table<NoteHistoryRow>('noteHistory').toArray();
        const entries = rows.map(({ seq: _seq, ...entry }) => entry);
        await tx.table('historyChunks').bulkAdd(chunkHistory(entries));
      });
    this.version(6).stores(SCHEMA_V6);
    this.annotationStore = new PackedTable<Annotation, AnnotationSummary>(this, this.annotationPacks, this.annotationSummaries, summarizeAnnotations, {
      table: this.packDirectory,
      update: async (summaries) => {
        const numbers = (await this.packDirectory.get('annotations'))?.numbers ?? emptyDirectoryNumbers();
        await this.packDirectory.put({ key: 'annotations', numbers: fillDirectory(numbers, summaries) });
      },
    });
    this.paperStore = new PackedTable<Paper, PaperSummary>(this, this.paperPacks, this.paperSummaries, summarizePapers);
    this.history = new NoteHistoryStore(this, this.historyChunks);
  }
}

export const SCHEMA_VERSION = 6;
