/**
 * The library page as a reader uses it, rendered with @testing-library/react over fake-indexeddb; the
 * background's handler runs in-process as `ask`, so every write goes the same way as in the extension.
 */
import { act, cleanup, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LibraryApp } from '@/entrypoints/library/App';
import { applyEdits, getViews } from '@/lib/db/repository';
import { MarginsDB } from '@/lib/db/schema';
import { handleMessage } from '@/lib/messaging/handler';
import type { Request, ResponseMap } from '@/lib/messaging/protocol';
import { deriveAnnotation } from '@/lib/model';
import { DEFAULT_SETTINGS, settingsItem } from '@/lib/settings';
import { lastExportItem } from '@/lib/sync/reminder';

configure({ asyncUtilTimeout: 5_000 });

// jsdom lays nothing out: give the list's scroll box a size, so the virtualiser renders rows.
const realSize = {
  height: Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight')!,
  width: Object.getOwnPropertyDescriptor(Element.prototype, 'clientWidth')!,
};
beforeAll(() => {
  Object.defineProperty(Element.prototype, 'clientHeight', {
    configurable: true,
    get(this: Element) {
      return this.classList.contains('lib-scroll') ? 900 : 0;
    },
  });
  Object.defineProperty(Element.prototype, 'clientWidth', {
    configurable: true,
    get(this: Element) {
      return this.classList.contains('lib-scroll') ? 1000 : 0;
    },
  });
});
afterAll(() => {
  Object.defineProperty(Element.prototype, 'clientHeight', realSize.height);
  Object.defineProperty(Element.prototype, 'clientWidth', realSize.width);
});

let db: MarginsDB;
let asked: Request[];

async function ask<T extends Request>(request: T): Promise<ResponseMap[T['type']]> {
  asked.push(request);
  const reply = await handleMessage({ db, broadcast: () => undefined, readSettings: async () => DEFAULT_SETTINGS }, request, { fromExtensionPage: true });
  if (!reply.ok) throw new Error(reply.error);
  return reply.data as ResponseMap[T['type']];
}

const id = (n: number) => `arxiv:2401.${String(n).padStart(5, '0')}`;
const paper = (n: number, title: string, authors = ['Ada Lovelace']) => ({ id: id(n), title, authors, links: { abs: `https://arxiv.org/abs/2401.${String(n).padStart(5, '0')}` }, site: 'arxiv' });

/** Four papers, one edit each, so each has its own clock: the newest is paper 4. */
async function seed() {
  await applyEdits(db, [{ id: id(1), paper: paper(1, 'Graph Neural Networks for Chemistry', ['Marie Curie']), star: true, addTags: ['graphs', 'chem'] }]);
  await applyEdits(db, [{ id: id(2), paper: paper(2, 'Attention Is All You Need'), addTags: ['nlp'], note: 'Read section 3\nagain' }]);
  await applyEdits(db, [{ id: id(3), paper: paper(3, 'Diffusion Models Beat GANs'), addTags: ['cv', 'graphs'] }]);
  await applyEdits(db, [{ id: id(4), paper: paper(4, 'A Survey of Graph Transformers'), star: true }]);
}

function renderApp() {
  return render(<LibraryApp db={db} ask={ask} />);
}
const count = () => document.querySelector('.result-count')?.textContent;
const titles = () => [...document.querySelectorAll('.lib-row .row-title')].map((e) => e.textContent);

beforeEach(async () => {
  db = new MarginsDB(`app-${Math.random()}`);
  asked = [];
  history.replaceState(null, '', '/library.html');
  await settingsItem.setValue(DEFAULT_SETTINGS);
});
afterEach(() => cleanup());

describe('library page', { timeout: 20_000 }, () => {
  it('teaches how to star when the library is empty', async () => {
    renderApp();
    expect(await screen.findByRole('heading', { name: 'Your library is empty' })).toBeTruthy();
    expect(screen.getByText(/Click the star: the paper is in your library/)).toBeTruthy();
  });

  it('lists papers newest first, searches as the reader types, and keeps the view in the URL', async () => {
    await seed();
    renderApp();
    await waitFor(() => expect(count()).toBe('4 papers'));
    expect(titles()[0]).toBe('A Survey of Graph Transformers');
    const user = userEvent.setup();
    await user.type(screen.getByRole('searchbox', { name: /Search titles/ }), 'graph');
    await waitFor(() => expect(count()).toBe('3 of 4 papers')); // two titles and one tag say "graph"
    await user.type(screen.getByRole('searchbox', { name: /Search titles/ }), ' curie');
    await waitFor(() => expect(titles()).toEqual(['Graph Neural Networks for Chemistry']));
    expect(location.search).toBe('?q=graph+curie');
  });

  it('shows the arXiv category quietly with the links, and finds papers by it', async () => {
    await seed();
    await applyEdits(db, [{ id: id(5), paper: { ...paper(5, 'Parsing with Transformers'), category: 'cs.CL' }, addTags: ['nlp'] }]);
    renderApp();
    await waitFor(() => expect(count()).toBe('5 papers'));
    const row = document.querySelector(`.lib-row[data-paper-id="${id(5)}"]`)!;
    expect(row.querySelector('.row-category')?.textContent).toBe('cs.CL');
    expect(row.querySelector('.row-category')?.getAttribute('title')).toBe('arXiv primary category');
    expect(document.querySelectorAll('.row-category')).toHaveLength(1); // the others were never shown one
    await userEvent.setup().type(screen.getByRole('searchbox', { name: /Search titles/ }), 'cs.cl');
    await waitFor(() => expect(titles()).toEqual(['Parsing with Transformers']));
  });

  it('filters by two tags, all or any, from the tag list', async () => {
    await seed();
    renderApp();
    await waitFor(() => expect(count()).toBe('4 papers'));
    fireEvent.click(screen.getByRole('button', { name: /^Filter by tag graphs / }));
    fireEvent.click(screen.getByRole('button', { name: /^Filter by tag cv / }));
    await waitFor(() => expect(titles()).toEqual(['Diffusion Models Beat GANs']));
    expect(new URLSearchParams(location.search).get('tags')).toBe('graphs,cv');
    fireEvent.change(screen.getByRole('combobox', { name: 'Match the selected tags' }), { target: { value: 'any' } });
    await waitFor(() => expect(count()).toBe('2 of 4 papers'));
  });

  it('opens a bookmarked view from its URL', async () => {
    await seed();
    history.replaceState(null, '', '/library.html?starred=1&sort=title');
    renderApp();
    await waitFor(() => expect(titles()).toEqual(['A Survey of Graph Transformers', 'Graph Neural Networks for Chemistry']));
    expect((screen.getByRole('combobox', { name: 'Sort by' }) as HTMLSelectElement).value).toBe('title');
  });

  it('renames a tag, and undoes it with Ctrl+Z', async () => {
    await seed();
    renderApp();
    await waitFor(() => expect(count()).toBe('4 papers'));
    fireEvent.click(screen.getByRole('button', { name: 'Manage tag graphs' }));
    const input = screen.getByRole('textbox', { name: 'New name for tag graphs' });
    fireEvent.change(input, { target: { value: 'Graph Learning' } });
    fireEvent.click(within(screen.getByRole('group', { name: 'Manage tag graphs' })).getByRole('button', { name: 'Rename' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('Renamed tag “graphs” to “graph-learning” on 2 papers'));
    await waitFor(() => expect(document.querySelectorAll('.lib-row .chip[data-tag="graph-learning"]').length).toBe(2));
    expect(document.querySelector('.tag-list [data-tag="graphs"]')).toBeNull();
    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(document.querySelectorAll('.lib-row .chip[data-tag="graphs"]').length).toBe(2));
    expect(document.querySelector('.tag-list [data-tag="graph-learning"]')).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('Undone: Renamed tag');
  });

  it('selects a range with shift-click, stars it in one message, and undoes it from the toast', async () => {
    await seed();
    renderApp();
    await waitFor(() => expect(count()).toBe('4 papers'));
    const boxes = () => screen.getAllByRole('checkbox', { name: /^Select / });
    fireEvent.click(boxes()[1]);
    fireEvent.click(boxes()[3], { shiftKey: true });
    await waitFor(() => expect(document.querySelector('.selected-count')?.textContent).toBe('3 selected'));
    const bar = screen.getByRole('toolbar', { name: 'Selected papers' });
    fireEvent.click(within(bar).getByRole('button', { name: '★ Star' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('Starred 2 papers'));
    expect(asked.filter((r) => r.type === 'papers.bulkEdit')).toHaveLength(1);
    await waitFor(async () => expect(Object.values(await getViews(db, [id(1), id(2), id(3), id(4)])).every((v) => v.starred)).toBe(true));
    fireEvent.click(within(screen.getByRole('status')).getByRole('button', { name: 'Undo' }));
    await waitFor(async () => {
      const v = await getViews(db, [id(1), id(2), id(3), id(4)]);
      expect([v[id(1)].starred, v[id(2)].starred, v[id(3)].starred, v[id(4)].starred]).toEqual([true, false, false, true]);
    });
  });

  it('removes a paper and brings it back with its note', async () => {
    await seed();
    renderApp();
    await waitFor(() => expect(count()).toBe('4 papers'));
    fireEvent.click(screen.getByRole('button', { name: 'Remove Attention Is All You Need from the library' }));
    await waitFor(() => expect(count()).toBe('3 papers'));
    fireEvent.click(within(screen.getByRole('status')).getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(count()).toBe('4 papers'));
    expect(screen.getByText(/Read section 3/).textContent).toBe('Read section 3\nagain');
  });

  it('edits a note with autosave and adds a tag in place', async () => {
    await seed();
    renderApp();
    await waitFor(() => expect(count()).toBe('4 papers'));
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Add a note to Diffusion Models Beat GANs' }));
    await user.type(screen.getByRole('textbox', { name: 'Note on Diffusion Models Beat GANs' }), 'line one{Enter}line two');
    await waitFor(async () => expect((await getViews(db, [id(3)]))[id(3)].note).toBe('line one\nline two'), { timeout: 5_000 });
    await user.click(screen.getByRole('button', { name: 'Add a tag to Diffusion Models Beat GANs' }));
    await user.type(screen.getByRole('combobox', { name: 'New tag for Diffusion Models Beat GANs' }), 'to read{Enter}');
    await waitFor(async () => expect((await getViews(db, [id(3)]))[id(3)].tags).toContain('to-read'));
  });

  it('shows a note\'s earlier versions under the editor, and restores one with what the reader typed kept', async () => {
    await seed();
    // Another device's note on paper 2 lost a merge here: the history keeps it.
    await db.history.add([{ id: id(2), text: 'From the laptop: reread the proofs', c: { t: 1_700_000_000_000, d: 'laptop01' }, reason: 'import', savedAt: 1_700_000_100_000 }]);
    renderApp();
    await waitFor(() => expect(count()).toBe('4 papers'));
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Edit the note on Attention Is All You Need' }));
    const toggle = await screen.findByRole('button', { name: 'Earlier versions (1)' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await user.click(toggle);
    const list = screen.getByRole('list', { name: 'Earlier versions of this note' });
    expect(within(list).getByText('From the laptop: reread the proofs')).toBeTruthy();
    expect(within(list).getByText(/lost a sync merge/)).toBeTruthy();
    // Typed but not yet autosaved: saved first, then replaced, then kept in the list.
    const box = screen.getByRole('textbox', { name: 'Note on Attention Is All You Need' }) as HTMLTextAreaElement;
    await user.type(box, ' and again');
    await user.click(within(list).getByRole('button', { name: /Restore the version written/ }));
    await waitFor(() => expect(box.value).toBe('From the laptop: reread the proofs'));
    expect((await getViews(db, [id(2)]))[id(2)].note).toBe('From the laptop: reread the proofs');
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Earlier versions of this note' })).getByText(/again and again/)).toBeTruthy());
    expect(document.querySelector('.note-versions [role=status]')?.textContent).toMatch(/Restored/);
    expect(asked.filter((r) => r.type === 'notes.versions')).toHaveLength(2); // on open, and after the restore
  });

  it('reminds the reader above the list to export a library that was never exported', async () => {
    await lastExportItem.setValue(0);
    const month = Date.now() - 30 * 86_400_000;
    await db.annotationStore.put(deriveAnnotation({ id: id(9), createdAt: month, tags: {}, star: { v: true, c: { t: month, d: 'old-device' } } }));
    renderApp();
    const note = await screen.findByRole('note');
    expect(note.textContent).toContain('You have not exported your library yet.');
    expect(within(note).getByRole('link', { name: 'Export in Sync & backup' }).getAttribute('href')).toBe('?view=settings');
  });

  it('saves settings as they change', async () => {
    history.replaceState(null, '', '/library.html?view=settings');
    renderApp();
    const box = await screen.findByRole('checkbox', { name: /Keyboard shortcuts/ });
    await act(async () => fireEvent.click(box));
    fireEvent.change(screen.getByRole('combobox', { name: 'Starred papers' }), { target: { value: 'dim' } });
    await waitFor(async () => expect(await settingsItem.getValue()).toMatchObject({ shortcuts: false, starredOnListings: 'dim' }));
  });
});
