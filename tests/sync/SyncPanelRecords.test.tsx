/**
 * The Sync & backup panel in the library page builds exports from the records the page holds in
 * memory (`records`), and reads the database only when it has none.
 */
import { cleanup, configure, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncPanel } from '@/components/sync/SyncPanel';
import { applyEdits } from '@/lib/db/repository';
import type { MarginsDB } from '@/lib/db/schema';
import { LibraryStore, type LibraryRecords } from '@/lib/library/store';
import { exportLibrary } from '@/lib/sync/export';
import { parseExportText } from '@/lib/sync/format';
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
});
