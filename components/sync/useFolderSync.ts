/**
 * Folder sync while the library page is open (see lib/sync/folder.ts): after local changes (debounced)
 * and every half minute (to pick up a file another device wrote), one round of merge-then-write.
 * The folder's permission lasts while the browser runs; after a restart Chromium asks again, which
 * needs a click ("Reconnect").
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MarginsDB } from '@/lib/db/schema';
import type { LibraryRecords } from '@/lib/library/store';
import { loadSettings } from '@/lib/settings';
import {
  DeviceDB,
  type FolderMemo,
  type SyncDirectoryHandle,
  changeMark,
  loadFolder,
  saveFolder,
  syncFolderOnce,
} from '@/lib/sync/folder';
import type { ImportSummary } from '@/lib/sync/import';
import type { ExportFile } from '@/lib/sync/format';

const AFTER_CHANGE_MS = 2_000;
const POLL_MS = 30_000;

export type FolderStatus = 'unsupported' | 'off' | 'needs-permission' | 'idle' | 'syncing' | 'error';

export interface FolderSyncState {
  status: FolderStatus;
  folderName?: string;
  memo: FolderMemo;
  lastMerged?: ImportSummary;
  error?: string;
}

type Picker = (options: { id?: string; mode: 'readwrite' }) => Promise<SyncDirectoryHandle>;

export function folderSyncSupported(): boolean {
  return typeof window !== 'undefined' && typeof (window as unknown as { showDirectoryPicker?: unknown }).showDirectoryPicker === 'function';
}

export function useFolderSync(opts: {
  db: MarginsDB;
  importFile(file: ExportFile): Promise<ImportSummary>;
  onWrote?(at: number): void;
  device?: DeviceDB;
  records?: () => Promise<LibraryRecords | null>;
}) {
  const { db, importFile, onWrote, records } = opts;
  const supported = folderSyncSupported();
  const device = useMemo(() => opts.device ?? (supported ? new DeviceDB() : null), [opts.device, supported]);
  const [state, setState] = useState<FolderSyncState>({ status: supported ? 'off' : 'unsupported', memo: {} });
  const handle = useRef<SyncDirectoryHandle | null>(null);
  const running = useRef(false);
  const stateRef = useRef(state);
  stateRef.current = state;

  const syncNow = useCallback(async () => {
    const dir = handle.current;
    if (!dir || !device || running.current) return;
    running.current = true;
    setState((s) => ({ ...s, status: 'syncing', error: undefined }));
    try {
      const result = await syncFolderOnce(dir, { db, importFile, settings: await loadSettings(), records }, stateRef.current.memo);
      // The reader stopped using this folder (or chose another) while the round ran: saving would
      // bring it back, on screen and for the next page.
      if (handle.current !== dir) return;
      await saveFolder(device, dir, result.memo);
      if (result.wrote) onWrote?.(result.memo.lastSyncAt ?? Date.now());
      setState((s) => ({ ...s, status: 'idle', memo: result.memo, lastMerged: result.merged ?? s.lastMerged }));
    } catch (err) {
      if (handle.current !== dir) return;
      const name = (err as { name?: string })?.name;
      const message = err instanceof Error ? err.message : String(err);
      setState((s) =>
        name === 'NotAllowedError' || name === 'SecurityError'
          ? { ...s, status: 'needs-permission' }
          : { ...s, status: 'error', error: `Folder sync failed: ${message}` },
      );
    } finally {
      running.current = false;
    }
  }, [db, device, importFile, onWrote, records]);

  // Restore the folder picked in an earlier session.
  useEffect(() => {
    if (!device) return;
    let live = true;
    void (async () => {
      const { handle: saved, memo } = await loadFolder(device);
      if (!live || !saved) return;
      handle.current = saved;
      const permission = (await saved.queryPermission?.({ mode: 'readwrite' })) ?? 'granted';
      const next: FolderSyncState = { status: permission === 'granted' ? 'idle' : 'needs-permission', folderName: saved.name, memo };
      stateRef.current = next;
      setState(next);
      if (permission === 'granted') void syncNow();
    })();
    return () => {
      live = false;
    };
  }, [device, syncNow]);

  // After local changes, debounced.
  // Only watched while a folder is in use: it re-runs on every change to the library.
  const watching = state.status === 'idle' || state.status === 'syncing';
  const mark = useLiveQuery(() => (watching ? changeMark(db) : undefined), [db, watching]);
  // Also looked at when a round ends: a change made while it ran may not be in the file it wrote.
  const idle = state.status === 'idle';
  useEffect(() => {
    if (mark === undefined || !idle || mark === stateRef.current.memo.writtenMark) return;
    const timer = setTimeout(() => void syncNow(), AFTER_CHANGE_MS);
    return () => clearTimeout(timer);
  }, [mark, idle, syncNow]);

  // Another device's changes arrive as a newer file: look every half minute while the page is visible.
  useEffect(() => {
    if (state.status !== 'idle') return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void syncNow();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [state.status, syncNow]);

  const choose = useCallback(async () => {
    if (!device) return;
    const picker = (window as unknown as { showDirectoryPicker: Picker }).showDirectoryPicker;
    let dir: SyncDirectoryHandle;
    try {
      dir = await picker({ id: 'margins-sync', mode: 'readwrite' });
    } catch {
      return; // the reader closed the picker
    }
    handle.current = dir;
    const memo: FolderMemo = {};
    await saveFolder(device, dir, memo);
    const next: FolderSyncState = { status: 'idle', folderName: dir.name, memo };
    stateRef.current = next;
    setState(next);
    await syncNow();
  }, [device, syncNow]);

  const reconnect = useCallback(async () => {
    const dir = handle.current;
    if (!dir) return;
    const permission = (await dir.requestPermission?.({ mode: 'readwrite' })) ?? 'granted';
    if (permission !== 'granted') return;
    setState((s) => ({ ...s, status: 'idle' }));
    await syncNow();
  }, [syncNow]);

  const stop = useCallback(async () => {
    handle.current = null;
    if (device) await saveFolder(device, null, {});
    setState({ status: 'off', memo: {} });
  }, [device]);

  return { state, choose, reconnect, stop, syncNow };
}
