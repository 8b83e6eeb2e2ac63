import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { applyEdits, getViews } from '@/lib/db/repository';
import { MarginsDB, SCHEMA_V1, SCHEMA_VERSION } from '@/lib/db/schema';

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
    const paper = await db.papers.get('arxiv:2301.00001');
    expect(paper?.title).toBe('A paper from v1');
    expect(paper?.aliases).toEqual([]);
    const a = await db.annotations.get('arxiv:2301.00001');
    expect(a?.hasNote).toBe(1);
    expect(a?.createdAt).toBe(clock.t);
    expect(a?.tags.old).toEqual({ v: false, c: clock }); // the tombstone survives
    expect(await db.annotations.where('tagList').equals('rl').count()).toBe(1);

    // And the upgraded database works with today's writer.
    await applyEdits(db, [{ id: 'arxiv:2301.00001', addTags: ['new'] }]);
    const views = await getViews(db, ['arxiv:2301.00001']);
    expect(views['arxiv:2301.00001']).toMatchObject({ starred: true, tags: ['new', 'rl'], note: 'kept across the upgrade' });
    db.close();
  });
});
