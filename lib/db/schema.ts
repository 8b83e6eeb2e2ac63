import Dexie, { type EntityTable } from 'dexie';
import type { Annotation, Clock, Paper } from '@/lib/model';

/** A tag's own metadata (colour), clocked like every other field so that it syncs. */
export interface TagMeta {
  name: string;
  color?: string;
  c: Clock;
}

/** A note text that lost a merge or was overwritten by an import: kept so no words are ever lost. */
export interface NoteHistoryEntry {
  seq?: number;
  id: string;
  text: string;
  c: Clock;
  /** Why it was kept: 'import' (lost a merge), 'local' (replaced by an edit on this device). */
  reason: 'import' | 'local';
  savedAt: number;
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

/** An alias id (a DOI of an ACL paper, say) and the canonical id it belongs to. */
export interface AliasEntry {
  alias: string;
  id: string;
}

export const DB_NAME = 'margins';

/**
 * Schema history. Never edit a version that has shipped: add a new one with an upgrade function.
 * Only what is queried is indexed.
 *   v1  papers, annotations (starred, tags, updatedAt indexed)
 *   v2  aliases, seen, note history, tag metadata, meta; annotations gain hasNote and createdAt,
 *       backfilled by the upgrade.
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

export class MarginsDB extends Dexie {
  papers!: EntityTable<Paper, 'id'>;
  annotations!: EntityTable<Annotation, 'id'>;
  aliases!: EntityTable<AliasEntry, 'alias'>;
  seen!: EntityTable<SeenEntry, 'id'>;
  noteHistory!: EntityTable<NoteHistoryEntry, 'seq'>;
  tagMeta!: EntityTable<TagMeta, 'name'>;
  meta!: EntityTable<MetaEntry, 'key'>;

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
  }
}

export const SCHEMA_VERSION = 2;
