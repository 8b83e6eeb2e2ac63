/**
 * The library's writes: bulk edits, undo by restoring views, and the `before` views that tag and
 * delete operations hand back. Driven through the background's handler, as the library page does.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { MarginsDB } from '@/lib/db/schema';
import * as repo from '@/lib/db/repository';
import { handleMessage } from '@/lib/messaging/handler';
import type { AnnotationView } from '@/lib/model';
import { DEFAULT_SETTINGS } from '@/lib/settings';

let db: MarginsDB;
let pushed: AnnotationView[][];
const page = { fromExtensionPage: true };
const send = async (msg: unknown, sender = page) => handleMessage({ db, broadcast: (s) => pushed.push(s), readSettings: async () => DEFAULT_SETTINGS }, msg, sender);

async function views(ids: string[]) {
  return Object.values(await repo.getViews(db, ids)).map(({ id, starred, tags, note }) => ({ id, starred, tags, note }));
}

beforeEach(async () => {
  db = new MarginsDB(`writes-${Math.random()}`);
  pushed = [];
  await repo.applyEdits(db, [
    { id: 'arxiv:2301.00001', star: true, addTags: ['nlp', 'to-read'], note: 'first' },
    { id: 'arxiv:2301.00002', addTags: ['nlp'] },
    { id: 'arxiv:2301.00003', addTags: ['vision'], note: 'third' },
  ]);
});

describe('papers.bulkEdit', () => {
  it('stars and tags many papers in one go, returning what changed before', async () => {
    const reply = await send({ type: 'papers.bulkEdit', ids: ['arxiv:2301.00001', 'arxiv:2301.00002', 'arxiv:2301.00003'], star: true, addTags: ['Deep Learning'] });
    expect(reply.ok).toBe(true);
    const data = (reply as { data: { changed: number; before: AnnotationView[] } }).data;
    expect(data.changed).toBe(3);
    // Paper 1 was starred already but gains a tag: it changed; its old view is kept.
    expect(data.before.map((v) => v.id).sort()).toEqual(['arxiv:2301.00001', 'arxiv:2301.00002', 'arxiv:2301.00003']);
    expect(data.before.find((v) => v.id === 'arxiv:2301.00002')).toMatchObject({ starred: false, tags: ['nlp'] });
    const now = await views(['arxiv:2301.00001', 'arxiv:2301.00002', 'arxiv:2301.00003']);
    expect(now.every((v) => v.starred && v.tags.includes('deep-learning'))).toBe(true);
    expect(pushed.flat().length).toBeGreaterThanOrEqual(3);
  });

  it('skips papers that would not change and papers not in the library', async () => {
    const reply = await send({ type: 'papers.bulkEdit', ids: ['arxiv:2301.00001', 'arxiv:2312.99999'], star: true });
    expect(reply).toMatchObject({ ok: true, data: { changed: 0, before: [] } });
    expect(await db.annotationStore.get('arxiv:2312.99999')).toBeUndefined();
  });

  it('removes a tag with a tombstone', async () => {
    await send({ type: 'papers.bulkEdit', ids: ['arxiv:2301.00001', 'arxiv:2301.00002'], removeTags: ['nlp'] });
    const a = await db.annotationStore.get('arxiv:2301.00002');
    expect(a?.tagList).toEqual([]);
    expect(a?.tags.nlp.v).toBe(false);
  });

  it('is refused to content scripts', async () => {
    const reply = await send({ type: 'papers.bulkEdit', ids: ['arxiv:2301.00001'], star: false }, { fromExtensionPage: false });
    expect(reply.ok).toBe(false);
    expect((await db.annotationStore.get('arxiv:2301.00001'))?.starred).toBe(1);
  });
});

describe('undo by annotations.restore', () => {
  it('undoes a bulk star exactly', async () => {
    const ids = ['arxiv:2301.00001', 'arxiv:2301.00002', 'arxiv:2301.00003'];
    const original = await views(ids);
    const reply = await send({ type: 'papers.bulkEdit', ids, star: true, removeTags: ['nlp'] });
    const before = (reply as { data: { before: AnnotationView[] } }).data.before;
    expect(await views(ids)).not.toEqual(original);
    const undo = await send({ type: 'annotations.restore', views: before });
    expect(undo).toMatchObject({ ok: true, data: { changed: 3 } });
    expect(await views(ids)).toEqual(original);
  });

  it('undoes a rename, a merge and a tag deletion', async () => {
    const ids = ['arxiv:2301.00001', 'arxiv:2301.00002', 'arxiv:2301.00003'];
    const original = await views(ids);
    for (const msg of [
      { type: 'tags.rename', from: 'nlp', to: 'language' },
      { type: 'tags.merge', from: ['nlp', 'vision'], into: 'ml' },
      { type: 'tags.delete', tag: 'nlp' },
    ]) {
      const reply = await send(msg);
      expect(reply.ok).toBe(true);
      const { before, changed } = (reply as { data: { before: AnnotationView[]; changed: number } }).data;
      expect(before).toHaveLength(changed);
      expect(changed).toBeGreaterThan(0);
      await send({ type: 'annotations.restore', views: before });
      expect(await views(ids)).toEqual(original);
    }
  });

  it('brings back deleted papers with their note, and the restore carries fresh clocks', async () => {
    const ids = ['arxiv:2301.00001', 'arxiv:2301.00003'];
    const original = await views(ids);
    const deleted = await send({ type: 'papers.delete', ids });
    const { before, deleted: n } = (deleted as { data: { before: AnnotationView[]; deleted: number } }).data;
    expect(n).toBe(2);
    expect(await views(ids)).toEqual(ids.map((id) => ({ id, starred: false, tags: [], note: '' })));
    const stampBefore = (await db.annotationStore.get('arxiv:2301.00003'))!.updatedAt;
    await send({ type: 'annotations.restore', views: before });
    expect(await views(ids)).toEqual(original);
    const restored = (await db.annotationStore.get('arxiv:2301.00003'))!;
    expect(restored.updatedAt).toBeGreaterThan(stampBefore);
    expect(restored.note?.v).toBe('third');
  });

  it('rejects views that are not well-formed', async () => {
    const bad = await send({ type: 'annotations.restore', views: [{ id: 'not an id', starred: true, tags: [], note: '' }] });
    expect(bad.ok).toBe(false);
    const extra = await send({ type: 'annotations.restore', views: [{ id: 'arxiv:2301.00001', starred: true, tags: [], note: '', x: 1 }] });
    expect(extra.ok).toBe(false);
  });
});
