/**
 * Issue 6, end to end in Chromium: two devices (two browser profiles) annotate the same arXiv listing
 * with conflicting edits and exchange export files through the library's Sync & backup panel (the
 * download captured, the file picked as a reader picks it). The preview shows what the pure merge
 * says it will do, the result equals the pure merge of the two states, and after the return trip both
 * devices hold the same state.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExportText } from '../../lib/sync/format';
import type { ImportSummary } from '../../lib/sync/import';
import { emptyState, mergeStates, stateFingerprint, stateFromFile } from '../../lib/sync/merge';
import { type ExtensionBrowser, launchExtension, waitForCards } from './harness';
import { addTag, expectedPreview, exportAll, focusCard, rootAttr, syncPanel, toggleStar, writeNote } from './reader';

const LISTING = 'https://arxiv.org/list/astro-ph.CO/recent?show=1000';
const FIXTURE = 'arxiv/list-astro-ph.CO-recent-2026-07-24-raw.html';

/** The import preview as the reader reads it. */
async function pickFile(page: Page, name: string, text: string) {
  await page.getByLabel('Import a Margins file…').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  const preview = page.getByRole('region', { name: `Import “${name}”?` });
  await preview.waitFor();
  const count = async (key: string) => ((await preview.locator(`[data-count="${key}"]`).textContent()) ?? '').trim();
  const leading = async (key: string) => Number(/^[\d,]+/.exec(await count(key))?.[0].replace(/,/g, '') ?? NaN);
  return {
    preview,
    shown: {
      papersAdded: await leading('papersAdded'),
      papersUpdated: await leading('papersUpdated'),
      fieldsChanged: await leading('fieldsChanged'),
      conflicts: await leading('conflicts'),
      tagsCreated: (await count('tagsCreated')) === 'none' ? [] : (await count('tagsCreated')).split(', '),
      notesKept: (await preview.locator('[data-count="notesKept"]').count()) ? await leading('notesKept') : 0,
      conflictWinners: await preview.locator('tr[data-conflict]').evaluateAll((rows) =>
        rows.map((r) => `${r.getAttribute('data-conflict')}:${r.querySelector('td:last-child')?.textContent}`),
      ),
    },
  };
}

function summaryAsShown(s: ImportSummary) {
  return {
    papersAdded: s.papersAdded,
    papersUpdated: s.papersUpdated,
    fieldsChanged: s.fieldsChanged,
    conflicts: s.conflicts,
    tagsCreated: s.tagsCreated,
    notesKept: s.notesKept,
    conflictWinners: s.conflictList.map((c) => `${c.field}:${c.winner === 'file' ? 'the file’s' : 'yours'}`),
  };
}

const stateOf = (text: string) => stateFromFile(parseExportText(text));

describe('sync between two devices through export files', () => {
  let a: ExtensionBrowser;
  let b: ExtensionBrowser;
  beforeAll(async () => {
    a = await launchExtension();
    b = await launchExtension();
    for (const device of [a, b]) device.serveFixture(LISTING, FIXTURE);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('merges conflicting edits field by field, previews them truthfully, and converges', async () => {
    // Device A: star, tag and annotate two papers.
    const listingA = await a.open(LISTING);
    await waitForCards(listingA, 111);
    const x = await focusCard(listingA, 0);
    await toggleStar(listingA, x, true);
    await addTag(listingA, x, 'cosmology');
    await writeNote(listingA, x, 'A: the sound horizon section is the key.');
    const y = await focusCard(listingA, 1);
    await addTag(listingA, y, 'to-read');

    // Device B (another profile), later: conflicting edits on the same papers.
    const listingB = await b.open(LISTING);
    await waitForCards(listingB, 111);
    await focusCard(listingB, 0);
    await toggleStar(listingB, x, true);
    await toggleStar(listingB, x, false); // B's newer star says "not starred"
    await writeNote(listingB, x, 'B: not convinced by the error bars.');
    await addTag(listingB, x, 'nlp');
    await focusCard(listingB, 1);
    await writeNote(listingB, y, 'B: skim only.');

    // A, later still: a note on the second paper, newer than B's.
    await focusCard(listingA, 1);
    await writeNote(listingA, y, 'A: read fully, newer than B.');

    // A exports through the UI.
    const panelA = await syncPanel(a);
    const fileA = await exportAll(panelA);
    expect(fileA.filename).toMatch(/^margins-\d{4}-\d\d-\d\d\.json$/);
    const stateA = stateOf(fileA.text);

    // B's state before the import (exported through the UI too), and the pure merge of the two.
    const panelB = await syncPanel(b);
    const stateB0 = stateOf((await exportAll(panelB)).text);
    const merged = mergeStates(stateB0, stateA);

    // B imports A's file: the preview says what the pure planner says, and what we expect of it.
    const { preview, shown } = await pickFile(panelB, 'from-a.json', fileA.text);
    expect(shown).toEqual(summaryAsShown(expectedPreview(stateB0, stateA)));
    expect(shown).toMatchObject({
      papersAdded: 0,
      papersUpdated: 2,
      conflicts: 3, // x's star and note (B's are newer), y's note (A's is newer)
      tagsCreated: ['cosmology', 'to-read'],
      notesKept: 2,
    });
    expect([...shown.conflictWinners].sort()).toEqual(['note:the file’s', 'note:yours', 'star:yours']);
    // The background made this preview (the page handed it the file and asked), held its plan, and the
    // confirm wrote that plan without planning again.
    const plansInBackground = () => b.worker.evaluate<number>(`performance.getEntriesByName('margins:import-read').length`);
    expect(await panelB.evaluate(`performance.getEntriesByName('margins:preview-answered').length`)).toBe(1);
    expect(await plansInBackground()).toBe(1);
    await preview.getByRole('button', { name: 'Import' }).click();
    await expect
      .poll(() => panelB.getByTestId('import-result').textContent())
      .toBe('Imported: 2 papers updated, 3 changes, new tags: cosmology, to-read, 2 older notes kept in history.');
    expect(await plansInBackground()).toBe(1);

    // B's open listing shows the merged tags at once (the background told the tab).
    await expect.poll(() => rootAttr(listingB, x, 'data-margins-tags')).toBe('cosmology nlp');
    await expect.poll(() => rootAttr(listingB, y, 'data-margins-tags')).toBe('to-read');
    expect(await rootAttr(listingB, x, 'data-margins-starred')).toBeNull();

    // The result equals the pure merge.
    const fileB1 = await exportAll(panelB);
    expect(stateFingerprint(stateOf(fileB1.text))).toBe(stateFingerprint(merged));
    const history = [...merged.noteHistory.values()].map((h) => h.text).sort();
    expect(history).toEqual(['A: the sound horizon section is the key.', 'B: skim only.']);

    // B's file back into A: the preview again matches the planner, and then both devices are equal.
    const back = await pickFile(panelA, 'from-b.json', fileB1.text);
    expect(back.shown).toEqual(summaryAsShown(expectedPreview(stateA, stateOf(fileB1.text))));
    await back.preview.getByRole('button', { name: 'Import' }).click();
    await panelA.getByTestId('import-result').waitFor();
    const fileA1 = await exportAll(panelA);
    expect(stateFingerprint(stateOf(fileA1.text))).toBe(stateFingerprint(stateOf(fileB1.text)));
    await expect.poll(() => rootAttr(listingA, x, 'data-margins-starred')).toBeNull();
    await expect.poll(() => rootAttr(listingA, x, 'data-margins-tags')).toBe('cosmology nlp');

    // Importing the same file again changes nothing.
    await panelA.getByLabel('Import a Margins file…').setInputFiles({ name: 'again.json', mimeType: 'application/json', buffer: Buffer.from(fileB1.text) });
    const again = panelA.getByRole('region', { name: 'Import “again.json”?' });
    await again.getByTestId('import-nothing').waitFor();
    expect(await again.getByRole('button', { name: 'Import' }).isDisabled()).toBe(true);

    // The library page exports from its own copy of the library in memory: a star given on the
    // listing (written by the background) just before the click is in the file.
    const z = await focusCard(listingA, 2);
    await toggleStar(listingA, z, true);
    const fileA2 = await exportAll(panelA);
    expect(stateOf(fileA2.text).annotations.get(z)?.star?.v).toBe(true);

    // On B, the note that lost the merge is one click away under the note editor, and restoring it
    // keeps the text it replaces: B's note on y is B's again, and A's text is in the history it exports.
    const titleY = stateA.papers.get(y)!.title;
    const libraryB = await b.extensionPage('library.html');
    await libraryB.getByRole('searchbox', { name: /Search titles/ }).fill(titleY);
    await libraryB.getByRole('button', { name: `Edit the note on ${titleY}` }).click();
    await libraryB.getByRole('button', { name: 'Earlier versions (1)' }).click();
    const versions = libraryB.getByRole('list', { name: 'Earlier versions of this note' });
    expect(await versions.getByRole('listitem').allInnerTexts()).toEqual([expect.stringContaining('B: skim only.')]);
    // The editor with its versions open has no serious or critical accessibility violation (axe-core).
    const axe = await new AxeBuilder({ page: libraryB }).include('.note-editor').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    expect(axe.passes.length).toBeGreaterThan(3);
    await versions.getByRole('button', { name: /Restore the version written/ }).click();
    await expect.poll(() => libraryB.getByRole('textbox', { name: `Note on ${titleY}` }).inputValue()).toBe('B: skim only.');
    await expect.poll(async () => versions.getByRole('listitem').allInnerTexts()).toEqual([expect.stringContaining('A: read fully, newer than B.')]);
    const fileB2 = stateOf((await exportAll(panelB)).text);
    expect(fileB2.annotations.get(y)?.note?.v).toBe('B: skim only.');
    // (The history only grows: the restored text stays in it too; the list leaves out the note as it is.)
    expect([...fileB2.noteHistory.values()].filter((h) => h.id === y).map((h) => [h.text, h.reason]).sort()).toEqual([
      ['A: read fully, newer than B.', 'local'],
      ['B: skim only.', 'import'],
    ]);

    // The popup shows the same versions: on x, A's text lost to B's newer note; restored from the popup.
    const popupB = await b.popupFor(listingB);
    const rowX = popupB.locator(`li.paper-row[data-paper-id="${x}"]`);
    await rowX.getByRole('button', { name: /^Edit the note on/ }).click();
    await rowX.getByRole('button', { name: 'Earlier versions (1)' }).click();
    const popupVersions = rowX.getByRole('list', { name: 'Earlier versions of this note' });
    expect(await popupVersions.getByRole('listitem').allInnerTexts()).toEqual([expect.stringContaining('A: the sound horizon section is the key.')]);
    await popupVersions.getByRole('button', { name: /Restore the version written/ }).click();
    // (The listing's card shows it at once: the background told the tab.)
    await expect.poll(() => listingB.locator(`[data-margins-for="${x}"] .snippet`).textContent()).toBe('A: the sound horizon section is the key.');
    await expect.poll(async () => popupVersions.getByRole('listitem').allInnerTexts()).toEqual([expect.stringContaining('B: not convinced by the error bars.')]);

    // Nothing left either browser but the listing page itself.
    expect(a.extensionRequests).toEqual([]);
    expect(b.extensionRequests).toEqual([]);
  });

  it('a new device: the background previews the whole file and its confirm writes the plan it held', async () => {
    const panelA = await syncPanel(a);
    const fileA = await exportAll(panelA);
    const c = await launchExtension();
    try {
      const panelC = await syncPanel(c);
      // Picked, then cancelled: the file leaves the inbox, nothing is imported.
      const first = await pickFile(panelC, 'first-look.json', fileA.text);
      await first.preview.getByRole('button', { name: 'Cancel' }).click();
      const inboxCount = () => panelC.evaluate(`new Promise((resolve) => { const r = indexedDB.open('margins'); r.onsuccess = () => { const q = r.result.transaction('inbox').objectStore('inbox').count(); q.onsuccess = () => { r.result.close(); resolve(q.result); }; }; })`);
      await expect.poll(inboxCount).toBe(0);

      const { preview, shown } = await pickFile(panelC, 'from-a.json', fileA.text);
      expect(shown).toEqual(summaryAsShown(expectedPreview(emptyState(), stateOf(fileA.text))));
      expect(shown.papersAdded).toBe(stateOf(fileA.text).annotations.size);
      // The background made this preview (an empty library could not have exported the file).
      const marks = await c.worker.evaluate(`performance.getEntriesByName('margins:preview-asked').length`);
      expect(marks).toBe(2);
      await preview.getByRole('button', { name: 'Import' }).click();
      await panelC.getByTestId('import-result').waitFor();
      expect(await c.worker.evaluate(`performance.getEntriesByName('margins:import-read').length`)).toBe(2); // planned at each preview, not again
      expect(stateFingerprint(stateOf((await exportAll(panelC)).text))).toBe(stateFingerprint(stateOf(fileA.text)));
      expect(await inboxCount()).toBe(0);
      expect(c.extensionRequests).toEqual([]);
    } finally {
      await c.close();
    }
  });
});
