/**
 * Packed storage (lib/db/packs.ts): records in, the same records out, and summaries that always
 * say what the records say, whatever was written before.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PACK_COUNT, packOf } from '@/lib/db/packs';
import { newestShown, starredCount, tagCounts, updatedRange, withAnyTag } from '@/lib/db/queries';
import { type AnnotationSummary, type MarginsDB, emptyDirectoryNumbers, fillDirectory, summarizeAnnotations } from '@/lib/db/schema';
import { type Annotation, deriveAnnotation, isBlank } from '@/lib/model';
import { generateLibrary } from '../library/seed';
import { dropDb, freshDb } from '../sync/helpers';

const NOW = 1_780_000_000_000;
let db: MarginsDB;

beforeEach(() => {
  db = freshDb();
});
afterEach(async () => {
  await dropDb(db);
});

/** The summaries as they would be if computed from the stored records now. */
async function recomputed(): Promise<AnnotationSummary[]> {
  const packs = await db.annotationPacks.toArray();
  return packs.map((p) => summarizeAnnotations(p.pack, p.rows)).sort((a, b) => a.pack - b.pack);
}

const byPack = (list: AnnotationSummary[]) => [...list].sort((a, b) => a.pack - b.pack);

describe('packOf', () => {
  it('is the stored hash: fixed values, every pack reachable', () => {
    // Stored packs depend on these (FNV-1a, checked against an independent implementation): a change
    // here needs a schema upgrade that repacks.
    expect(['arxiv:2301.00001', 'doi:10.18653/v1/2021.naacl-main.208', '', 'openreview:rJXMpikCZ'].map(packOf)).toEqual([500, 384, 453, 319]);
    const used = new Set(Array.from({ length: 20_000 }, (_, i) => packOf(`arxiv:2301.${String(i).padStart(5, '0')}`)));
    expect(used.size).toBe(PACK_COUNT);
  });
});

describe('PackedTable', () => {
  it('gives back each record by id, in the order asked, undefined where there is none', async () => {
    const lib = generateLibrary({ papers: 3_000, tags: 12, seed: 3, now: NOW });
    await db.annotationStore.bulkPut(lib.annotations);
    await db.paperStore.bulkPut(lib.papers);
    const ids = lib.annotations.map((a) => a.id);
    const asked = [...ids.slice(0, 500).reverse(), 'arxiv:9999.99999', ids[7]];
    const got = await db.annotationStore.bulkGet(asked);
    expect(got.map((a) => a?.id)).toEqual([...ids.slice(0, 500).reverse(), undefined, ids[7]]);
    expect(got[0]).toEqual(lib.annotations[499]);
    expect(await db.annotationStore.count()).toBe(3_000);
    expect(await db.paperStore.count()).toBe(3_000);
    const all = await db.annotationStore.toArray();
    expect(new Map(all.map((a) => [a.id, a]))).toEqual(new Map(lib.annotations.map((a) => [a.id, a])));
    // About 3 records a pack: fewer database rows than records.
    expect(await db.annotationPacks.count()).toBeLessThanOrEqual(PACK_COUNT);
  });

  it('keeps the summaries equal to the records after any sequence of writes (property)', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `arxiv:2402.${String(i).padStart(5, '0')}`);
    const record = fc.record({
      id: fc.constantFrom(...ids),
      star: fc.boolean(),
      tags: fc.uniqueArray(fc.constantFrom('rl', 'nlp', 'vision', 'to-read', 'gone'), { maxLength: 3 }),
      removed: fc.uniqueArray(fc.constantFrom('rl', 'gone'), { maxLength: 2 }),
      note: fc.constantFrom('', 'a note'),
      t: fc.integer({ min: 1, max: 1_000_000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(record, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 6 }), async (writes) => {
        await db.transaction('rw', db.annotationStore.tables, () => Promise.all([db.annotationPacks.clear(), db.annotationSummaries.clear(), db.packDirectory.clear()]));
        const expected = new Map<string, Annotation>();
        for (const batch of writes) {
          const rows = batch.map((w) => {
            const c = { t: w.t, d: 'dev' };
            const tags: Annotation['tags'] = {};
            for (const t of w.removed) tags[t] = { v: false, c };
            for (const t of w.tags) tags[t] = { v: true, c };
            return deriveAnnotation({ id: w.id, createdAt: 1, tags, star: { v: w.star, c }, note: { v: w.note, c } });
          });
          await db.annotationStore.bulkPut(rows);
          for (const r of rows) expected.set(r.id, r);
        }
        expect(byPack(await db.annotationStore.summaryList())).toEqual(await recomputed());
        // (As arrays: the stored copy is a Float64Array of fake-indexeddb's realm.)
        expect(Array.from((await db.packDirectory.get('annotations'))!.numbers)).toEqual(Array.from(fillDirectory(emptyDirectoryNumbers(), await recomputed())));
        expect(new Map((await db.annotationStore.toArray()).map((a) => [a.id, a]))).toEqual(expected);
        const list = [...expected.values()];
        expect(await starredCount(db)).toBe(list.filter((a) => a.starred).length);
        const counts = new Map<string, number>();
        for (const a of list) for (const t of a.tagList) counts.set(t, (counts.get(t) ?? 0) + 1);
        expect(await tagCounts(db)).toEqual(counts);
        expect((await withAnyTag(db, ['rl', 'to-read'])).map((a) => a.id).sort()).toEqual(
          list.filter((a) => a.tagList.includes('rl') || a.tagList.includes('to-read')).map((a) => a.id).sort(),
        );
        const shown = list.filter((a) => !isBlank(a)).sort((a, b) => b.updatedAt - a.updatedAt);
        expect((await newestShown(db, 5)).map((a) => a.updatedAt)).toEqual(shown.slice(0, 5).map((a) => a.updatedAt));
        const times = list.map((a) => a.updatedAt);
        expect(await updatedRange(db)).toEqual({ oldest: Math.min(...times), newest: Math.max(...times) });
      }),
      { numRuns: 60 },
    );
  });

  it('finds the newest of a large library from few packs', async () => {
    const lib = generateLibrary({ papers: 5_000, tags: 20, seed: 9, now: NOW });
    await db.annotationStore.bulkPut(lib.annotations);
    const read: number[] = [];
    const original = db.annotationStore.inPacks.bind(db.annotationStore);
    db.annotationStore.inPacks = (packs) => {
      const list = [...packs];
      read.push(...list);
      return original(list);
    };
    const newest = await newestShown(db, 30);
    db.annotationStore.inPacks = original;
    const expected = lib.annotations.filter((a) => !isBlank(a)).sort((a, b) => b.updatedAt - a.updatedAt).slice(0, 30);
    expect(newest.map((a) => a.id)).toEqual(expected.map((a) => a.id));
    expect(read.length).toBeLessThanOrEqual(60);
  });

  it('is all or nothing: a write that fails at its last step (the directory) leaves packs and summaries as they were', async () => {
    const lib = generateLibrary({ papers: 300, tags: 8, seed: 4, now: NOW });
    await db.annotationStore.bulkPut(lib.annotations);
    const dump = async () => JSON.stringify([await db.annotationPacks.toArray(), await db.annotationSummaries.toArray(), Array.from((await db.packDirectory.get('annotations'))!.numbers)]);
    const before = await dump();
    const put = db.packDirectory.put.bind(db.packDirectory);
    db.packDirectory.put = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    try {
      const changed = lib.annotations.slice(0, 120).map((a) => deriveAnnotation({ ...a, note: { v: 'new words', c: { t: NOW + 1, d: 'd' } } }));
      await expect(db.annotationStore.bulkPut(changed)).rejects.toThrow(/quota/);
    } finally {
      db.packDirectory.put = put;
    }
    expect(await dump()).toBe(before);
  });

  it('loses nothing when two writes of one pack start at once in one transaction', async () => {
    // Two ids of the same pack: both writes read-modify-write that one pack.
    const first = 'arxiv:2301.00001';
    let i = 2;
    while (packOf(`arxiv:2301.${String(i).padStart(5, '0')}`) !== packOf(first)) i++;
    const second = `arxiv:2301.${String(i).padStart(5, '0')}`;
    const a = deriveAnnotation({ id: first, createdAt: 1, tags: {}, star: { v: true, c: { t: 5, d: 'd' } } });
    const b = deriveAnnotation({ id: second, createdAt: 1, tags: {}, note: { v: 'kept', c: { t: 6, d: 'd' } } });
    await db.transaction('rw', db.annotationStore.tables, () => Promise.all([db.annotationStore.bulkPut([a]), db.annotationStore.bulkPut([b])]));
    expect(await db.annotationStore.bulkGet([first, second])).toEqual([a, b]);
    // And without a transaction around them (two transactions, which IndexedDB runs one after the other).
    const a2 = deriveAnnotation({ ...a, note: { v: 'later', c: { t: 7, d: 'd' } } });
    const b2 = deriveAnnotation({ ...b, star: { v: true, c: { t: 8, d: 'd' } } });
    await Promise.all([db.annotationStore.put(a2), db.annotationStore.put(b2)]);
    expect(await db.annotationStore.bulkGet([first, second])).toEqual([a2, b2]);
    expect(byPack(await db.annotationStore.summaryList())).toEqual(await recomputed());
  });

});
