/**
 * The Sync & backup panel in the library page builds exports from the records the page holds in
 * memory (`records`), and reads the database only when it has none. An import never starts from them:
 * the picked file goes to the background as it is, which previews it, holds the plan, and writes that
 * plan at the confirm unless something was written since.
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
import { dropDb, freshDb } from './helpers';
import { DEFAULT_SETTINGS } from '@/lib/settings';

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
    const reply = await handleMessage({ db, broadcast: () => undefined, readSettings: async () => DEFAULT_SETTINGS }, request, { fromExtensionPage: true });
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

  /**
   * The keys put in the inbox: one per file the panel handed over. (Where the browser does not keep a
   * Blob, as in these tests, the file's key is put twice: the Blob, then its text.)
   */
  function watchInbox(): Set<string> {
    const staged = new Set<string>();
    const put = db.inbox.put.bind(db.inbox);
    db.inbox.put = ((entry: { key: string }) => (staged.add(entry.key), put(entry as never))) as typeof db.inbox.put;
    return staged;
  }

  const plansMade = () => performance.getEntriesByName('margins:import-read').length;
  const upload = async (name: string, text: string) => {
    await userEvent.upload(screen.getByLabelText('Import a Margins file…'), new File([text], name, { type: 'application/json' }));
    return screen.findByRole('region', { name: `Import “${name}”?` });
  };

  it('previews an import in the background, not from them, and the confirm writes the plan made for the preview', async () => {
    const { ask, types } = background();
    const staged = watchInbox();
    performance.clearMarks();
    render(<SyncPanel db={db} ask={ask} storage={null} records={doctored} />);
    // The doctored records would make P1's note a change; the database has none.
    const preview = await upload('usual.json', JSON.stringify(await fromOtherDevice()));
    expect(preview.querySelector('[data-count="papersUpdated"]')?.textContent).toBe('1');
    expect(asked).toBe(0);
    expect(types).toEqual(['sync.preview']);
    expect(plansMade()).toBe(1);
    expect(staged.size).toBe(1);
    await userEvent.click(within(preview).getByRole('button', { name: 'Import' }));
    await screen.findByTestId('import-result');
    // The confirm wrote the plan made at the preview: the same file, no second plan.
    expect(types).toEqual(['sync.preview', 'sync.import']);
    expect(staged.size).toBe(1);
    expect(plansMade()).toBe(1);
    expect((await db.annotationStore.get(P2))?.tagList).toEqual(['later', 'nlp']);
    expect((await db.annotationStore.get(P1))?.note?.v).toBe('in the database');
    expect(await db.inbox.count()).toBe(0);
  });

  it('plans again at the confirm when the reader replaced a note after the preview, keeping the replaced text', async () => {
    const { ask, types } = background();
    performance.clearMarks();
    render(<SyncPanel db={db} ask={ask} storage={null} records={() => store.records()} />);
    const preview = await upload('usual.json', JSON.stringify(await fromOtherDevice()));
    // In another tab, the reader rewrites P1's note, which the file holds as it was.
    await ask({ type: 'annotations.edit', edits: [{ id: P1, note: 'rewritten' }] });
    await userEvent.click(within(preview).getByRole('button', { name: 'Import' }));
    await screen.findByTestId('import-result');
    expect(types.filter((t) => t.startsWith('sync.'))).toEqual(['sync.preview', 'sync.import']);
    expect(plansMade()).toBe(2);
    expect((await db.annotationStore.get(P1))?.note?.v).toBe('rewritten');
    expect((await db.history.forIds([P1])).map((h) => h.text)).toContain('in the database');
    expect((await db.annotationStore.get(P2))?.tagList).toEqual(['later', 'nlp']);
    expect(await db.inbox.count()).toBe(0);
  });

  it('forgets the file handed over for the preview when the reader cancels', async () => {
    const { ask, types } = background();
    render(<SyncPanel db={db} ask={ask} storage={null} records={() => store.records()} />);
    const preview = await upload('usual.json', JSON.stringify(await fromOtherDevice()));
    expect(await db.inbox.count()).toBe(1);
    await userEvent.click(within(preview).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(types).toEqual(['sync.preview', 'sync.discard']));
    await waitFor(async () => expect(await db.inbox.count()).toBe(0));
    expect((await db.annotationStore.get(P2))?.tagList).toEqual(['nlp']);
  });
});
