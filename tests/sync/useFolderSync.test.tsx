/**
 * The folder sync hook around a round that is still running: what the reader does meanwhile (stop
 * using the folder, change the library) must not be lost when the round ends.
 */
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useFolderSync } from '@/components/sync/useFolderSync';
import { applyEdits } from '@/lib/db/repository';
import type { MarginsDB } from '@/lib/db/schema';
import { DeviceDB, SYNC_FILE_NAME, type SyncDirectoryHandle, loadFolder } from '@/lib/sync/folder';
import { applyImport } from '@/lib/sync/import';
import { dropDb, freshDb } from './helpers';

const P1 = 'arxiv:2301.00001';
const P2 = 'arxiv:2301.00002';

/**
 * A folder whose writes wait for `release()` while held, so a test can act in the middle of a round.
 * The handle itself has only its name as own data (the hook keeps it in IndexedDB, which clones it,
 * as it clones a real FileSystemDirectoryHandle); what it holds lives beside it.
 */
class HeldFolder implements SyncDirectoryHandle {
  name = 'Sync';
  async getFileHandle(name: string, options?: { create?: boolean }) {
    const f = contents;
    if (name !== SYNC_FILE_NAME || (f.text === null && !options?.create)) throw Object.assign(new Error('not found'), { name: 'NotFoundError' });
    return {
      getFile: async () => new File([f.text ?? ''], name, { lastModified: f.lastModified }),
      createWritable: async () => {
        if (f.holding) {
          f.onWaiting();
          await new Promise<void>((r) => (f.releaseWrite = r));
        }
        let buffer = '';
        return {
          write: async (data: string) => void (buffer += data),
          close: async () => {
            f.writes++;
            f.text = buffer;
            f.lastModified++;
          },
        };
      },
    };
  }
}

interface FolderContents {
  text: string | null;
  lastModified: number;
  writes: number;
  holding: boolean;
  /** Resolves when a held write is waiting. */
  waiting: Promise<void>;
  onWaiting(): void;
  releaseWrite(): void;
}
let contents: FolderContents;
const emptyContents = (): FolderContents => ({
  text: null,
  lastModified: 0,
  writes: 0,
  holding: false,
  waiting: Promise.resolve(),
  onWaiting: () => undefined,
  releaseWrite: () => undefined,
});
function hold() {
  contents.holding = true;
  contents.waiting = new Promise((r) => (contents.onWaiting = r));
}
function release() {
  contents.holding = false;
  contents.releaseWrite();
}

const starredIn = (id: string) =>
  contents.text ? JSON.parse(contents.text).annotations.some((a: { id: string; star?: { v: boolean } }) => a.id === id && a.star?.v) : false;

describe('useFolderSync while a round runs', () => {
  let db: MarginsDB;
  let device: DeviceDB;
  let folder: HeldFolder;

  beforeEach(async () => {
    db = freshDb();
    device = new DeviceDB(`device-${Math.random().toString(36).slice(2)}`);
    folder = new HeldFolder();
    contents = emptyContents();
    (window as unknown as { showDirectoryPicker: () => Promise<SyncDirectoryHandle> }).showDirectoryPicker = async () => folder;
    await applyEdits(db, [{ id: P1, star: true }]);
  });
  afterEach(async () => {
    cleanup();
    delete (window as unknown as { showDirectoryPicker?: unknown }).showDirectoryPicker;
    device.close();
    await device.delete();
    await dropDb(db);
  });

  // One function for the hook's life, as SyncPanel passes it (a new one each render restarts the hook).
  const render = () => {
    const importFile = async (file: unknown) => (await applyImport(db, file)).summary;
    return renderHook(() => useFolderSync({ db, device, importFile })).result;
  };

  it('a folder the reader stopped using during a round stays forgotten when the round ends', async () => {
    const hook = render();
    hold();
    const round = hook.current.choose();
    await contents.waiting;
    await waitFor(() => expect(hook.current.state.status).toBe('syncing'));
    await act(() => hook.current.stop());
    expect(hook.current.state.status).toBe('off');

    release();
    await act(() => round);
    expect(contents.writes).toBe(1);
    // The round's end neither brings the folder back on screen nor saves it for the next page.
    expect(hook.current.state).toEqual({ status: 'off', memo: {} });
    expect((await loadFolder(device)).handle).toBeNull();
  });

  it('a change made during a round is written soon after it, not at the next half-minute poll', async () => {
    const hook = render();
    await act(() => hook.current.choose());
    expect(contents.writes).toBe(1);
    expect(hook.current.state.status).toBe('idle');

    // A round runs (the reader clicked "Sync now") and, while it writes, the reader stars another
    // paper: the round read the library before that star.
    await applyEdits(db, [{ id: P1, addTags: ['ml'] }]);
    hold();
    const round = hook.current.syncNow();
    await contents.waiting;
    await applyEdits(db, [{ id: P2, star: true }]);
    await waitFor(() => expect(hook.current.state.status).toBe('syncing'));
    // Let the hook's live query see the star while the round still runs (it takes milliseconds).
    await act(() => new Promise((r) => setTimeout(r, 300)));
    release();
    await act(() => round);
    expect([contents.writes, starredIn(P2)]).toEqual([2, false]);

    // The debounced write after a change (2 s) picks it up.
    await waitFor(() => expect(starredIn(P2)).toBe(true), { timeout: 6_000 });
    expect(contents.writes).toBe(3);
  }, 15_000);
});
