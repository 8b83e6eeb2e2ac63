/**
 * Exports built from the library page's records in memory (LibraryStore.records) instead of the
 * database: the same bytes, never missing a write that completed before the export started. And the
 * import preview, which reads only the part of the library a file touches: it says what planning
 * against every local record says.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readByKeys } from '@/lib/db/read';
import { tagCounts } from '@/lib/db/queries';
import * as repo from '@/lib/db/repository';
import type { MarginsDB } from '@/lib/db/schema';
import { LibraryStore } from '@/lib/library/store';
import { type ExportFormat, buildExportFile, exportLibrary, readState, serializeExportFile } from '@/lib/sync/export';
import { type ExportFilter, ImportError, parseExportText } from '@/lib/sync/format';
import { type LocalSlice, applyImport, planImport, previewImport } from '@/lib/sync/import';
import { historyKey, stateFromFile } from '@/lib/sync/merge';
import { generateLibrary } from '../library/seed';
import { LONG, PAPER_IDS, RUNS, dropDb, freshDb, recordsArb } from './helpers';

const NOW = Date.UTC(2025, 5, 1);
const SETTINGS = { shortcuts: true, exportReminderDays: 7 };

let db: MarginsDB;
let store: LibraryStore;
let ids: string[];

/**
 * A generated library (400 papers, 40 tags, colours), then what a library collects over time: aliases,
 * removed tags, unstarred papers, papers deleted down to their tombstones, and note texts kept in the
 * history by an import from another device.
 */
beforeEach(async () => {
  db = freshDb();
  const lib = generateLibrary({ papers: 400, tags: 40, seed: 11, now: NOW });
  await db.paperStore.bulkPut(lib.papers);
  await db.annotationStore.bulkPut(lib.annotations);
  await db.tagMeta.bulkPut(lib.tagMeta);
  ids = lib.annotations.map((a) => a.id);
  const withTag = lib.annotations.filter((a) => a.tagList.length).slice(0, 40);
  await repo.applyEdits(db, withTag.map((a) => ({ id: a.id, removeTags: [a.tagList[0]] })));
  await repo.applyEdits(db, lib.annotations.filter((a) => a.starred).slice(0, 30).map((a) => ({ id: a.id, star: false })));
  await repo.deletePapers(db, ids.slice(100, 120));
  const arxiv = lib.papers.filter((p) => p.id.startsWith('arxiv:')).slice(0, 5);
  await repo.applyEdits(db, arxiv.map((p, i) => ({ id: p.id, paper: { ...p, aliases: [`doi:10.9999/alias.${i}`] } })));
  await repo.setTagColor(db, lib.tags[1], '#123456');
  // Another device's older notes on ten papers: they lose, and are kept in the note history.
  const c = { t: NOW - 10 * 365 * 86_400_000, d: 'otherdevice' };
  const annotations = ids.slice(0, 10).map((id) => ({ id, tags: {}, note: { v: `older text on ${id}`, c }, createdAt: c.t }));
  await applyImport(db, buildExportFile(stateFromFile({ papers: [], annotations, aliases: [], tagMeta: [], noteHistory: [] }), { filter: { kind: 'all' }, device: 'otherdevice', exportedAt: c.t }));
  expect(await db.history.chunkCount()).toBeGreaterThan(0);
  expect(await db.aliases.count()).toBe(5);
  store = new LibraryStore(db);
  await store.start({ firstPage: false });
});

afterEach(async () => {
  store.stop();
  await dropDb(db);
});

const exportBoth = async (format: ExportFormat, filter: ExportFilter) => {
  const opts = { format, filter, settings: SETTINGS, now: NOW };
  const fromDb = await exportLibrary(db, opts);
  const fromMemory = await exportLibrary(db, { ...opts, records: await store.records() });
  return { fromDb, fromMemory };
};

describe('export from the records in memory', () => {
  it('gives the same bytes as from the database, in every format and filter', async () => {
    const tag = [...(await tagCounts(db)).keys()].sort()[3];
    const filters: ExportFilter[] = [{ kind: 'all' }, { kind: 'starred' }, { kind: 'tag', tag }];
    for (const filter of filters) {
      for (const format of ['json', 'bibtex', 'csv', 'markdown'] as const) {
        const { fromDb, fromMemory } = await exportBoth(format, filter);
        expect(fromMemory.text, `${format} ${JSON.stringify(filter)}`).toBe(fromDb.text);
        expect(fromMemory.parts.join('')).toBe(fromDb.text);
        expect(fromMemory.count).toBe(fromDb.count);
      }
    }
    // The whole-library file has what the list hides: papers with only tombstones, and the history.
    const file = parseExportText((await exportBoth('json', { kind: 'all' })).fromMemory.text);
    expect(file.annotations).toHaveLength(400);
    const deleted = file.annotations.find((a) => a.id === ids[100])!;
    expect(Object.values(deleted.tags).every((t) => !t.v) && !deleted.star?.v && !deleted.note?.v).toBe(true);
    expect(store.getSnapshot().byId.has(ids[100])).toBe(false);
    expect(file.noteHistory.length).toBeGreaterThan(0);
    expect(file.aliases).toHaveLength(5);
  });

  it('has every write that completed before the export started, without waiting for the list to catch up', async () => {
    const id = ids[7];
    // Each write is followed at once by the export: nothing in between lets the store read it on its own.
    await repo.applyEdits(db, [{ id, note: 'written just before the export' }]);
    let file = parseExportText((await exportLibrary(db, { format: 'json', filter: { kind: 'all' }, records: await store.records() })).text);
    expect(file.annotations.find((a) => a.id === id)?.note?.v).toBe('written just before the export');

    // A paper's metadata alone (a listing showed it again, with a longer title).
    const paper = (await db.paperStore.get(id))!;
    await repo.applyEdits(db, [{ id, paper: { ...paper, title: `${paper.title}: the long version` } }]);
    file = parseExportText((await exportLibrary(db, { format: 'json', filter: { kind: 'all' }, records: await store.records() })).text);
    expect(file.papers.find((p) => p.id === id)?.title).toBe(`${paper.title}: the long version`);

    // A new paper, a deletion and a bulk edit.
    await repo.applyEdits(db, [{ id: 'arxiv:2601.00001', star: true, paper: { id: 'arxiv:2601.00001', title: 'Brand new', authors: [], links: {}, site: 'arxiv' } }]);
    await repo.deletePapers(db, [ids[8]]);
    await repo.bulkEdit(db, ids.slice(200, 300), { addTags: ['bulk-added'] });
    const out = await exportLibrary(db, { format: 'json', filter: { kind: 'all' }, records: await store.records(), now: NOW, settings: SETTINGS });
    file = parseExportText(out.text);
    expect(file.annotations.find((a) => a.id === 'arxiv:2601.00001')?.star?.v).toBe(true);
    expect(file.papers.find((p) => p.id === 'arxiv:2601.00001')?.title).toBe('Brand new');
    expect(file.annotations.find((a) => a.id === ids[8])?.note?.v ?? '').toBe('');
    expect(file.annotations.filter((a) => a.tags['bulk-added']?.v)).toHaveLength(100);
    // And still byte for byte what the database gives.
    expect(out.text).toBe((await exportLibrary(db, { format: 'json', filter: { kind: 'all' }, now: NOW, settings: SETTINGS })).text);
  });

  it('follows a table replaced as a whole (a full reload) before exporting', async () => {
    await db.transaction('rw', db.annotationStore.tables, () => Promise.all([db.annotationPacks.clear(), db.annotationSummaries.clear(), db.packDirectory.clear()]));
    const file = parseExportText((await exportLibrary(db, { format: 'json', filter: { kind: 'all' }, records: await store.records() })).text);
    expect(file.annotations).toEqual([]);
    expect(file.papers.length).toBe(400);
  });

  it('waits for the full load when asked during it, and has no records when never started', async () => {
    const fresh = new LibraryStore(db);
    expect(await fresh.records()).toBeNull();
    void fresh.start();
    const records = await fresh.records();
    expect(records?.annotations.size).toBe(400);
    expect(records?.papers.size).toBe(400);
    fresh.stop();
  });

  it('hands out a copy: later writes do not change records already handed out', async () => {
    const records = (await store.records())!;
    const before = records.annotations.get(ids[0]);
    await repo.applyEdits(db, [{ id: ids[0], note: 'changed later' }]);
    await store.settled();
    expect(records.annotations.get(ids[0])).toBe(before);
    expect((await store.records())!.annotations.get(ids[0])?.note?.v).toBe('changed later');
  });
});

describe('serializeExportFile', () => {
  it('writes what serializeExportParts writes, joined', async () => {
    const out = await exportLibrary(db, { format: 'json', filter: { kind: 'all' }, now: NOW });
    expect(serializeExportFile(parseExportText(out.text))).toBe(out.text);
  });
});

describe('parseExportText skips the walk for "__proto__" keys only when the text cannot hold one', () => {
  it('still finds the key written with \\u escapes, and accepts the word inside a text', async () => {
    const { text } = await exportLibrary(db, { format: 'json', filter: { kind: 'all' }, now: NOW });
    for (const key of ['\\u005f\\u005fproto\\u005f\\u005f', '__pro\\u0074o__']) {
      const bad = text.replace('"tags":{', `"tags":{"${key}":{"v":true,"c":{"t":1,"d":"x"}},`);
      expect(JSON.parse(bad).annotations.some((a: object) => Object.hasOwn((a as { tags: object }).tags, '__proto__'))).toBe(true);
      expect(() => parseExportText(bad)).toThrow(ImportError);
      expect(() => parseExportText(bad)).toThrow(/"__proto__" key at annotations\[\d+\]\.tags\./);
    }
    const word = JSON.parse(text);
    word.annotations[0].note = { v: 'a note about __proto__ and \\u escapes', c: { t: 1, d: 'x' } };
    expect(parseExportText(JSON.stringify(word)).annotations[0].note?.v).toBe('a note about __proto__ and \\u escapes');
  });
});

describe('import preview from the part of the library the file touches (property test, fake IndexedDB)', () => {
  const db = freshDb();
  afterAll(() => dropDb(db));
  const header = { filter: { kind: 'all' as const }, device: 'a1a1a1a1', exportedAt: 1_700_000_000_000 };

  it('says what planning against every local record says', async () => {
    // Papers whose records the file copies from this library (a usual sync: most records are equal on
    // both sides, and the plan skips those).
    const sharedArb = fc.subarray(PAPER_IDS);
    let runsWithEqualRecords = 0;
    await fc.assert(
      fc.asyncProperty(recordsArb, recordsArb, sharedArb, async (mine, theirs, shared) => {
        await Promise.all(db.tables.map((t) => t.clear()));
        await applyImport(db, buildExportFile(stateFromFile(mine), header));
        const copied = buildExportFile(stateFromFile(mine), header);
        const isShared = (id: string) => shared.includes(id);
        const fileRecords = {
          ...theirs,
          annotations: [...theirs.annotations.filter((a) => !isShared(a.id)), ...copied.annotations.filter((a) => isShared(a.id))],
          papers: [...theirs.papers.filter((p) => !isShared(p.id)), ...copied.papers.filter((p) => isShared(p.id))],
        };
        if (fileRecords.annotations.some((a) => isShared(a.id))) runsWithEqualRecords++;
        const file = buildExportFile(stateFromFile(fileRecords), { ...header, device: 'b2b2b2b2' });
        const preview = await previewImport(db, file);
        // The reference: every local record (every paper, so every title and every "known" paper).
        const rows = await db.history.toArray();
        const full: LocalSlice = {
          state: await readState(db),
          historyChunks: new Map(rows.map((r) => [historyKey(r), r.chunk])),
          tagsInUse: new Set((await db.annotationStore.toArray()).flatMap((a) => a.tagList)),
        };
        const reference = planImport(full, stateFromFile(file));
        expect(preview).toEqual(reference.summary);
      }),
      { numRuns: RUNS },
    );
    expect(runsWithEqualRecords).toBeGreaterThan(RUNS / 4);
  }, LONG);
});

describe('reading many records by key', () => {
  it('gives the records in the order asked, undefined where none, whether read by key or whole', async () => {
    const db = freshDb();
    const lib = generateLibrary({ papers: 2_500, tags: 20, seed: 5, now: NOW });
    await db.annotationStore.bulkPut(lib.annotations);
    const all = lib.annotations.map((a) => a.id);
    const wanted = [...all.slice(0, 1_200).reverse(), 'arxiv:9999.99999'];
    const gets: string[] = [];
    const spy = { bulkGet: (k: string[]) => (gets.push('bulkGet'), db.annotationStore.bulkGet(k)), count: () => db.annotationStore.count(), toArray: () => (gets.push('toArray'), db.annotationStore.toArray()) };
    const few = await readByKeys(spy, wanted.slice(0, 900), (a) => a.id);
    const many = await readByKeys(spy, wanted, (a) => a.id);
    const manyOfBig = await readByKeys(spy, wanted, (a) => a.id, 10_000);
    expect(gets).toEqual(['bulkGet', 'toArray', 'bulkGet']);
    expect(few.map((a) => a?.id)).toEqual(wanted.slice(0, 900));
    expect(many.map((a) => a?.id)).toEqual([...wanted.slice(0, -1), undefined]);
    expect(manyOfBig).toEqual(many);
    await dropDb(db);
  });

  it('lets the store follow an import by the keys it wrote, without reading the whole library again', async () => {
    const db = freshDb();
    const lib = generateLibrary({ papers: 2_000, tags: 20, seed: 6, now: NOW });
    await db.paperStore.bulkPut(lib.papers);
    await db.annotationStore.bulkPut(lib.annotations);
    const store = new LibraryStore(db);
    await store.start({ firstPage: false });
    const fullReads = () => performance.getEntriesByName('margins:all-read').length;
    const before = fullReads();
    const importNotes = async (count: number, t: number) => {
      const c = { t, d: 'otherdevice' };
      const annotations = lib.annotations.slice(0, count).map((a) => ({ id: a.id, tags: {}, note: { v: `from the other device at ${t}`, c }, createdAt: a.createdAt }));
      const papers = [{ id: 'arxiv:2601.00001', aliases: [], title: 'New from the other device', authors: [], links: {}, site: 'arxiv', firstSeen: t, lastSeen: t }];
      await applyImport(db, buildExportFile(stateFromFile({ papers, annotations, aliases: [], tagMeta: [], noteHistory: [] }), { filter: { kind: 'all' }, device: 'otherdevice', exportedAt: t }));
    };
    // A usual sync (a hundred papers), then one that changes most of the library.
    for (const [count, t] of [[100, NOW + 1_000], [1_500, NOW + 2_000]]) {
      await importNotes(count, t);
      const records = (await store.records())!;
      expect(records.annotations).toEqual(new Map((await db.annotationStore.toArray()).map((a) => [a.id, a])));
      expect(records.papers).toEqual(new Map((await db.paperStore.toArray()).map((p) => [p.id, p])));
      expect(store.getSnapshot().items.filter((i) => i.note === `from the other device at ${t}`)).toHaveLength(count);
    }
    expect(fullReads()).toBe(before);
    store.stop();
    await dropDb(db);
  });
});
