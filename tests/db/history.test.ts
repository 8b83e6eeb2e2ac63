/**
 * The note history in chunks (lib/db/history.ts): every entry kept comes back, in the order kept,
 * whichever way it is asked for; chunks stay bounded; a reason change touches only its entry.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HISTORY_CHUNK, HISTORY_CHUNK_CHARS, type HistoryEntry, chunkHistory } from '@/lib/db/history';
import type { MarginsDB } from '@/lib/db/schema';
import { historyKey } from '@/lib/sync/merge';
import { DEVICES, PAPER_IDS, dropDb, freshDb } from '../sync/helpers';

let db: MarginsDB;
beforeEach(() => {
  db = freshDb();
});
afterEach(async () => {
  await dropDb(db);
});

const entry = (i: number, id = PAPER_IDS[i % PAPER_IDS.length], text = `older text ${i}`): HistoryEntry => ({
  id,
  text,
  c: { t: 1_700_000_000_000 + i, d: DEVICES[i % DEVICES.length] },
  reason: 'import',
  savedAt: 1_800_000_000_000,
});

describe('chunkHistory', () => {
  it('keeps every entry in order, at most HISTORY_CHUNK a chunk, and names each chunk\'s papers', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...PAPER_IDS), fc.integer({ min: 0, max: 400_000 })), { maxLength: 1_200 }), (spec) => {
        const entries = spec.map(([id, len], i) => entry(i, id, 'x'.repeat(len % 7 ? len % 50 : len)));
        const chunks = chunkHistory(entries);
        expect(chunks.flatMap((c) => c.entries)).toEqual(entries);
        for (const c of chunks) {
          expect(c.entries.length).toBeGreaterThan(0);
          expect(c.entries.length).toBeLessThanOrEqual(HISTORY_CHUNK);
          // Over the character bound only when one entry alone is.
          const chars = c.entries.reduce((n, e) => n + e.text.length, 0);
          if (c.entries.length > 1) expect(chars).toBeLessThanOrEqual(HISTORY_CHUNK_CHARS);
          expect(new Set(c.ids)).toEqual(new Set(c.entries.map((e) => e.id)));
          expect(c.ids.length).toBe(new Set(c.ids).size);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('NoteHistoryStore', () => {
  it('gives back what was added, by paper through the index and by reading everything alike', async () => {
    const first = Array.from({ length: 1_300 }, (_, i) => entry(i));
    const second = Array.from({ length: 40 }, (_, i) => entry(10_000 + i));
    await db.history.add(first);
    await db.history.add(second);
    await db.history.add([]);
    expect(await db.history.chunkCount()).toBe(4);
    const all = await db.history.toArray();
    expect(all.map(({ chunk: _c, ...e }) => e)).toEqual([...first, ...second]);
    for (const id of PAPER_IDS) {
      const mine = await db.history.forIds([id]);
      expect(mine).toEqual(all.filter((e) => e.id === id));
    }
    // Two papers whose entries share chunks: each chunk read once, each entry once.
    expect(await db.history.forIds([PAPER_IDS[0], PAPER_IDS[2]])).toEqual(all.filter((e) => e.id === PAPER_IDS[0] || e.id === PAPER_IDS[2]));
    // Many papers asked at once (read whole, then left out) gives the same as asking the index.
    const many = [PAPER_IDS[1], PAPER_IDS[3], ...Array.from({ length: 2_500 }, (_, i) => `arxiv:2405.${String(i).padStart(5, '0')}`)];
    expect(await db.history.forIds(many)).toEqual(all.filter((e) => e.id === PAPER_IDS[1] || e.id === PAPER_IDS[3]));
    expect(await db.history.forIds([])).toEqual([]);
  });

  it('changes the reason of the entries named, in their chunk, and of no other', async () => {
    const entries = Array.from({ length: 700 }, (_, i) => ({ ...entry(i), reason: 'local' as const }));
    await db.history.add(entries);
    const stored = await db.history.toArray();
    const target = stored[650];
    await db.history.setReasons([{ chunk: target.chunk, key: historyKey(target), reason: 'import' }], historyKey);
    const after = await db.history.toArray();
    expect(after.filter((e) => e.reason === 'import')).toEqual([{ ...target, reason: 'import' }]);
    expect(after.length).toBe(stored.length);
  });

  it('joins the caller\'s transaction: an add in a transaction that fails leaves nothing', async () => {
    await expect(
      db.transaction('rw', db.history.tables, async () => {
        await db.history.add([entry(1)]);
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect(await db.history.toArray()).toEqual([]);
  });
});
