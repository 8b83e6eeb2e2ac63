/** The in-memory library follows the database: first page, full load, then only the changed records. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MarginsDB } from '@/lib/db/schema';
import * as repo from '@/lib/db/repository';
import { FIRST_PAGE_SIZE, LibraryStore } from '@/lib/library/store';
import { newestShown } from '@/lib/db/queries';
import { isBlank } from '@/lib/model';

let db: MarginsDB;
let store: LibraryStore;

beforeEach(async () => {
  db = new MarginsDB(`store-${Math.random()}`);
  const edits = Array.from({ length: 100 }, (_, i) => ({
    id: `arxiv:2301.${String(i).padStart(5, '0')}`,
    star: i % 2 === 0,
    addTags: i % 3 === 0 ? ['third'] : [],
    note: i === 7 ? 'only a note' : undefined,
    paper: { id: `arxiv:2301.${String(i).padStart(5, '0')}`, title: `Paper ${i}`, authors: ['Ada Lovelace'], links: {}, site: 'arxiv' },
  }));
  await repo.applyEdits(db, edits);
  store = new LibraryStore(db);
});

afterEach(() => store.stop());

const until = async (fn: () => boolean) => {
  for (let i = 0; i < 200 && !fn(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(fn()).toBe(true);
};

describe('LibraryStore', () => {
  it('shows a first page, newest first, then every paper in the library (blank ones left out)', async () => {
    const phases: string[] = [];
    const counts: number[] = [];
    store.subscribe(() => {
      phases.push(store.getSnapshot().phase);
      counts.push(store.getSnapshot().items.length);
    });
    await store.start();
    expect(phases).toEqual(['first-page', 'ready']);
    // Papers 1, 5, 11, ... have no star, tag or note: blank, not in the library.
    const expected = Array.from({ length: 100 }, (_, i) => i).filter((i) => i % 2 === 0 || i % 3 === 0 || i === 7).length;
    expect(counts).toEqual([FIRST_PAGE_SIZE, expected]);
    expect(store.getSnapshot().byId.get('arxiv:2301.00007')?.note).toBe('only a note');
    expect(store.getSnapshot().byId.has('arxiv:2301.00001')).toBe(false);
  });

  it('follows writes: edits, new papers, deletions and renames, reading only what changed', async () => {
    await store.start({ firstPage: false });
    const before = store.getSnapshot().items.length;
    await repo.applyEdits(db, [{ id: 'arxiv:2301.00001', addTags: ['new-tag'] }]);
    await until(() => store.getSnapshot().byId.get('arxiv:2301.00001')?.tags.includes('new-tag') === true);
    expect(store.getSnapshot().items.length).toBe(before + 1);

    await repo.deletePapers(db, ['arxiv:2301.00000', 'arxiv:2301.00002']);
    await until(() => !store.getSnapshot().byId.has('arxiv:2301.00002'));
    expect(store.getSnapshot().byId.has('arxiv:2301.00000')).toBe(false);

    await repo.renameTag(db, 'third', 'every-third');
    await until(() => store.getSnapshot().byId.get('arxiv:2301.00003')?.tags.join() === 'every-third');
    expect(store.getSnapshot().items.filter((i) => i.tags.includes('third'))).toEqual([]);
    // The search text follows too.
    expect(store.getSnapshot().byId.get('arxiv:2301.00003')?.text).toContain('every-third');
  });

  it('re-reads only the changed records after a bulk change of many papers', async () => {
    await store.start({ firstPage: false });
    const fullReads = () => performance.getEntriesByName('margins:all-read').length;
    const before = fullReads();
    const ids = Array.from({ length: 100 }, (_, i) => `arxiv:2301.${String(i).padStart(5, '0')}`);
    const changed = await repo.bulkEdit(db, ids, { addTags: ['bulk'] });
    expect(changed).toBe(100);
    await until(() => store.getSnapshot().items.filter((i) => i.tags.includes('bulk')).length === 100);
    // Blank papers got a tag: they joined the library, with their titles.
    expect(store.getSnapshot().byId.get('arxiv:2301.00001')?.title).toBe('Paper 1');
    expect(fullReads()).toBe(before);
  });

  it('reads everything again when a whole table is replaced', async () => {
    await store.start({ firstPage: false });
    await db.transaction('rw', db.annotationStore.tables, () => Promise.all([db.annotationPacks.clear(), db.annotationSummaries.clear(), db.packDirectory.clear()]));
    await until(() => store.getSnapshot().items.length === 0);
  });
});

describe('the first page: the newest papers, from the packs holding them', () => {
  /** The answer read the slow way: every record, sorted. */
  const everything = async () =>
    (await db.annotationStore.toArray())
      .filter((a) => !isBlank(a))
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, FIRST_PAGE_SIZE);

  it('finds what sorting every record finds, in the same order, reading few packs', async () => {
    const reads: number[] = [];
    const inPacks = db.annotationStore.inPacks.bind(db.annotationStore);
    db.annotationStore.inPacks = (packs) => {
      const list = [...packs];
      reads.push(list.length);
      return inPacks(list);
    };
    try {
      const fast = await newestShown(db, FIRST_PAGE_SIZE);
      expect(fast.map((a) => a.updatedAt)).toEqual((await everything()).map((a) => a.updatedAt));
      expect(fast).toHaveLength(FIRST_PAGE_SIZE);
      // Fewer packs than the library has (the point of reading the summaries first).
      const packsInUse = (await db.annotationSummaries.count());
      expect(reads.reduce((n, r) => n + r, 0)).toBeLessThan(packsInUse);
    } finally {
      db.annotationStore.inPacks = inPacks;
    }
  });

  it('skips removed papers that crowd the newest, and the page is still right', async () => {
    // The 70 newest records become blank (removed papers keep their clocks as tombstones): newer than any other.
    const newest = (await db.annotationStore.toArray()).sort((a, b) => b.updatedAt - a.updatedAt).slice(0, 70).map((a) => a.id);
    await repo.deletePapers(db, newest);
    const phases: string[][] = [];
    store.subscribe(() => store.getSnapshot().phase === 'first-page' && phases.push(store.getSnapshot().items.map((i) => i.id)));
    await store.start();
    const expected = await everything();
    expect(phases).toHaveLength(1);
    expect(new Set(phases[0])).toEqual(new Set(expected.map((a) => a.id)));
    expect(expected.every((a) => !newest.includes(a.id))).toBe(true);
  });
});
