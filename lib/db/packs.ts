/**
 * Packed storage: the library's large tables (annotations, papers) keep their records in packs, one
 * database row per pack of records, instead of one row per record.
 *
 * Why: Chromium's IndexedDB pays per row. Measured in a bare extension page on the 2-core test
 * machine, 50,000 annotations put one per row took 7.2 s (10.8 s with the indexes v2 had), and as
 * 100 rows of 500 records 0.31 s; read back 1.25 s against 0.13 s. An import that touches every
 * paper (a new device, a first sync) cannot meet its 5 s budget one row per record.
 *
 * How:
 * - A record's pack is a hash of its id modulo PACK_COUNT, fixed forever (changing either means a
 *   schema upgrade that repacks). At 50,000 papers a pack holds about 50 records: one edit rewrites
 *   ~50 records (well under a millisecond of cloning), a whole-library write is ~1,000 rows.
 * - Beside each pack, a small summary row (counts, tags, newest and oldest clock) answers what the
 *   per-row indexes used to (starred count, tag list, what changed since), and tells which packs a
 *   query must read, without reading the records.
 * - Writes are read-modify-write of whole packs. Each runs as a Dexie sub-transaction of the caller's
 *   transaction, and Dexie runs the sub-transactions of one transaction one at a time, so two writes
 *   started at once cannot both read a pack before either writes it (tests/db/packs.test.ts).
 */
import Dexie, { type Table } from 'dexie';

export const PACK_COUNT = 1024;

/** FNV-1a over the id's UTF-16 code units. Stable across versions: stored packs depend on it. */
export function packOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % PACK_COUNT;
}

/** Packs as read in a transaction (undefined: none stored), by pack number. */
export type PacksSeen<T> = Map<number, Pack<T> | undefined>;

/** One database row: the records whose ids hash to `pack`. */
export interface Pack<T> {
  pack: number;
  rows: T[];
}

/** What every summary holds; a table's summary adds its own facts. */
export interface PackSummaryBase {
  pack: number;
  count: number;
}

export type Summarize<T, S extends PackSummaryBase> = (pack: number, rows: readonly T[]) => S;

/** Group records into packs (a later record with the same id replaces an earlier one). */
export function groupByPack<T extends { id: string }>(rows: Iterable<T>): Map<number, Map<string, T>> {
  const out = new Map<number, Map<string, T>>();
  for (const row of rows) {
    const p = packOf(row.id);
    let pack = out.get(p);
    if (!pack) out.set(p, (pack = new Map()));
    pack.set(row.id, row);
  }
  return out;
}

/** Packs and summaries for a whole table's records (the schema upgrade, tests). */
export function packAll<T extends { id: string }, S extends PackSummaryBase>(
  rows: Iterable<T>,
  summarize: Summarize<T, S>,
): { packs: Pack<T>[]; summaries: S[] } {
  const packs: Pack<T>[] = [];
  const summaries: S[] = [];
  for (const [pack, byId] of groupByPack(rows)) {
    const list = [...byId.values()];
    packs.push({ pack, rows: list });
    summaries.push(summarize(pack, list));
  }
  return { packs, summaries };
}

/**
 * Dexie tells open pages exactly which keys a write touched only for writes of fewer than 50 rows
 * (larger ones are reported as "the whole table changed"); the library page then re-reads those
 * packs instead of everything. The batches run in parallel inside the caller's transaction.
 */
const OBSERVED_BATCH = 49;
function putObserved<R>(table: { bulkPut(rows: R[]): Promise<unknown> }, rows: R[]): Promise<unknown> {
  const batches: Promise<unknown>[] = [];
  for (let i = 0; i < rows.length; i += OBSERVED_BATCH) batches.push(table.bulkPut(rows.slice(i, i + OBSERVED_BATCH)));
  return Promise.all(batches);
}

/**
 * A table of records kept in packs, with the part of Dexie's Table API the library uses. Every method
 * joins the caller's transaction when there is one (which must then include `tables`), else runs in
 * its own.
 */
/** Something kept in step with the summaries, in the same transaction (the annotations' directory). */
export interface SummaryFollower<S> {
  table: Table;
  update(summaries: readonly S[]): Promise<void>;
}

export class PackedTable<T extends { id: string }, S extends PackSummaryBase> {
  constructor(
    private readonly db: Dexie,
    readonly packs: Table<Pack<T>, number>,
    readonly summaries: Table<S, number>,
    private readonly summarize: Summarize<T, S>,
    private readonly follower?: SummaryFollower<S>,
  ) {}

  /** The Dexie tables to name in a transaction that uses this table. */
  get tables(): Table[] {
    return this.follower ? [this.packs, this.summaries, this.follower.table] : [this.packs, this.summaries];
  }

  private read<R>(fn: () => Promise<R>): Promise<R> {
    return this.db.transaction('r', this.tables, fn);
  }

  async get(id: string): Promise<T | undefined> {
    return (await this.bulkGet([id]))[0];
  }

  /**
   * The records of `ids`, in their order (undefined where there is none). `seen` collects the packs
   * read, for a `bulkPut` later in the same transaction (which then need not read them again).
   */
  bulkGet(ids: readonly string[], seen?: PacksSeen<T>): Promise<(T | undefined)[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.read(async () => {
      const packIds = [...new Set(ids.map(packOf))];
      const found = await this.packs.bulkGet(packIds);
      if (seen) packIds.forEach((p, i) => seen.set(p, found[i]));
      const byId = new Map<string, T>();
      for (const p of found) if (p) for (const row of p.rows) byId.set(row.id, row);
      return ids.map((id) => byId.get(id));
    });
  }

  /** Every record. */
  toArray(): Promise<T[]> {
    return this.read(async () => (await this.packs.toArray()).flatMap((p) => p.rows));
  }

  /** The records of the given packs. `seen` collects the packs read (see bulkGet). */
  inPacks(packIds: Iterable<number>, seen?: PacksSeen<T>): Promise<T[]> {
    const list = [...new Set(packIds)];
    if (!list.length) return Promise.resolve([]);
    return this.read(async () => {
      const found = await this.packs.bulkGet(list);
      if (seen) list.forEach((p, i) => seen.set(p, found[i]));
      return found.flatMap((p) => p?.rows ?? []);
    });
  }

  /** Every pack's summary (small rows: what the per-row indexes used to answer). */
  summaryList(): Promise<S[]> {
    return this.summaries.toArray();
  }

  async count(): Promise<number> {
    let n = 0;
    for (const s of await this.summaryList()) n += s.count;
    return n;
  }

  async put(row: T): Promise<void> {
    await this.bulkPut([row]);
  }

  /**
   * Insert or replace records (by id), updating their packs' summaries. `seen`: packs a `bulkGet`
   * read earlier in this same transaction, with nothing written to them since; their records must
   * not have been changed in place (every writer here builds new records).
   */
  bulkPut(rows: readonly T[], seen?: PacksSeen<T>): Promise<void> {
    if (!rows.length) return Promise.resolve();
    return this.db.transaction('rw', this.tables, async () => {
      const incoming = groupByPack(rows);
      const packIds = [...incoming.keys()];
      const unread = seen ? packIds.filter((p) => !seen.has(p)) : packIds;
      const read = await this.packs.bulkGet(unread);
      const fresh = new Map(unread.map((p, i) => [p, read[i]]));
      const existing = packIds.map((p) => (fresh.has(p) ? fresh.get(p) : seen!.get(p)));
      const packs: Pack<T>[] = [];
      const summaries: S[] = [];
      packIds.forEach((pack, i) => {
        const byId = new Map<string, T>();
        for (const row of existing[i]?.rows ?? []) byId.set(row.id, row);
        for (const [id, row] of incoming.get(pack)!) byId.set(id, row);
        const list = [...byId.values()];
        packs.push({ pack, rows: list });
        summaries.push(this.summarize(pack, list));
      });
      await Promise.all([putObserved(this.packs, packs), this.summaries.bulkPut(summaries), this.follower?.update(summaries)]);
      // What this transaction now holds, for a later write in it.
      if (seen) for (const p of packs) seen.set(p.pack, p);
    });
  }
}
