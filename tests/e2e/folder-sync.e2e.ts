/**
 * Issue 6 (durability), end to end in Chromium: folder sync between two devices (two browser
 * profiles), used the way a reader uses it. Only the native folder picker is replaced (headless
 * Chromium cannot click through it): on the library page, `showDirectoryPicker` returns a folder of
 * the Origin Private File System. OPFS handles are real FileSystemDirectoryHandles (they go into
 * IndexedDB, queryPermission answers 'granted'), so everything else in Margins runs as shipped.
 *
 * The test itself is the sync service: it copies `margins-sync.json` from one device's folder into
 * the other's, byte for byte, which is what Dropbox, Drive or Syncthing do with a real folder.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExportText } from '@/lib/sync/format';
import type { ImportSummary } from '@/lib/sync/import';
import { mergeStates, stateFingerprint, stateFromFile } from '@/lib/sync/merge';
import { type ExtensionBrowser, launchExtension, revealCard, waitForCards } from './harness';
import { addTag, expectedPreview, exportAll, focusCard, rootAttr, syncPanel, toggleStar, writeNote } from './reader';

const LISTING = 'https://arxiv.org/list/astro-ph.CO/recent?show=1000';
const FIXTURE = 'arxiv/list-astro-ph.CO-recent-2026-07-24-raw.html';
const FOLDER = 'Dropbox';
const SYNC_FILE = 'margins-sync.json';

const NOTE_A = 'A: the sound horizon section is the key.';
const NOTE_B = 'B: not convinced by the error bars.';

interface PickerWindow {
  showDirectoryPicker(options: unknown): Promise<FileSystemDirectoryHandle>;
  __pickerCalls: number;
  __pickerOptions: unknown[];
}

/**
 * Runs before any script of every page of the profile; acts only on the library page. The picker
 * hands back the OPFS folder "Dropbox" (created on first use) and counts its calls.
 */
function opfsPicker(folder: string) {
  if (location.protocol !== 'chrome-extension:' || location.pathname !== '/library.html') return;
  const w = window as unknown as PickerWindow;
  w.__pickerCalls = 0;
  w.__pickerOptions = [];
  w.showDirectoryPicker = async (options: unknown) => {
    w.__pickerCalls++;
    w.__pickerOptions.push(options);
    return (await navigator.storage.getDirectory()).getDirectoryHandle(folder, { create: true });
  };
}

const pickerCalls = (page: Page) => page.evaluate(() => (window as unknown as PickerWindow).__pickerCalls);

/** The sync file in a device's folder (read in one of its extension pages): bytes as base64. */
interface FolderFile {
  base64: string;
  lastModified: number;
}

function readFolderFile(page: Page): Promise<FolderFile | null> {
  return page.evaluate(
    async ([folder, name]) => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(folder, { create: true });
      let file: File;
      try {
        file = await (await dir.getFileHandle(name)).getFile();
      } catch (err) {
        if ((err as DOMException).name === 'NotFoundError') return null;
        throw err;
      }
      let binary = '';
      for (const byte of new Uint8Array(await file.arrayBuffer())) binary += String.fromCharCode(byte);
      return { base64: btoa(binary), lastModified: file.lastModified };
    },
    [FOLDER, SYNC_FILE] as const,
  );
}

/** The sync service delivers a file into a device's folder; returns the new file's lastModified. */
function deliverFolderFile(page: Page, file: FolderFile): Promise<number> {
  return page.evaluate(
    async ([folder, name, base64]) => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(folder, { create: true });
      const handle = await dir.getFileHandle(name, { create: true });
      const writable = await handle.createWritable();
      await writable.write(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
      await writable.close();
      return (await handle.getFile()).lastModified;
    },
    [FOLDER, SYNC_FILE, file.base64] as const,
  );
}

const textOf = (file: FolderFile) => Buffer.from(file.base64, 'base64').toString('utf8');
const stateOf = (text: string) => stateFromFile(parseExportText(text));

/** The "Sync folder (optional)" fieldset of a Settings & backup view. */
function folderUi(page: Page) {
  const group = page.getByRole('group', { name: 'Sync folder (optional)' });
  return {
    group,
    choose: group.getByRole('button', { name: 'Choose a folder…' }),
    syncNow: group.getByRole('button', { name: 'Sync now' }),
    stop: group.getByRole('button', { name: 'Stop using this folder' }),
    state: group.getByTestId('folder-state'),
    lastMerge: group.getByText(/^Last merge from the folder:/),
    /** Wait until the folder line says it is in sync (after a round, not "syncing…" or "ready."). */
    inSync: () => group.getByTestId('folder-state').filter({ hasText: new RegExp(`^Folder ${FOLDER}: in sync \\(checked .+\\)\\.$`) }).waitFor(),
  };
}

/** The numbers a merge line shows, in the words of the panel (resultText in SyncPanel). */
function mergeNumbers(s: ImportSummary) {
  return { papersAdded: s.papersAdded, papersUpdated: s.papersUpdated, fieldsChanged: s.fieldsChanged, tagsCreated: s.tagsCreated, notesKept: s.notesKept };
}

/** What the reader reads in the library list for some papers. */
async function libraryRows(b: ExtensionBrowser, ids: string[]) {
  const page = await b.extensionPage('library.html');
  try {
    await page.waitForSelector('.library[data-phase="ready"]');
    const rows = await page.locator('.lib-row').evaluateAll((els) =>
      els.map((r) => ({
        id: r.getAttribute('data-paper-id')!,
        starred: r.querySelector('.star-btn')!.getAttribute('aria-pressed') === 'true',
        tags: [...r.querySelectorAll('.row-tags .chip')].map((c) => c.getAttribute('data-tag')!),
        note: r.querySelector('.row-note')?.textContent ?? '',
      })),
    );
    return { count: rows.length, rows: ids.map((id) => rows.find((r) => r.id === id) ?? { id, missing: true }) };
  } finally {
    await page.close();
  }
}

/** The keys of the library page's device-local database (where the folder's handle is kept). */
function savedFolderKeys(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('margins-device');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const keys = open.result.transaction('kv').objectStore('kv').getAllKeys();
          keys.onsuccess = () => resolve((keys.result as string[]).sort());
          keys.onerror = () => reject(keys.error);
        };
      }),
  );
}

async function waitForFile(page: Page, accept: (f: FolderFile) => boolean): Promise<FolderFile> {
  let last: FolderFile | null = null;
  await expect
    .poll(async () => {
      last = await readFolderFile(page);
      return last !== null && accept(last);
    }, { timeout: 15_000 })
    .toBe(true);
  return last!;
}

describe('folder sync between two devices', () => {
  let a: ExtensionBrowser;
  let b: ExtensionBrowser;
  beforeAll(async () => {
    a = await launchExtension();
    b = await launchExtension();
    for (const device of [a, b]) {
      device.serveFixture(LISTING, FIXTURE);
      await device.context.addInitScript(opfsPicker, FOLDER);
    }
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('carries conflicting edits through the folder file both ways, and both libraries end equal', async () => {
    // Device A: star, tag and annotate three papers on a listing.
    const listingA = await a.open(LISTING);
    await waitForCards(listingA, 111);
    const x = await focusCard(listingA, 0);
    await toggleStar(listingA, x, true);
    await addTag(listingA, x, 'cosmology');
    await writeNote(listingA, x, NOTE_A);
    const y = await focusCard(listingA, 1);
    await addTag(listingA, y, 'to-read');
    await addTag(listingA, y, 'survey');
    const z = await focusCard(listingA, 2);
    await toggleStar(listingA, z, true);

    // A picks its folder: the picker is asked once, and the first round writes A's file.
    const pageA = await syncPanel(a);
    const folderA = folderUi(pageA);
    expect(await pickerCalls(pageA)).toBe(0);
    await folderA.choose.click();
    await folderA.inSync();
    expect(await pickerCalls(pageA)).toBe(1);
    expect(await pageA.evaluate(() => (window as unknown as PickerWindow).__pickerOptions)).toEqual([{ id: 'margins-sync', mode: 'readwrite' }]);
    expect(await folderA.lastMerge.count()).toBe(0); // nothing to merge in an empty folder
    const fileA1 = (await readFolderFile(pageA))!;
    expect(fileA1).not.toBeNull();
    const parsedA1 = parseExportText(textOf(fileA1)); // a valid Margins export, by the app's own reader
    expect(parsedA1.filter).toEqual({ kind: 'all' });
    const stateA1 = stateFromFile(parsedA1);
    expect(stateA1.annotations.get(x)).toMatchObject({ star: { v: true }, tags: { cosmology: { v: true } }, note: { v: NOTE_A } });
    expect(stateA1.annotations.get(y)).toMatchObject({ tags: { 'to-read': { v: true }, survey: { v: true } } });
    expect(stateA1.annotations.get(z)).toMatchObject({ star: { v: true } });
    // The folder's file holds what an export through the UI holds.
    expect(stateFingerprint(stateA1)).toBe(stateFingerprint(stateOf((await exportAll(pageA)).text)));

    // Device B, later: a different note on x (newer, so it wins) and a star on a fourth paper.
    const listingB = await b.open(LISTING);
    await waitForCards(listingB, 111);
    await focusCard(listingB, 0);
    await writeNote(listingB, x, NOTE_B);
    const w = await focusCard(listingB, 3);
    await toggleStar(listingB, w, true);
    const pageB = await syncPanel(b);
    const folderB = folderUi(pageB);
    const stateB0 = stateOf((await exportAll(pageB)).text);

    // Dropbox delivered A's file to B's folder before B chose it: B's first round merges it, then
    // writes the merged state over it.
    const deliveredToB = await deliverFolderFile(pageB, fileA1);
    await folderB.choose.click();
    await folderB.inSync();
    expect(await pickerCalls(pageB)).toBe(1);
    const mergeIntoB = expectedPreview(stateB0, stateA1);
    expect(mergeNumbers(mergeIntoB)).toEqual({
      papersAdded: 2, // y and z
      papersUpdated: 1, // x
      fieldsChanged: 5, // x: star, cosmology; y: to-read, survey; z: star (x's note stays B's)
      tagsCreated: ['cosmology', 'survey', 'to-read'],
      notesKept: 1, // A's note on x
    });
    await expect
      .poll(() => folderB.lastMerge.textContent())
      .toBe('Last merge from the folder: 2 papers added, 1 paper updated, 5 changes, new tags: cosmology, survey, to-read, 1 older note kept in history.');
    const fileB1 = (await readFolderFile(pageB))!;
    expect(fileB1.lastModified).not.toBe(deliveredToB); // B wrote the merge back
    expect(stateFingerprint(stateOf(textOf(fileB1)))).toBe(stateFingerprint(mergeStates(stateB0, stateA1)));
    // B's open listing shows what came through the folder.
    await expect.poll(() => rootAttr(listingB, y, 'data-margins-tags')).toBe('survey to-read');
    await expect.poll(() => rootAttr(listingB, z, 'data-margins-starred')).toBe('');

    // B removes a tag A added (with the card's own button), then syncs now.
    const cardY = await revealCard(listingB, y);
    await cardY.getByRole('button', { name: 'Remove tag to-read' }).click();
    await expect.poll(() => rootAttr(listingB, y, 'data-margins-tags')).toBe('survey');
    await folderB.syncNow.click();
    const fileB2 = await waitForFile(pageB, (f) => stateOf(textOf(f)).annotations.get(y)?.tags['to-read']?.v === false);
    await folderB.inSync();

    // The sync service carries B's file back to A; A syncs now and merges it.
    const deliveredToA = await deliverFolderFile(pageA, fileB2);
    const stateB2 = stateOf(textOf(fileB2));
    const mergeIntoA = expectedPreview(stateA1, stateB2);
    expect(mergeNumbers(mergeIntoA)).toEqual({
      papersAdded: 1, // w
      papersUpdated: 2, // x (note), y (to-read removed)
      fieldsChanged: 3,
      tagsCreated: [],
      notesKept: 1,
    });
    await folderA.syncNow.click();
    await expect
      .poll(() => folderA.lastMerge.textContent())
      .toBe('Last merge from the folder: 1 paper added, 2 papers updated, 3 changes, 1 older note kept in history.');
    await folderA.inSync();
    // A now holds exactly what the file holds, so it leaves the file alone: a rewrite would be a
    // change for the sync service to carry to B, which would merge nothing and write again, forever.
    const fileA2 = (await readFolderFile(pageA))!;
    expect([fileA2.lastModified, fileA2.base64 === fileB2.base64]).toEqual([deliveredToA, true]);

    // What the reader reads in both libraries: the same rows.
    const expectedRows = [
      { id: x, starred: true, tags: ['cosmology'], note: NOTE_B },
      { id: y, starred: false, tags: ['survey'], note: '' },
      { id: z, starred: true, tags: [], note: '' },
      { id: w, starred: true, tags: [], note: '' },
    ];
    for (const device of [a, b]) expect(await libraryRows(device, [x, y, z, w])).toEqual({ count: 4, rows: expectedRows });
    await expect.poll(() => rootAttr(listingA, x, 'data-margins-tags')).toBe('cosmology');
    await expect.poll(() => rootAttr(listingA, y, 'data-margins-tags')).toBe('survey');

    // Both devices hold the same state (exported through the UI), the pure merge of what each
    // device put in the folder; A's losing note is in the note history (the UI does not show it).
    const finalA = stateOf((await exportAll(pageA)).text);
    const finalB = stateOf((await exportAll(pageB)).text);
    expect(stateFingerprint(finalA)).toBe(stateFingerprint(finalB));
    expect(stateFingerprint(finalA)).toBe(stateFingerprint(mergeStates(stateA1, stateB2)));
    expect([...finalA.noteHistory.values()].map((h) => [h.id, h.text])).toEqual([[x, NOTE_A]]);

    expect(a.extensionRequests).toEqual([]);
    expect(b.extensionRequests).toEqual([]);
  });

  it('restores the chosen folder on a reopened library page and syncs without asking; "Stop using this folder" forgets it', async () => {
    // A change on A while no library page is open.
    for (const p of a.context.pages()) if (p.url().includes('/library.html')) await p.close();
    const listingA = a.context.pages().find((p) => p.url() === LISTING)!;
    const v = await focusCard(listingA, 4);
    await toggleStar(listingA, v, true);

    // A reopened library page finds the folder in IndexedDB and writes the change there at once, in
    // its Library view: the reader need not open Settings & backup for the folder to be kept.
    const pageA = await a.extensionPage('library.html');
    await pageA.locator('.library[data-phase="ready"]').waitFor();
    const file = await waitForFile(pageA, (f) => stateOf(textOf(f)).annotations.get(v)?.star?.v === true);
    expect(await pageA.getByRole('region', { name: 'Sync & backup' }).isVisible()).toBe(false);
    await pageA.getByRole('button', { name: 'Settings & backup' }).click();
    const folderA = folderUi(pageA);
    await folderA.inSync();
    expect(await folderA.state.textContent()).toMatch(new RegExp(`^Folder ${FOLDER}: in sync`));
    expect(await pickerCalls(pageA)).toBe(0);
    expect(stateFingerprint(stateOf(textOf(file)))).toBe(stateFingerprint(stateOf((await exportAll(pageA)).text)));

    // Stop: the fieldset offers a folder again, and a reopened page does not sync anywhere.
    await folderA.stop.click();
    await folderA.choose.waitFor();
    expect(await folderA.state.count()).toBe(0);
    await pageA.close();
    const again = await syncPanel(a);
    await folderUi(again).choose.waitFor();
    expect(await folderUi(again).state.count()).toBe(0);
    expect(await pickerCalls(again)).toBe(0);
    // (The button shows before the saved folder is read: ask the device database itself that no
    // folder is left to restore.)
    expect(await savedFolderKeys(again)).toEqual(['syncFolderMemo']);
  });
});
