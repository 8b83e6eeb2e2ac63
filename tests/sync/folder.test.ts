/** Folder sync against an in-memory folder that behaves like a File System Access directory. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyEdits } from '@/lib/db/repository';
import type { MarginsDB } from '@/lib/db/schema';
import { readState } from '@/lib/sync/export';
import { type FolderMemo, SYNC_FILE_NAME, type SyncDirectoryHandle, syncFolderOnce } from '@/lib/sync/folder';
import { applyImport } from '@/lib/sync/import';
import { stateFingerprint } from '@/lib/sync/merge';
import { dropDb, dumpDb, freshDb } from './helpers';

/** One shared folder (what Dropbox or Syncthing shows each machine). */
class FakeFolder implements SyncDirectoryHandle {
  name = 'Sync';
  files = new Map<string, { text: string; lastModified: number }>();
  private clock = 1_000;
  writes = 0;

  /** Another program replaces the file (as a sync tool does). */
  put(name: string, text: string) {
    this.files.set(name, { text, lastModified: ++this.clock });
  }

  async getFileHandle(name: string, options?: { create?: boolean }) {
    if (!this.files.has(name)) {
      if (!options?.create) throw Object.assign(new Error(`${name} not found`), { name: 'NotFoundError' });
      this.put(name, '');
    }
    return {
      getFile: async () => {
        const f = this.files.get(name)!;
        return new File([f.text], name, { lastModified: f.lastModified });
      },
      createWritable: async () => {
        let buffer = '';
        return {
          write: async (data: string) => {
            buffer += data;
          },
          close: async () => {
            this.writes++;
            this.put(name, buffer);
          },
        };
      },
    };
  }
}

const P1 = 'arxiv:2301.00001';
const P2 = 'arxiv:2301.00002';

describe('folder sync', () => {
  let a: MarginsDB;
  let b: MarginsDB;
  let folder: FakeFolder;
  const memos = new Map<MarginsDB, FolderMemo>();
  const imports = new Map<MarginsDB, number>();

  const round = async (db: MarginsDB) => {
    const result = await syncFolderOnce(
      folder,
      {
        db,
        importFile: async (file) => {
          imports.set(db, (imports.get(db) ?? 0) + 1);
          return (await applyImport(db, file)).summary;
        },
      },
      memos.get(db) ?? {},
    );
    memos.set(db, result.memo);
    return result;
  };

  beforeEach(async () => {
    a = freshDb();
    b = freshDb();
    folder = new FakeFolder();
    memos.clear();
    imports.clear();
    await applyEdits(a, [{ id: P1, star: true, addTags: ['ml'], note: 'from A' }]);
    await applyEdits(b, [{ id: P2, addTags: ['nlp'] }]);
  });
  afterEach(() => Promise.all([dropDb(a), dropDb(b)]));

  it('carries each device’s changes to the other through the one file, and both end equal', async () => {
    expect((await round(a)).wrote).toBe(true); // A creates the file
    const fromB = await round(b); // B merges A's file and writes the merged state
    expect(fromB.merged?.papersAdded).toBe(1);
    expect(fromB.wrote).toBe(true);
    const backToA = await round(a);
    expect(backToA.merged?.papersAdded).toBe(1);
    expect(stateFingerprint(await readState(a))).toBe(stateFingerprint(await readState(b)));
    expect((await b.annotationStore.get(P1))?.note?.v).toBe('from A');
  });

  it('neither merges its own write back nor rewrites an unchanged library', async () => {
    await round(a);
    const writes = folder.writes;
    const again = await round(a);
    expect([again.merged, again.wrote, folder.writes, imports.get(a) ?? 0]).toEqual([null, false, writes, 0]);
    // A local change is written at the next round.
    await applyEdits(a, [{ id: P1, removeTags: ['ml'] }]);
    expect((await round(a)).wrote).toBe(true);
    expect(JSON.parse(folder.files.get(SYNC_FILE_NAME)!.text).annotations[0].tags.ml.v).toBe(false);
  });

  it('leaves a merged file alone when it already holds everything, so two devices do not rewrite it back and forth', async () => {
    await round(a);
    await round(b); // B merges A's file and writes the union
    const writes = folder.writes;
    // A merges B's file: A now holds exactly what the file holds, so it does not write.
    const backToA = await round(a);
    expect([backToA.merged?.papersAdded, backToA.wrote, folder.writes]).toEqual([1, false, writes]);
    // A sync tool that delivers the same bytes again (a new modification time) changes nothing either.
    folder.put(SYNC_FILE_NAME, folder.files.get(SYNC_FILE_NAME)!.text);
    const redelivered = await round(b);
    expect([redelivered.merged?.unchanged, redelivered.wrote, folder.writes]).toEqual([true, false, writes]);
    expect([(await round(a)).wrote, (await round(b)).wrote]).toEqual([false, false]);
    // A's next change is still written.
    await applyEdits(a, [{ id: P2, star: true }]);
    expect((await round(a)).wrote).toBe(true);
    expect(JSON.parse(folder.files.get(SYNC_FILE_NAME)!.text).annotations.find((x: { id: string }) => x.id === P2).star.v).toBe(true);
  });

  it('refuses a damaged file in the folder with the reason, without touching the database or the file', async () => {
    folder.put(SYNC_FILE_NAME, '{"format":"margins-export","version":2,"exportedAt":1,');
    const before = await dumpDb(a);
    await expect(round(a)).rejects.toThrow(/not valid JSON.*cut short/);
    expect(await dumpDb(a)).toBe(before);
    expect(folder.files.get(SYNC_FILE_NAME)!.text).toMatch(/,$/);
  });
});
