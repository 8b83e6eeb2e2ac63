import { act, cleanup, configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SyncPanel, type StorageLike } from '@/components/sync/SyncPanel';
import { PanelShown } from '@/components/sync/panel-shown';
import { applyEdits } from '@/lib/db/repository';
import type { MarginsDB } from '@/lib/db/schema';
import { handleMessage } from '@/lib/messaging/handler';
import type { Request, ResponseMap } from '@/lib/messaging/protocol';
import { DEFAULT_SETTINGS, settingsItem } from '@/lib/settings';
import { exportLibrary } from '@/lib/sync/export';
import { parseExportText } from '@/lib/sync/format';
import { lastExportItem } from '@/lib/sync/reminder';
import { dropDb, dumpDb, freshDb } from './helpers';

const P1 = 'arxiv:2301.00001';
const P2 = 'arxiv:2301.00002';
const P3 = 'arxiv:2301.00003';
const paper = (id: string, title: string) => ({ id, title, authors: ['Ada Lovelace'], links: { abs: `https://arxiv.org/abs/${id.slice(6)}` }, site: 'arxiv' });
const DAY = 24 * 60 * 60 * 1000;

// The machine is shared: give live queries more than the default second to land.
configure({ asyncUtilTimeout: 5_000 });

let db: MarginsDB;
let downloads: { text: string; filename: string; mime: string }[];
let asked: Request[];
/** When set, `ask` waits for this before answering (to see the progress indicator). */
let gate: Promise<void> | null;

/** The background, in-process: the same handler the service worker runs. */
async function ask<T extends Request>(request: T): Promise<ResponseMap[T['type']]> {
  asked.push(request);
  if (gate) await gate;
  const reply = await handleMessage({ db, broadcast: () => undefined, readSettings: async () => DEFAULT_SETTINGS }, request, { fromExtensionPage: true });
  if (!reply.ok) throw new Error(reply.error);
  return reply.data as ResponseMap[T['type']];
}

const storage = (persisted: boolean): StorageLike => ({
  persisted: async () => persisted,
  persist: async () => true,
  estimate: async () => ({ usage: 12_345_678, quota: 1e10 }),
});

function renderPanel(extra: Partial<Parameters<typeof SyncPanel>[0]> = {}) {
  return render(
    <SyncPanel db={db} ask={ask} storage={storage(false)} download={(text, filename, mime) => downloads.push({ text, filename, mime })} {...extra} />,
  );
}

beforeEach(async () => {
  db = freshDb();
  downloads = [];
  asked = [];
  gate = null;
  await settingsItem.setValue({ ...DEFAULT_SETTINGS, exportReminderDays: 14 });
  await lastExportItem.setValue(0);
  await applyEdits(db, [
    { id: P1, paper: paper(P1, 'Starred paper'), star: true, addTags: ['ml'], note: 'mine' },
    { id: P2, paper: paper(P2, 'Tagged paper'), addTags: ['nlp'] },
  ]);
});
afterEach(async () => {
  cleanup();
  await dropDb(db);
});

/** A file from another device with a new paper, a conflicting note and a new tag. */
async function fileFromOtherDevice(): Promise<File> {
  const other = freshDb();
  await other.meta.put({ key: 'deviceId', value: 'otherdevice' });
  await new Promise((r) => setTimeout(r, 5)); // its clocks come after ours
  await applyEdits(other, [
    { id: P1, paper: paper(P1, 'Starred paper'), note: 'theirs' },
    { id: P3, paper: paper(P3, 'New paper'), addTags: ['fresh'] },
  ]);
  const { text } = await exportLibrary(other, { format: 'json', filter: { kind: 'all' } });
  await dropDb(other);
  return new File([text], 'other.json', { type: 'application/json' });
}

describe('SyncPanel', () => {
  it('exports the whole library as a Margins file and records the export', async () => {
    renderPanel();
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    await screen.findByText(/Exported 2 papers to margins-\d{4}-\d\d-\d\d\.json\./);
    expect(downloads).toHaveLength(1);
    const file = parseExportText(downloads[0].text);
    expect(file.annotations.map((a) => a.id)).toEqual([P1, P2]);
    expect(downloads[0].mime).toBe('application/json');
    expect(await lastExportItem.getValue()).toBeGreaterThan(0);
  });

  it('exports one tag as BibTeX', async () => {
    renderPanel();
    // "One tag" is offered once the library's tags are read.
    await waitFor(() => expect(screen.getByRole<HTMLOptionElement>('option', { name: 'One tag' }).disabled).toBe(false));
    await userEvent.selectOptions(screen.getByLabelText('Papers'), 'One tag');
    await userEvent.selectOptions(await screen.findByLabelText('Tag'), 'nlp');
    await userEvent.selectOptions(screen.getByLabelText('Format'), 'BibTeX (.bib)');
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    await screen.findByText(/Exported 1 paper to margins-tag-nlp-.*\.bib\./);
    expect(downloads[0].text).toContain('title = {{Tagged paper}}');
    expect(downloads[0].text).not.toContain('Starred paper');
  });

  it('previews an import (counts, conflicts, new tags), applies it only on confirm, and reports the result', async () => {
    renderPanel();
    const before = await dumpDb(db);
    await userEvent.upload(screen.getByLabelText('Import a Margins file…'), await fileFromOtherDevice());
    const preview = await screen.findByRole('region', { name: 'Import “other.json”?' });
    const count = (name: string) => preview.querySelector(`[data-count="${name}"]`)?.textContent;
    expect(count('papersAdded')).toBe('1');
    expect(count('papersUpdated')).toBe('1');
    expect(count('conflicts')).toMatch(/^1 \(the file wins 1, yours win 0/);
    expect(count('tagsCreated')).toBe('fresh');
    expect(count('notesKept')).toMatch(/^1 /);
    expect(preview.textContent).toContain('device otherdevice');
    const row = within(preview).getByRole('row', { name: /Starred paper/ });
    expect(row.textContent).toContain('mine');
    expect(row.textContent).toContain('theirs');
    // Nothing happens before the confirm: the file waits in the inbox, the background previewed it.
    expect(await dumpDb(db, { inbox: false })).toBe(JSON.stringify({ ...JSON.parse(before), inbox: undefined }));
    expect(asked.map((r) => r.type)).toEqual(['sync.preview']);
    expect(await db.inbox.count()).toBe(1);

    await userEvent.click(within(preview).getByRole('button', { name: 'Import' }));
    expect((await screen.findByTestId('import-result')).textContent).toBe(
      'Imported: 1 paper added, 1 paper updated, 2 changes, new tag: fresh, 1 older note kept in history.',
    );
    expect(asked.map((r) => r.type)).toEqual(['sync.preview', 'sync.import']);
    // The file crossed to the background through the inbox (see stageImport), which the import empties.
    expect((asked[1] as { staged?: unknown }).staged).toBe((asked[0] as { staged?: unknown }).staged);
    expect(await db.inbox.count()).toBe(0);
    expect((await db.annotationStore.get(P1))?.note?.v).toBe('theirs');
    expect((await db.history.toArray()).map((h) => h.text)).toEqual(['mine']);
    expect((await db.annotationStore.get(P3))?.tagList).toEqual(['fresh']);
  });

  it('says so plainly when the disk is too full to hand the file over, and changes nothing', async () => {
    renderPanel();
    const before = await dumpDb(db);
    db.inbox.put = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    await userEvent.upload(screen.getByLabelText('Import a Margins file…'), await fileFromOtherDevice());
    expect((await screen.findByRole('alert')).textContent).toMatch(/out of storage space for Margins; nothing was saved/);
    expect(screen.queryByRole('region', { name: /Import “/ })).toBeNull();
    expect(asked).toEqual([]);
    expect(await dumpDb(db)).toBe(before);
  });

  it('a write that fails at the confirm says why, changes nothing, and asks for the file again', async () => {
    renderPanel();
    const before = await dumpDb(db);
    await userEvent.upload(screen.getByLabelText('Import a Margins file…'), await fileFromOtherDevice());
    const preview = await screen.findByRole('region', { name: 'Import “other.json”?' });
    vi.spyOn(db.historyChunks, 'bulkAdd').mockImplementationOnce(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    await userEvent.click(within(preview).getByRole('button', { name: 'Import' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/out of storage space for Margins; nothing was saved/);
    expect(screen.queryByRole('region', { name: /Import “/ })).toBeNull();
    await waitFor(async () => expect(await dumpDb(db)).toBe(before));
  });

  it('cancelling a preview changes nothing, and the file leaves the inbox', async () => {
    renderPanel();
    const before = await dumpDb(db);
    await userEvent.upload(screen.getByLabelText('Import a Margins file…'), await fileFromOtherDevice());
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('region', { name: /Import “/ })).toBeNull();
    await waitFor(async () => expect(await dumpDb(db)).toBe(before));
    expect(asked.map((r) => r.type)).toEqual(['sync.preview', 'sync.discard']);
  });

  it('picking another file forgets the first one', async () => {
    renderPanel();
    await userEvent.upload(screen.getByLabelText('Import a Margins file…'), await fileFromOtherDevice());
    await screen.findByRole('region', { name: 'Import “other.json”?' });
    const file = await fileFromOtherDevice();
    await userEvent.upload(screen.getByLabelText('Import a Margins file…'), new File([await file.text()], 'second.json'));
    await screen.findByRole('region', { name: 'Import “second.json”?' });
    await waitFor(async () => expect(await db.inbox.count()).toBe(1));
    expect(asked.map((r) => r.type)).toEqual(['sync.preview', 'sync.discard', 'sync.preview']);
    expect((await db.inbox.toArray())[0].key).toBe((asked[2] as { staged: string }).staged);
  });

  it('refuses a damaged file with the reason, and leaves the database alone', async () => {
    renderPanel();
    const before = await dumpDb(db);
    const good = await (await fileFromOtherDevice()).text();
    await userEvent.upload(screen.getByLabelText('Import a Margins file…'), new File([good.slice(0, 300)], 'cut.json'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/not valid JSON.*cut short.*Nothing was imported/);
    expect(screen.queryByRole('region', { name: /Import “/ })).toBeNull();
    expect(await dumpDb(db)).toBe(before);
  });

  it('shows a progress indicator only for work that takes longer than 300 ms', async () => {
    renderPanel();
    await userEvent.upload(screen.getByLabelText('Import a Margins file…'), await fileFromOtherDevice());
    await screen.findByRole('region', { name: /Import “/ });
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    await userEvent.click(screen.getByRole('button', { name: 'Import' }));
    await act(() => new Promise((r) => setTimeout(r, 100)));
    expect(screen.queryByRole('progressbar')).toBeNull();
    await act(() => new Promise((r) => setTimeout(r, 300)));
    expect(screen.getByRole('progressbar', { name: 'Importing 2 papers' })).toBeTruthy();
    open();
    await screen.findByTestId('import-result');
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('shows whether storage is persistent and how much is used, and asks for persistence', async () => {
    renderPanel();
    expect((await screen.findByText(/Not persistent/)).textContent).toContain('Margins uses 12.3 MB.');
    await userEvent.click(screen.getByRole('button', { name: 'Ask the browser to keep Margins’ data' }));
    await screen.findByText('The browser agreed: it will not clear Margins’ data on its own.');
    expect(screen.getByTestId('storage-state').textContent).toMatch(/^Persistent/);
  });

  it('reminds to export when the last export is older than the setting, and stops after an export', async () => {
    await lastExportItem.setValue(Date.now() - 20 * DAY);
    renderPanel();
    const reminder = await screen.findByTestId('export-reminder');
    expect(reminder.textContent).toMatch(/Your last export was 20 days ago/);
    await userEvent.click(within(reminder).getByRole('button', { name: 'Export now' }));
    await waitFor(() => expect(screen.queryByTestId('export-reminder')).toBeNull());
    expect(downloads[0].filename).toMatch(/\.json$/);
  });

  it('does not remind when the reminder is off', async () => {
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, exportReminderDays: 0 });
    renderPanel({ now: () => Date.now() + 400 * DAY });
    await screen.findByText(/Not persistent/);
    expect(screen.queryByTestId('export-reminder')).toBeNull();
  });
});

describe('SyncPanel while hidden', () => {
  it('does not read the export choices (tags, starred count) until it is shown', async () => {
    const tagOptions = () => [...document.querySelectorAll('option')].map((o) => o.textContent);
    const view = render(
      <PanelShown.Provider value={false}>
        <SyncPanel db={db} ask={ask} storage={storage(false)} download={() => undefined} />
      </PanelShown.Provider>,
    );
    await screen.findByRole('region', { name: 'Sync & backup' });
    await new Promise((r) => setTimeout(r, 50));
    expect(tagOptions()).toContain('Starred (0)');
    view.rerender(
      <PanelShown.Provider value={true}>
        <SyncPanel db={db} ask={ask} storage={storage(false)} download={() => undefined} />
      </PanelShown.Provider>,
    );
    await waitFor(() => expect(tagOptions()).toContain('Starred (1)'));
  });
});
