/** The in-memory library follows the database: first page, full load, then only the changed records. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MarginsDB } from '@/lib/db/schema';
import * as repo from '@/lib/db/repository';
import { FIRST_PAGE_SIZE, LibraryStore, newestInOneRequest } from '@/lib/library/store';
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
    await db.annotations.clear();
    await until(() => store.getSnapshot().items.length === 0);
  });
});

describe('the first page in one request (IDBIndex.getAllRecords)', () => {
  /** What the cursor finds: the newest non-blank annotations, newest first. */
  const byCursor = () =>
    db.annotations
      .orderBy('updatedAt')
      .reverse()
      .filter((a) => !isBlank(a))
      .limit(FIRST_PAGE_SIZE)
      .toArray();

  it('finds what the cursor finds, in the same order', async () => {
    const fast = await newestInOneRequest(db, FIRST_PAGE_SIZE);
    expect(fast?.map((a) => a.id)).toEqual((await byCursor()).map((a) => a.id));
    expect(fast).toHaveLength(FIRST_PAGE_SIZE);
  });

  it('leaves it to the cursor when removed papers crowd the newest ones, and the page is still right', async () => {
    // The 70 newest-looking records become blank (removed papers keep their clocks as tombstones).
    const newest = await db.annotations.orderBy('updatedAt').reverse().limit(70).primaryKeys();
    await repo.deletePapers(db, newest);
    expect(await newestInOneRequest(db, FIRST_PAGE_SIZE)).toBeNull();
    const phases: number[] = [];
    store.subscribe(() => store.getSnapshot().phase === 'first-page' && phases.push(store.getSnapshot().items.length));
    await store.start();
    const cursor = await byCursor();
    expect(phases).toEqual([cursor.length]);
    expect(cursor.every((a) => !newest.includes(a.id))).toBe(true);
  });

  it('answers null where the browser has no getAllRecords', async () => {
    const proto = Object.getPrototypeOf(db.backendDB().transaction('annotations').objectStore('annotations').index('updatedAt'));
    const saved = Object.getOwnPropertyDescriptor(proto, 'getAllRecords');
    delete proto.getAllRecords;
    try {
      expect(await newestInOneRequest(db, FIRST_PAGE_SIZE)).toBeNull();
    } finally {
      if (saved) Object.defineProperty(proto, 'getAllRecords', saved);
    }
  });
});
