/**
 * Folder sync (Chromium's File System Access API): the reader picks a folder that Dropbox, Drive or
 * Syncthing carries between machines; Margins keeps `margins-sync.json` there, merges it in when
 * another device changed it, and rewrites it after local changes.
 *
 * Why this is safe without locks: every device holds its whole state and the merge is idempotent, so
 * the file is only ever a messenger. If two devices write at once and one write is lost, nothing is
 * lost for good: the losing device still has its state and writes it again at its next change.
 *
 * The directory handle must live in IndexedDB (it is not JSON), and it belongs to this page, not to
 * the library database that only the background writes. So it has its own small database,
 * `margins-device`: device-local state that never syncs.
 */
import Dexie, { type EntityTable } from 'dexie';
import { updatedRange } from '@/lib/db/queries';
import type { MarginsDB } from '@/lib/db/schema';
import type { LibraryRecords } from '@/lib/library/store';
import type { Settings } from '@/lib/settings';
import { exportLibrary, readState } from './export';
import { type ExportFile, readImportFile } from './format';
import type { ImportSummary } from './import';
import { stateFingerprint, stateFromFile } from './merge';

export const SYNC_FILE_NAME = 'margins-sync.json';

/** The parts of FileSystemDirectoryHandle / FileSystemFileHandle that folder sync uses. */
export interface SyncFileHandle {
  getFile(): Promise<File>;
  createWritable(): Promise<{ write(data: string): Promise<void>; close(): Promise<void> }>;
}
export interface SyncDirectoryHandle {
  name: string;
  getFileHandle(name: string, options?: { create?: boolean }): Promise<SyncFileHandle>;
  queryPermission?(descriptor: { mode: 'readwrite' }): Promise<PermissionState>;
  requestPermission?(descriptor: { mode: 'readwrite' }): Promise<PermissionState>;
}

/** What folder sync remembers between runs (in `margins-device`). */
export interface FolderMemo {
  /** lastModified of the file as this device last wrote it (its own write is not a change to merge). */
  writtenModified?: number;
  /** lastModified of the file as this device last merged it. */
  mergedModified?: number;
  /**
   * The local change mark when the file last held everything this device has: at its own write, or
   * after merging a file that already held it all (see `changeMark`).
   */
  writtenMark?: string;
  lastSyncAt?: number;
}

interface DeviceKv {
  key: string;
  value: unknown;
}

/** Device-local state of the library page: the sync folder's handle and memo. */
export class DeviceDB extends Dexie {
  kv!: EntityTable<DeviceKv, 'key'>;
  constructor(name = 'margins-device') {
    super(name);
    this.version(1).stores({ kv: 'key' });
  }
}

const FOLDER_KEY = 'syncFolder';
const MEMO_KEY = 'syncFolderMemo';

export async function loadFolder(device: DeviceDB): Promise<{ handle: SyncDirectoryHandle | null; memo: FolderMemo }> {
  const [h, m] = await device.kv.bulkGet([FOLDER_KEY, MEMO_KEY]);
  return { handle: (h?.value as SyncDirectoryHandle) ?? null, memo: (m?.value as FolderMemo) ?? {} };
}

export async function saveFolder(device: DeviceDB, handle: SyncDirectoryHandle | null, memo: FolderMemo): Promise<void> {
  await device.transaction('rw', device.kv, async () => {
    if (handle) await device.kv.put({ key: FOLDER_KEY, value: handle });
    else await device.kv.delete(FOLDER_KEY);
    await device.kv.put({ key: MEMO_KEY, value: memo });
  });
}

/**
 * A cheap fingerprint of everything an export holds: when it is unchanged since the last write,
 * there is nothing to write. Counts catch new records; the newest clock catches edits.
 */
export async function changeMark(db: MarginsDB): Promise<string> {
  return db.transaction('r', [...db.annotationStore.tables, ...db.paperStore.tables, db.aliases, db.tagMeta, ...db.history.tables], async () => {
    const [annotations, papers, aliases, history, range, metas] = await Promise.all([
      db.annotationStore.count(),
      db.paperStore.count(),
      db.aliases.count(),
      db.history.chunkCount(),
      updatedRange(db),
      db.tagMeta.toArray(),
    ]);
    const metaMark = metas.reduce((n, m) => Math.max(n, m.c.t), 0);
    return [annotations, papers, aliases, history, range.newest, metas.length, metaMark].join(':');
  });
}

export interface FolderSyncDeps {
  db: MarginsDB;
  /** Applies an import (the background's sync.import). */
  importFile(file: ExportFile): Promise<ImportSummary>;
  settings?: Partial<Settings>;
  now?: () => number;
  /** The annotations and papers the page holds in memory (see SyncPanel's `records`). */
  records?: () => Promise<LibraryRecords | null>;
}

export interface FolderSyncResult {
  merged: ImportSummary | null;
  wrote: boolean;
  memo: FolderMemo;
}

async function readIfPresent(dir: SyncDirectoryHandle): Promise<File | null> {
  try {
    return await (await dir.getFileHandle(SYNC_FILE_NAME)).getFile();
  } catch (err) {
    if ((err as { name?: string })?.name === 'NotFoundError') return null;
    throw err;
  }
}

/**
 * One round: merge the folder's file if another device changed it, then write ours if anything
 * changed (or the file was merged, or is missing). A file changed again while we worked is merged
 * before we write over it (a few tries, then the next round picks it up).
 *
 * A merged file that already holds exactly this device's state is left alone: rewriting it would be
 * a change for Dropbox or Syncthing to carry to the other device, which would merge nothing and
 * write again, and so on for as long as both are open.
 */
export async function syncFolderOnce(dir: SyncDirectoryHandle, deps: FolderSyncDeps, memo: FolderMemo): Promise<FolderSyncResult> {
  const now = deps.now ?? Date.now;
  let merged: ImportSummary | null = null;
  let next: FolderMemo = { ...memo };
  for (let attempt = 0; attempt < 3; attempt++) {
    const file = await readIfPresent(dir);
    let incoming: ExportFile | null = null;
    if (file && file.lastModified !== next.writtenModified && file.lastModified !== next.mergedModified) {
      incoming = await readImportFile(file);
      merged = await deps.importFile(incoming);
      next = { ...next, mergedModified: file.lastModified };
    }
    const mark = await changeMark(deps.db);
    if (file && !merged && mark === next.writtenMark) return { merged, wrote: false, memo: { ...next, lastSyncAt: now() } };
    // Someone replaced the file since we read it: merge that first.
    const again = await readIfPresent(dir);
    if (again && file && again.lastModified !== file.lastModified) continue;
    // After a merge, read the database itself: the import was written by the background, and the
    // page's copy learns of it through a broadcast that is not ordered with the background's answer.
    // That state is compared with the file (only after a merge, so a usual round pays nothing for it)
    // and, when they differ, written as it is (not read a second time).
    const state = merged ? await readState(deps.db) : undefined;
    if (state && incoming && stateFingerprint(state) === stateFingerprint(stateFromFile(incoming))) {
      return { merged, wrote: false, memo: { ...next, writtenMark: mark, lastSyncAt: now() } };
    }
    const { text } = await exportLibrary(deps.db, {
      format: 'json',
      filter: { kind: 'all' },
      settings: deps.settings,
      now: now(),
      state,
      records: merged ? null : await deps.records?.(),
    });
    const handle = await dir.getFileHandle(SYNC_FILE_NAME, { create: true });
    const writable = await handle.createWritable();
    await writable.write(text);
    await writable.close();
    const written = await handle.getFile();
    next = { ...next, writtenModified: written.lastModified, writtenMark: mark, lastSyncAt: now() };
    return { merged, wrote: true, memo: next };
  }
  return { merged, wrote: false, memo: { ...next, lastSyncAt: now() } };
}
