/**
 * The note history: note texts that lost a merge, or that a restore replaced, kept so that no words are
 * ever lost. It only grows (an entry is never removed; only its reason may change).
 *
 * Stored in chunks: one database row holds up to HISTORY_CHUNK entries (and at most HISTORY_CHUNK_CHARS
 * of text), with a multi-entry index on the papers its entries belong to. Why: Chromium's IndexedDB pays
 * per row. Measured in Chromium on the 2-core test machine, 5,000 entries (an import that keeps an older
 * note for a tenth of 50,000 papers) took 770–830 ms to add one row each, and 105–147 ms as one row;
 * reading 20,000 entries back took 663 ms one row each and 92 ms in chunks. Packs by paper (as the
 * annotations are kept) cost more with every import, as each rewrites the packs it touches.
 * A paper's history is found through the index: its chunks are read and the other papers' entries
 * left out.
 */
import type Dexie from 'dexie';
import type { Table } from 'dexie';
import type { Clock } from '@/lib/model';

/** One kept note text. */
export interface HistoryEntry {
  /** The paper the note belongs to. */
  id: string;
  text: string;
  /** The clock the text had when it was the note (its writer's device and time). */
  c: Clock;
  /** Why it was kept: 'import' (it lost a merge), 'local' (the reader replaced it here, by a restore). */
  reason: 'import' | 'local';
  /** When this device kept it. */
  savedAt: number;
}

/** A kept note text and the chunk it is stored in (to change its reason later). */
export interface StoredHistoryEntry extends HistoryEntry {
  chunk: number;
}

/** One database row of the history. */
export interface HistoryChunk {
  seq?: number;
  /** The papers of its entries (the multi-entry index). */
  ids: string[];
  entries: HistoryEntry[];
}

export const HISTORY_CHUNK = 500;
/** A chunk is closed early when its texts reach this many characters (notes may be up to 100,000). */
export const HISTORY_CHUNK_CHARS = 1_000_000;

/** Split entries into chunks, in order. */
export function chunkHistory(entries: readonly HistoryEntry[]): HistoryChunk[] {
  const chunks: HistoryChunk[] = [];
  let current: HistoryEntry[] = [];
  let chars = 0;
  const close = () => {
    if (!current.length) return;
    chunks.push({ ids: [...new Set(current.map((e) => e.id))], entries: current });
    current = [];
    chars = 0;
  };
  for (const e of entries) {
    if (current.length >= HISTORY_CHUNK || (current.length && chars + e.text.length > HISTORY_CHUNK_CHARS)) close();
    current.push(e);
    chars += e.text.length;
  }
  close();
  return chunks;
}

/** A text's identity in the history: the same text kept twice (from two devices, say) is one entry. */
export type HistoryKeyOf = (e: Pick<HistoryEntry, 'id' | 'text' | 'c'>) => string;

/**
 * Above this many papers, reading every chunk and leaving the others out is cheaper than asking the
 * index for each paper.
 */
const READ_ALL_ABOVE = 2_000;

export class NoteHistoryStore {
  constructor(
    private readonly db: Dexie,
    readonly chunks: Table<HistoryChunk, number>,
  ) {}

  /** The Dexie tables to name in a transaction that uses the history. */
  get tables(): Table[] {
    return [this.chunks];
  }

  private read<R>(fn: () => Promise<R>): Promise<R> {
    return this.db.transaction('r', this.tables, fn);
  }

  /** Every entry, oldest first. */
  toArray(): Promise<StoredHistoryEntry[]> {
    return this.read(async () => flatten(await this.chunks.toArray()));
  }

  /** The entries of these papers, oldest first. */
  forIds(ids: Iterable<string>): Promise<StoredHistoryEntry[]> {
    const wanted = new Set(ids);
    if (!wanted.size) return Promise.resolve([]);
    return this.read(async () => {
      let chunks: HistoryChunk[];
      if (wanted.size > READ_ALL_ABOVE) chunks = await this.chunks.toArray();
      else {
        // The index gives the chunks' keys only, and each chunk is then read once. Reading the rows
        // through the index read a chunk once for every wanted paper it holds: for the 50 notes of a
        // usual sync against 20,000 kept texts, 0.28-0.42 s (35-118 ms this way).
        const keys = new Set(await this.chunks.where('ids').anyOf([...wanted]).primaryKeys());
        chunks = (await this.chunks.bulkGet([...keys])).filter((c): c is HistoryChunk => !!c);
      }
      chunks.sort((a, b) => a.seq! - b.seq!);
      return flatten(chunks).filter((e) => wanted.has(e.id));
    });
  }

  /** How many chunks there are: grows with every addition (a cheap "has it changed" mark). */
  chunkCount(): Promise<number> {
    return this.chunks.count();
  }

  /** Keep these texts (joins the caller's transaction, if any). */
  async add(entries: readonly HistoryEntry[]): Promise<void> {
    if (!entries.length) return;
    await this.db.transaction('rw', this.tables, () => this.chunks.bulkAdd(chunkHistory(entries)));
  }

  /** Change the reason of kept texts, each named by its chunk and key. */
  async setReasons(updates: readonly { chunk: number; key: string; reason: HistoryEntry['reason'] }[], keyOf: HistoryKeyOf): Promise<void> {
    if (!updates.length) return;
    await this.db.transaction('rw', this.tables, async () => {
      const byChunk = new Map<number, Map<string, HistoryEntry['reason']>>();
      for (const u of updates) {
        let m = byChunk.get(u.chunk);
        if (!m) byChunk.set(u.chunk, (m = new Map()));
        m.set(u.key, u.reason);
      }
      const seqs = [...byChunk.keys()];
      const found = await this.chunks.bulkGet(seqs);
      const changed: HistoryChunk[] = [];
      found.forEach((chunk, i) => {
        if (!chunk) return;
        const reasons = byChunk.get(seqs[i])!;
        const entries = chunk.entries.map((e) => {
          const reason = reasons.get(keyOf(e));
          return reason && reason !== e.reason ? { ...e, reason } : e;
        });
        changed.push({ ...chunk, entries });
      });
      await this.chunks.bulkPut(changed);
    });
  }
}

function flatten(chunks: readonly HistoryChunk[]): StoredHistoryEntry[] {
  const out: StoredHistoryEntry[] = [];
  for (const chunk of chunks) for (const e of chunk.entries) out.push({ ...e, chunk: chunk.seq! });
  return out;
}
