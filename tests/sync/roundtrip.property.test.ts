import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildExportFile, exportLibrary, readState, serializeExportFile } from '@/lib/sync/export';
import { parseExportText } from '@/lib/sync/format';
import { stagedImportsOf, applyImport, previewImport, stageImport } from '@/lib/sync/import';
import { applyEdits } from '@/lib/db/repository';
import type { MarginsDB } from '@/lib/db/schema';
import { type SyncState, mergeStates, stateFingerprint, stateFromFile } from '@/lib/sync/merge';
import { LONG, RUNS, dropDb, freshDb, recordsArb } from './helpers';

const header = { filter: { kind: 'all' as const }, device: 'a1a1a1a1', exportedAt: 1_700_000_000_000 };

// Every import marks its phases (performance.mark). In long mode the tests before those that count
// plans leave half a million marks, and Node's getEntriesByName overflows its stack past ~120,000.
beforeEach(() => performance.clearMarks());

/** Empty both databases (this device: c3c3c3c3), then import `local` into each. */
async function bothHold(dbs: MarginsDB[], local: SyncState) {
  for (const db of dbs) {
    await Promise.all(db.tables.map((t) => t.clear()));
    await db.meta.put({ key: 'deviceId', value: 'c3c3c3c3' });
    await applyImport(db, buildExportFile(local, header));
  }
}

/** Both databases hold `mine`; returns `theirs` as another device exports it. */
async function bothHoldMine(dbs: MarginsDB[], mine: Parameters<typeof stateFromFile>[0], theirs: Parameters<typeof stateFromFile>[0]) {
  await bothHold(dbs, stateFromFile(mine));
  return buildExportFile(stateFromFile(theirs), { ...header, device: 'b2b2b2b2' });
}

/** The reader edits both databases between a preview and its confirm: clocks newer than anything. */
async function editMeanwhile(dbs: MarginsDB[], edit: Parameters<typeof applyEdits>[1][number]) {
  const now = vi.spyOn(Date, 'now').mockReturnValue(1_800_000_000_000);
  for (const db of dbs) await applyEdits(db, [edit]);
  now.mockRestore();
}

describe('export then import (property tests, fake IndexedDB)', () => {
  const dbs = [freshDb(), freshDb()];
  afterAll(() => Promise.all(dbs.map(dropDb)));

  it('a file imported into an empty database exports back to the same state', async () => {
    await fc.assert(
      fc.asyncProperty(recordsArb, async (records) => {
        const [db] = dbs;
        await Promise.all(db.tables.map((t) => t.clear()));
        const state = stateFromFile(records);
        const text = serializeExportFile(buildExportFile(state, header));
        await applyImport(db, parseExportText(text));
        expect(stateFingerprint(await readState(db))).toBe(stateFingerprint(state));
        // ... and the exported file text reads back to the same state again.
        const out = await exportLibrary(db, { format: 'json', filter: { kind: 'all' } });
        expect(stateFingerprint(stateFromFile(parseExportText(out.text)))).toBe(stateFingerprint(state));
      }),
      { numRuns: RUNS },
    );
  }, LONG);

  it('importing a file into a database gives exactly the pure merge of the two', async () => {
    await fc.assert(
      fc.asyncProperty(recordsArb, recordsArb, async (mine, theirs) => {
        const [db] = dbs;
        await Promise.all(db.tables.map((t) => t.clear()));
        const local = stateFromFile(mine);
        const incoming = stateFromFile(theirs);
        await applyImport(db, buildExportFile(local, header));
        await applyImport(db, JSON.parse(serializeExportFile(buildExportFile(incoming, { ...header, device: 'b2b2b2b2' }))));
        expect(stateFingerprint(await readState(db))).toBe(stateFingerprint(mergeStates(local, incoming)));
      }),
      { numRuns: RUNS },
    );
  }, LONG);
});

/** One note both devices hold (same stamp), which the reader replaces between the preview and the confirm. */
const sharedNote = { t: 5, d: 'a1a1a1a1' };
const sharedNoteRecords = {
  annotations: [{ id: 'arxiv:2301.00001', tags: { vision: { v: true, c: sharedNote } }, note: { v: 'read section 3 again', c: sharedNote }, createdAt: 1 }],
  papers: [],
  aliases: [],
  tagMeta: [],
  noteHistory: [],
};

/** Both databases hold the shared note; returns the same library as exported by another device. */
async function bothHoldTheNote(dbs: MarginsDB[]) {
  await bothHold(dbs, stateFromFile(sharedNoteRecords));
  return buildExportFile(stateFromFile(sharedNoteRecords), { ...header, device: 'b2b2b2b2' });
}

/** The reader replaces the note (on both databases), later than anything. */
const replaceTheNote = (dbs: MarginsDB[]) => editMeanwhile(dbs, { id: 'arxiv:2301.00001', note: 'edited meanwhile' });

/** How many times the import planned against the database since the last call (readAndPlan marks each plan). */
function plansMade(): number {
  const n = performance.getEntriesByName('margins:import-read').length;
  performance.clearMarks(); // (10,000 runs would pile up a million marks)
  return n;
}

describe('a staged file: previewed once, confirmed with the held plan (property tests, fake IndexedDB)', () => {
  const dbs = [freshDb(), freshDb()];
  afterAll(() => Promise.all(dbs.map(dropDb)));

  it('merges to exactly what importing the whole file at the confirm gives, with or without edits in between', async () => {
    await fc.assert(
      fc.asyncProperty(recordsArb, recordsArb, fc.boolean(), async (mine, theirs, editBetween) => {
        const [whole, staged] = dbs;
        const file = await bothHoldMine(dbs, mine, theirs);
        const imports = stagedImportsOf(staged);
        const key = await stageImport(staged, serializeExportFile(file));
        const { summary, header: said } = await imports.preview(key);
        expect(summary).toEqual(await previewImport(whole, file));
        // What the file says about itself: everything but its records.
        const { papers: _p, annotations: _a, aliases: _al, tagMeta: _t, noteHistory: _h, ...fileHeader } = file;
        expect(said).toEqual(fileHeader);
        expect(said.device).toBe('b2b2b2b2');
        if (editBetween) await editMeanwhile(dbs, { id: 'arxiv:2301.00001', star: true, addTags: ['later'], note: 'edited meanwhile' });
        plansMade();
        await applyImport(whole, file);
        const result = await imports.apply(key);
        // The held plan is used when nothing was written since the preview, and only then.
        expect(plansMade()).toBe(editBetween ? 2 : 1);
        if (!editBetween) expect(result.summary).toEqual(summary);
        expect(stateFingerprint(await readState(staged))).toBe(stateFingerprint(await readState(whole)));
        expect(await staged.inbox.count()).toBe(0);
      }),
      { numRuns: RUNS },
    );
  }, LONG);
});

describe('a staged file, when the reader replaces a note both sides hold before confirming', () => {
  const dbs = [freshDb(), freshDb()];
  afterAll(() => Promise.all(dbs.map(dropDb)));

  it('keeps the replaced text in the note history, as importing the whole file then does', async () => {
    const [whole, staged] = dbs;
    const file = await bothHoldTheNote(dbs);
    const imports = stagedImportsOf(staged);
    const key = await stageImport(staged, file);
    const { summary } = await imports.preview(key);
    expect(summary.unchanged).toBe(true);

    await replaceTheNote(dbs);
    await applyImport(whole, file);
    const result = await imports.apply(key);
    expect(result.summary.notesKept).toBe(1);
    expect((await staged.history.toArray()).map((h) => h.text)).toEqual(['read section 3 again']);
    expect(stateFingerprint(await readState(staged))).toBe(stateFingerprint(await readState(whole)));
  });
});

describe('the file layout', () => {
  /** The obvious way to write one record per line, to compare the fast one against. */
  function reference(file: ReturnType<typeof buildExportFile>): string {
    const { papers, annotations, aliases, tagMeta, noteHistory, settings, ...head } = file;
    const lists = { papers, annotations, aliases, tagMeta, noteHistory };
    let out = JSON.stringify(head).slice(0, -1);
    for (const [key, items] of Object.entries(lists)) {
      out += `,\n${JSON.stringify(key)}:[${items.length ? `\n${(items as unknown[]).map((x) => JSON.stringify(x)).join(',\n')}\n` : ''}]`;
    }
    if (settings) out += `,\n"settings":${JSON.stringify(settings)}`;
    return `${out}}\n`;
  }

  it('is one record per line, even when texts contain the separator', () => {
    fc.assert(
      fc.property(recordsArb, fc.string({ unit: fc.constantFrom('}', ',', '{', '"', '\\', '\n', 'a') }), (records, nasty) => {
        const state = stateFromFile({
          ...records,
          papers: records.papers.map((p) => ({ ...p, title: nasty, authors: [nasty] })),
          noteHistory: records.noteHistory.map((h) => ({ ...h, text: `${nasty}},{"id":"x"` })),
        });
        const file = buildExportFile(state, { ...header, settings: { shortcuts: true } });
        const text = serializeExportFile(file);
        expect(text).toBe(reference(file));
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(file)));
      }),
      { numRuns: RUNS },
    );
  }, LONG);
});
