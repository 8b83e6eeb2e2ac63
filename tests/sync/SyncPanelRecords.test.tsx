/**
 * The Sync & backup panel in the library page builds exports and import previews from the records the
 * page holds in memory (`records`), and reads the database only when it has none; a file much larger
 * than those records could export is previewed by the background instead (previewWhere). A page
 * preview hands the part it will send to the background at once, which plans it while the reader reads.
 */
import { cleanup, configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncPanel } from '@/components/sync/SyncPanel';
import { applyEdits } from '@/lib/db/repository';
import type { MarginsDB } from '@/lib/db/schema';
import { LibraryStore, type LibraryRecords } from '@/lib/library/store';
import { exportLibrary } from '@/lib/sync/export';
import { parseExportText } from '@/lib/sync/format';
import { handleMessage } from '@/lib/messaging/handler';
import type { Request, ResponseMap } from '@/lib/messaging/protocol';
import { PAGE_BYTES_PER_RECORD, previewWhere } from '@/lib/sync/import';
import { dropDb, freshDb } from './helpers';

configure({ asyncUtilTimeout: 5_000 });

const P1 = 'arxiv:2301.00001';
const P2 = 'arxiv:2301.00002';
const paper = (id: string, title: string) => ({ id, title, authors: ['Ada Lovelace'], links: {}, site: 'arxiv' });

let db: MarginsDB;
let store: LibraryStore;
let downloads: string[];
let asked: number;

beforeEach(async () => {
  db = freshDb();
  downloads = [];
  asked = 0;
  await applyEdits(db, [
    { id: P1, paper: paper(P1, 'First'), star: true, note: 'in the database' },
    { id: P2, paper: paper(P2, 'Second'), addTags: ['nlp'] },
  ]);
  store = new LibraryStore(db);
  await store.start({ firstPage: false });
});
afterEach(async () => {
  cleanup();
  store.stop();
  await dropDb(db);
});

/**
 * The store's records with P1's note changed in memory only (an older text, with an older clock):
 * shows which source a result came from.
 */
async function doctored(): Promise<LibraryRecords> {
  asked++;
  const records = (await store.records())!;
  const annotations = new Map(records.annotations);
  const p1 = annotations.get(P1)!;
  annotations.set(P1, { ...p1, note: { v: 'only in memory', c: { ...p1.note!.c, t: p1.note!.c.t - 1 } } });
  return { annotations, papers: records.papers };
}

const renderPanel = (records?: () => Promise<LibraryRecords | null>) =>
  render(<SyncPanel db={db} ask={async () => Promise.reject(new Error('not asked'))} storage={null} download={(text) => downloads.push(text)} records={records} />);

/** The background, in-process (the handler the service worker runs), and the types of what it was asked. */
function background() {
  const types: string[] = [];
  const ask = async <T extends Request>(request: T): Promise<ResponseMap[T['type']]> => {
    types.push(request.type);
    const reply = await handleMessage({ db, broadcast: () => undefined }, request, { fromExtensionPage: true });
    if (!reply.ok) throw new Error(reply.error);
    return reply.data as ResponseMap[T['type']];
  };
  return { ask, types };
}

describe('SyncPanel with the records in memory', () => {
  it('exports from them', async () => {
    renderPanel(doctored);
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    await screen.findByText(/Exported 2 papers/);
    expect(asked).toBe(1);
    expect(parseExportText(downloads[0]).annotations.find((a) => a.id === P1)?.note?.v).toBe('only in memory');
  });

  it('previews an import against them', async () => {
    // The file holds P1 as the database has it: against the database nothing changes, against the
    // doctored records in memory the note does.
    const { text } = await exportLibrary(db, { format: 'json', filter: { kind: 'all' } });
    renderPanel(doctored);
    await userEvent.upload(screen.getByLabelText('Import a Margins file…'), new File([text], 'same.json', { type: 'application/json' }));
    const preview = await screen.findByRole('region', { name: 'Import “same.json”?' });
    expect(asked).toBe(1);
    expect(preview.querySelector('[data-count="papersUpdated"]')?.textContent).toBe('1');
  });

  it('reads the database when there are none', async () => {
    renderPanel(async () => null);
    await userEvent.click(screen.getByRole('button', { name: 'Export' }));
    await screen.findByText(/Exported 2 papers/);
    expect(parseExportText(downloads[0]).annotations.find((a) => a.id === P1)?.note?.v).toBe('in the database');
  });

  /** The library as another device has it, with one more tag on P2; its P1 note is this library's. */
  async function fromOtherDevice() {
    const file = parseExportText((await exportLibrary(db, { format: 'json', filter: { kind: 'all' } })).text);
    const c = { t: Date.now() + 60_000, d: 'otherdevice' };
    return { ...file, device: 'otherdevice', annotations: file.annotations.map((a) => (a.id === P2 ? { ...a, tags: { ...a.tags, later: { v: true, c } } } : a)) };
  }

  /** The texts put in the inbox (the parts the panel staged). */
  function watchInbox(): string[] {
    const staged: string[] = [];
    const put = db.inbox.put.bind(db.inbox);
    db.inbox.put = ((entry: { text?: string }) => (staged.push(entry.text ?? ''), put(entry as never))) as typeof db.inbox.put;
    return staged;
  }

  const plansMade = () => performance.getEntriesByName('margins:import-read').length;

  it('confirms a usual sync by sending only the records that change something, planned while the reader reads the preview', async () => {
    const { ask, types } = background();
    const staged = watchInbox();
    performance.clearMarks();
    render(<SyncPanel db={db} ask={ask} storage={null} records={() => store.records()} />);
    await userEvent.upload(screen.getByLabelText('Import a Margins file…'), new File([JSON.stringify(await fromOtherDevice())], 'usual.json'));
    const preview = await screen.findByRole('region', { name: 'Import “usual.json”?' });
    expect(preview.querySelector('[data-count="papersUpdated"]')?.textContent).toBe('1');
    // Previewed here, from memory; then only the part that changes something goes to the background,
    // which plans it at once.
    expect(types.filter((t) => t !== 'sync.preview')).toEqual([]);
    await waitFor(() => expect(plansMade()).toBe(1));
    expect(types).toEqual(['sync.preview']);
    expect(parseExportText(staged[0]).annotations.map((a) => a.id)).toEqual([P2]);
    await userEvent.click(within(preview).getByRole('button', { name: 'Import' }));
    await screen.findByTestId('import-result');
    // The confirm wrote the plan made at the preview: no second part, no second plan.
    expect(types).toEqual(['sync.preview', 'sync.import']);
    expect(staged).toHaveLength(1);
    expect(plansMade()).toBe(1);
    expect((await db.annotationStore.get(P2))?.tagList).toEqual(['later', 'nlp']);
    expect(await db.inbox.count()).toBe(0);
  });

  it('sends a new part when the reader replaced a shared note after the preview, and forgets the first', async () => {
    const { ask, types } = background();
    const staged = watchInbox();
    render(<SyncPanel db={db} ask={ask} storage={null} records={() => store.records()} />);
    await userEvent.upload(screen.getByLabelText('Import a Margins file…'), new File([JSON.stringify(await fromOtherDevice())], 'usual.json'));
    const preview = await screen.findByRole('region', { name: 'Import “usual.json”?' });
    await waitFor(() => expect(types).toEqual(['sync.preview']));
    // In another tab, the reader rewrites P1's note, which the file holds as it was.
    await ask({ type: 'annotations.edit', edits: [{ id: P1, note: 'rewritten' }] });
    await waitFor(async () => expect((await store.records())?.annotations.get(P1)?.note?.v).toBe('rewritten'));
    await userEvent.click(within(preview).getByRole('button', { name: 'Import' }));
    await screen.findByTestId('import-result');
    expect(types).toContain('sync.discard');
    expect(types.at(-1)).toBe('sync.import');
    expect(staged).toHaveLength(2);
    expect(parseExportText(staged[1]).annotations.map((a) => a.id).sort()).toEqual([P1, P2]);
    expect((await db.annotationStore.get(P1))?.note?.v).toBe('rewritten');
    expect((await db.history.forIds([P1])).map((h) => h.text)).toContain('in the database');
    expect((await db.annotationStore.get(P2))?.tagList).toEqual(['later', 'nlp']);
    await waitFor(async () => expect(await db.inbox.count()).toBe(0));
  });

  it('forgets the part handed over at the preview when the reader cancels', async () => {
    const { ask, types } = background();
    render(<SyncPanel db={db} ask={ask} storage={null} records={() => store.records()} />);
    await userEvent.upload(screen.getByLabelText('Import a Margins file…'), new File([JSON.stringify(await fromOtherDevice())], 'usual.json'));
    const preview = await screen.findByRole('region', { name: 'Import “usual.json”?' });
    await waitFor(() => expect(types).toEqual(['sync.preview']));
    expect(await db.inbox.count()).toBe(1);
    await userEvent.click(within(preview).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(types).toEqual(['sync.preview', 'sync.discard']));
    await waitFor(async () => expect(await db.inbox.count()).toBe(0));
    expect((await db.annotationStore.get(P2))?.tagList).toEqual(['nlp']);
  });

  it('hands a file much larger than the library to the background to preview', async () => {
    const { ask, types } = background();
    const big = freshDb();
    await applyEdits(big, Array.from({ length: 200 }, (_, i) => ({ id: `arxiv:2302.${String(i).padStart(5, '0')}`, paper: paper(`arxiv:2302.${String(i).padStart(5, '0')}`, `Paper ${i} `.repeat(20)), star: true })));
    const { text } = await exportLibrary(big, { format: 'json', filter: { kind: 'all' } });
    await dropDb(big);
    expect(text.length).toBeGreaterThan(4 * PAGE_BYTES_PER_RECORD);
    render(<SyncPanel db={db} ask={ask} storage={null} records={() => store.records()} />);
    await userEvent.upload(screen.getByLabelText('Import a Margins file…'), new File([text], 'big.json'));
    const preview = await screen.findByRole('region', { name: 'Import “big.json”?' });
    expect(preview.querySelector('[data-count="papersAdded"]')?.textContent).toBe('200');
    expect(types).toEqual(['sync.preview']);
    await userEvent.click(within(preview).getByRole('button', { name: 'Import' }));
    await screen.findByTestId('import-result');
    expect(types).toEqual(['sync.preview', 'sync.import']);
    expect(await db.annotationStore.count()).toBe(202);
  });
});

describe('previewWhere', () => {
  const records = (n: number) => ({ annotations: new Map(Array.from({ length: n }, (_, i) => [String(i), {} as never])), papers: new Map() });
  it('previews in the page when it holds records the file could be the export of, else in the background', () => {
    expect(previewWhere(null, 10)).toBe('background');
    expect(previewWhere(undefined, 10)).toBe('background');
    expect(previewWhere(records(0), 10)).toBe('background');
    expect(previewWhere(records(1_000), 1_000 * PAGE_BYTES_PER_RECORD)).toBe('page');
    expect(previewWhere(records(1_000), 1_000 * PAGE_BYTES_PER_RECORD + 1)).toBe('background');
  });
});
