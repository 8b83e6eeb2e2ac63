import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { withAnyTag } from '@/lib/db/queries';
import { applyEdits, getViews } from '@/lib/db/repository';
import { HISTORY_CHUNK } from '@/lib/db/history';
import { MarginsDB, SCHEMA_V1, SCHEMA_V2, SCHEMA_V4, SCHEMA_VERSION, emptyDirectoryNumbers, fillDirectory, summarizeAnnotations } from '@/lib/db/schema';
import { generateLibrary } from '../library/seed';

const NAME = 'margins-upgrade-test';

afterEach(async () => {
  await Dexie.delete(NAME);
});

describe('schema upgrades', () => {
  it('keeps data written by schema v1 and derives the new fields', async () => {
    // Write with exactly the first shipped schema, records shaped as v1 wrote them.
    const v1 = new Dexie(NAME);
    v1.version(1).stores(SCHEMA_V1);
    await v1.open();
    const clock = { t: 1_700_000_000_000, d: 'aaaa' };
    await v1.table('papers').put({
      id: 'arxiv:2301.00001',
      title: 'A paper from v1',
      authors: ['Ada Lovelace'],
      links: { abs: 'https://arxiv.org/abs/2301.00001' },
      site: 'arxiv',
      firstSeen: 1,
      lastSeen: 2,
    });
    await v1.table('annotations').put({
      id: 'arxiv:2301.00001',
      star: { v: true, c: clock },
      tags: { rl: { v: true, c: clock }, old: { v: false, c: clock } },
      note: { v: 'kept across the upgrade', c: clock },
      starred: 1,
      tagList: ['rl'],
      updatedAt: clock.t,
    });
    v1.close();

    const db = new MarginsDB(NAME);
    await db.open();
    expect(db.verno).toBe(SCHEMA_VERSION);
    const paper = await db.paperStore.get('arxiv:2301.00001');
    expect(paper?.title).toBe('A paper from v1');
    expect(paper?.aliases).toEqual([]);
    const a = await db.annotationStore.get('arxiv:2301.00001');
    expect(a?.hasNote).toBe(1);
    expect(a?.createdAt).toBe(clock.t);
    expect(a?.tags.old).toEqual({ v: false, c: clock }); // the tombstone survives
    expect(await withAnyTag(db, ['rl'])).toHaveLength(1);

    // And the upgraded database works with today's writer.
    await applyEdits(db, [{ id: 'arxiv:2301.00001', addTags: ['new'] }]);
    const views = await getViews(db, ['arxiv:2301.00001']);
    expect(views['arxiv:2301.00001']).toMatchObject({ starred: true, tags: ['new', 'rl'], note: 'kept across the upgrade' });
    db.close();
  });

  it('moves every v2 record into packs, with summaries, and drops the per-row tables', async () => {
    const lib = generateLibrary({ papers: 4_000, tags: 25, seed: 11, now: 1_780_000_000_000 });
    const v2 = new Dexie(NAME);
    v2.version(2).stores(SCHEMA_V2);
    await v2.open();
    await v2.table('annotations').bulkPut(lib.annotations);
    await v2.table('papers').bulkPut(lib.papers);
    await v2.table('tagMeta').put({ name: 'rl', color: '#aa0000', c: { t: 1, d: 'x' } });
    v2.close();

    const db = new MarginsDB(NAME);
    await db.open();
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(db.tables.map((t) => t.name)).not.toContain('annotations');
    expect(db.backendDB().objectStoreNames.contains('annotations')).toBe(false);
    expect(db.backendDB().objectStoreNames.contains('papers')).toBe(false);
    // Every record, unchanged, and nothing else.
    expect(new Map((await db.annotationStore.toArray()).map((a) => [a.id, a]))).toEqual(new Map(lib.annotations.map((a) => [a.id, a])));
    expect(new Map((await db.paperStore.toArray()).map((p) => [p.id, p]))).toEqual(new Map(lib.papers.map((p) => [p.id, p])));
    const packs = await db.annotationPacks.toArray();
    expect((await db.annotationSummaries.toArray()).sort((a, b) => a.pack - b.pack)).toEqual(
      packs.map((p) => summarizeAnnotations(p.pack, p.rows)).sort((a, b) => a.pack - b.pack),
    );
    expect(Array.from((await db.packDirectory.get('annotations'))!.numbers)).toEqual(Array.from(fillDirectory(emptyDirectoryNumbers(), await db.annotationSummaries.toArray())));
    expect((await db.tagMeta.get('rl'))?.color).toBe('#aa0000');
    const starred = lib.annotations.filter((a) => a.starred).length;
    expect((await db.annotationSummaries.toArray()).reduce((n, s) => n + s.starred, 0)).toBe(starred);
    db.close();
  });
});

describe('the note history in chunks (v5, v6)', () => {
  it('moves every v4 history row into chunks, in order, and drops the per-row table', async () => {
    const v4 = new Dexie(NAME);
    v4.version(4).stores(SCHEMA_V4);
    await v4.open();
    // More rows than one chunk holds, for two papers, two reasons, one very long text.
    const rows = Array.from({ length: HISTORY_CHUNK + 37 }, (_, i) => ({
      id: i % 2 ? 'arxiv:2301.00001' : 'doi:10.1145/3368089',
      text: i === 5 ? 'x'.repeat(90_000) : `older text ${i}`,
      c: { t: 1_700_000_000_000 + i, d: i % 3 ? 'aaaa' : 'bbbb' },
      reason: i % 7 ? ('import' as const) : ('local' as const),
      savedAt: 1_800_000_000_000 + i,
    }));
    await v4.table('noteHistory').bulkAdd(rows);
    v4.close();

    const db = new MarginsDB(NAME);
    await db.open();
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(db.backendDB().objectStoreNames.contains('noteHistory')).toBe(false);
    expect(db.tables.map((t) => t.name)).not.toContain('noteHistory');
    // Every entry, unchanged and in the order it was kept; no seq left on an entry.
    expect((await db.history.toArray()).map(({ chunk: _c, ...e }) => e)).toEqual(rows);
    expect(await db.history.chunkCount()).toBe(2);
    expect((await db.history.forIds(['arxiv:2301.00001'])).map((e) => e.text)).toEqual(rows.filter((r) => r.id === 'arxiv:2301.00001').map((r) => r.text));
    db.close();
  });
});
