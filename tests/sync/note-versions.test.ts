/**
 * A note's earlier versions (the note history), as the library and the popup ask for them: what lost
 * a merge can be read and restored, a restore keeps the text it replaces, and both travel with the
 * export like any other history.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyEdits, deviceId } from '@/lib/db/repository';
import type { MarginsDB } from '@/lib/db/schema';
import { handleMessage } from '@/lib/messaging/handler';
import type { ResponseMap } from '@/lib/messaging/protocol';
import type { AnnotationView } from '@/lib/model';
import { buildExportFile, readState } from '@/lib/sync/export';
import { applyImport } from '@/lib/sync/import';
import { dropDb, dumpDb, freshDb } from './helpers';
import { DEFAULT_SETTINGS } from '@/lib/settings';

const P1 = 'arxiv:2301.00001';
const extensionPage = { fromExtensionPage: true };
const contentScript = { fromExtensionPage: false };

let a: MarginsDB;
let b: MarginsDB;
let pushed: AnnotationView[][];

async function ask<T extends keyof ResponseMap>(db: MarginsDB, message: { type: T } & Record<string, unknown>, sender = extensionPage): Promise<ResponseMap[T]> {
  const reply = await handleMessage({ db, broadcast: (s) => pushed.push(s), readSettings: async () => DEFAULT_SETTINGS }, message, sender);
  if (!reply.ok) throw new Error(reply.error);
  return reply.data as ResponseMap[T];
}

async function exportOf(db: MarginsDB) {
  return buildExportFile(await readState(db), { filter: { kind: 'all' }, device: await deviceId(db), exportedAt: Date.now() });
}

beforeEach(async () => {
  a = freshDb();
  b = freshDb();
  pushed = [];
  // Both devices write a note on the same paper; A's is written later and wins the merge on B.
  await applyEdits(b, [{ id: P1, note: 'what B wrote first' }]);
  await new Promise((r) => setTimeout(r, 5));
  await applyEdits(a, [{ id: P1, note: 'what A wrote later' }]);
  await applyImport(b, await exportOf(a));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await dropDb(a);
  await dropDb(b);
});

describe('note versions', () => {
  it('lists the text that lost the merge, and not the note as it is now', async () => {
    expect((await b.annotationStore.get(P1))?.note?.v).toBe('what A wrote later');
    const { versions } = await ask(b, { type: 'notes.versions', id: P1 });
    expect(versions.map((v) => [v.text, v.reason, v.device])).toEqual([['what B wrote first', 'import', await deviceId(b)]]);
    expect(versions[0].writtenAt).toBeGreaterThan(0);
    expect(versions[0].keptAt).toBeGreaterThanOrEqual(versions[0].writtenAt);
  });

  it('restores one: it becomes the note with a new clock, the text it replaced is kept, the tabs are told', async () => {
    const before = (await b.annotationStore.get(P1))!.note!;
    const { state } = await ask(b, { type: 'notes.restore', id: P1, text: 'what B wrote first' });
    expect(state.note).toBe('what B wrote first');
    expect(pushed.flat().map((v) => [v.id, v.note])).toEqual([[P1, 'what B wrote first']]);
    const now = (await b.annotationStore.get(P1))!.note!;
    expect(now.v).toBe('what B wrote first');
    expect(now.c.t).toBeGreaterThan(before.c.t);
    const { versions } = await ask(b, { type: 'notes.versions', id: P1 });
    expect(versions.map((v) => [v.text, v.reason])).toEqual([['what A wrote later', 'local']]);
    // Restoring the text that is the note already writes nothing at all.
    const dump = await dumpDb(b);
    await ask(b, { type: 'notes.restore', id: P1, text: 'what B wrote first' });
    expect(await dumpDb(b)).toBe(dump);
  });

  it('after syncing back, the other device has the restored note and both older texts', async () => {
    await ask(b, { type: 'notes.restore', id: P1, text: 'what B wrote first' });
    await applyImport(a, await exportOf(b));
    expect((await a.annotationStore.get(P1))?.note?.v).toBe('what B wrote first');
    const { versions } = await ask(a, { type: 'notes.versions', id: P1 });
    // A's own text is kept (B replaced it by a restore); B's first text is the note again, so not listed.
    expect(versions.map((v) => v.text)).toEqual(['what A wrote later']);
    expect((await a.history.toArray()).map((h) => h.text).sort()).toEqual(['what A wrote later', 'what B wrote first']);
  });

  it('is all or nothing: a failure while keeping the replaced text leaves the note as it was', async () => {
    const before = await dumpDb(b);
    vi.spyOn(b.historyChunks, 'bulkAdd').mockImplementation(() => {
      throw new Error('disk full');
    });
    await expect(ask(b, { type: 'notes.restore', id: P1, text: 'what B wrote first' })).rejects.toThrow();
    expect(await dumpDb(b)).toBe(before);
    expect(pushed).toEqual([]);
  });

  it('refuses a text that is not in the paper\'s history, and content scripts may not ask at all', async () => {
    const before = await dumpDb(b);
    await expect(ask(b, { type: 'notes.restore', id: P1, text: 'never written' })).rejects.toThrow(/not in this paper's history/);
    await expect(ask(b, { type: 'notes.versions', id: P1 }, contentScript)).rejects.toThrow(/only allowed from Margins' own pages/);
    await expect(ask(b, { type: 'notes.restore', id: P1, text: 'what B wrote first' }, contentScript)).rejects.toThrow(/only allowed/);
    expect(await dumpDb(b)).toBe(before);
  });

  it('a paper without history has no versions', async () => {
    expect((await ask(a, { type: 'notes.versions', id: 'arxiv:2301.00002' })).versions).toEqual([]);
  });
});
