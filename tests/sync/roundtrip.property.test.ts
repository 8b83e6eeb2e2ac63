import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildExportFile, exportLibrary, readState, serializeExportFile } from '@/lib/sync/export';
import { parseExportText } from '@/lib/sync/format';
import { stagedImportsOf, applyImport, partToConfirm, prepareImport, previewImport, stageImport, withNotesReplacedSince } from '@/lib/sync/import';
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

describe('the part of a file the preview sends (property tests, fake IndexedDB)', () => {
  const dbs = [freshDb(), freshDb()];
  afterAll(() => Promise.all(dbs.map(dropDb)));

  it('merges to exactly what the whole file gives, even after later local edits', async () => {
    await fc.assert(
      fc.asyncProperty(recordsArb, recordsArb, fc.boolean(), async (mine, theirs, editBetween) => {
        const [whole, part] = dbs;
        const file = await bothHoldMine(dbs, mine, theirs);
        const prepared = await prepareImport(part, file);
        expect(prepared.toSend.annotations.length).toBeLessThanOrEqual(file.annotations.length);
        if (editBetween) await editMeanwhile(dbs, { id: 'arxiv:2301.00001', star: true, addTags: ['later'], note: 'edited meanwhile' });
        await applyImport(whole, file);
        await applyImport(part, await withNotesReplacedSince(part, prepared));
        expect(stateFingerprint(await readState(part))).toBe(stateFingerprint(await readState(whole)));
      }),
      { numRuns: RUNS },
    );
  }, LONG);

  it('as the library page confirms it (the part staged and planned at the preview), the same', async () => {
    await fc.assert(
      fc.asyncProperty(recordsArb, recordsArb, fc.boolean(), fc.boolean(), async (mine, theirs, editBetween, planDone) => {
        const [whole, part] = dbs;
        const file = await bothHoldMine(dbs, mine, theirs);
        plansMade();
        const imports = stagedImportsOf(part);
        const prepared = await prepareImport(part, file);
        // What SyncPanel does: the part goes to the background as the preview shows, which plans it
        // (done by the confirm, or not yet); the confirm sends it, or a new part if a note was replaced.
        const early = prepared.summary.unchanged ? null : await stageImport(part, prepared.toSend);
        const planning = early ? imports.preview(early).catch(() => undefined) : undefined;
        if (planDone) await planning;
        if (editBetween) await editMeanwhile(dbs, { id: 'arxiv:2301.00001', star: true, addTags: ['later'], note: 'edited meanwhile' });
        await applyImport(whole, file);
        const forgotten: Promise<void>[] = [];
        const key = await partToConfirm(part, prepared, null, early, (k) => forgotten.push(imports.discard(k)));
        await imports.apply(key);
        await Promise.all(forgotten);
        // One plan for the whole file, and one for the part: at the preview (used at the confirm) when
        // nothing was written in between.
        if (!editBetween) expect(plansMade()).toBe(2);
        expect(stateFingerprint(await readState(part))).toBe(stateFingerprint(await readState(whole)));
        await planning;
        expect(await part.inbox.count()).toBe(0);
      }),
      { numRuns: RUNS },
    );
  }, LONG);
});

/** One note both devices hold (same stamp): the case the properties find about once in 20,000 runs. */
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

describe('the part of a file the preview sends, when the reader replaces a note both sides hold', () => {
  const dbs = [freshDb(), freshDb()];
  afterAll(() => Promise.all(dbs.map(dropDb)));

  it('still keeps the replaced text in the note history, as the whole file does', async () => {
    const [whole, part] = dbs;
    const file = await bothHoldTheNote(dbs);
    const prepared = await prepareImport(part, file);
    expect(prepared.summary.papersUpdated + prepared.summary.papersAdded).toBe(0);
    // Nothing changes now, so nothing would be sent...
    expect(prepared.toSend.annotations).toEqual([]);
    expect((await withNotesReplacedSince(part, prepared)).annotations).toEqual([]);

    await replaceTheNote(dbs);
    // ... until the reader replaces the note: then the file's copy of it goes, and only the note (the
    // tags merge to nothing whatever the reader does).
    const toSend = await withNotesReplacedSince(part, prepared);
    expect(toSend.annotations).toEqual([{ id: 'arxiv:2301.00001', tags: {}, note: { v: 'read section 3 again', c: sharedNote }, createdAt: 1 }]);
    // The library page asks with the records it holds: the same answer.
    const held = { annotations: new Map((await part.annotationStore.toArray()).map((a) => [a.id, a])), papers: new Map() };
    expect(await withNotesReplacedSince(part, prepared, held)).toEqual(toSend);
    await applyImport(whole, file);
    await applyImport(part, toSend);

    const kept = await part.history.toArray();
    expect(kept.map((h) => h.text)).toEqual(['read section 3 again']);
    expect(stateFingerprint(await readState(part))).toBe(stateFingerprint(await readState(whole)));
  });

  it('as the library page confirms it: a new part with the note, and the part staged at the preview forgotten', async () => {
    const [whole, part] = dbs;
    const shared = await bothHoldTheNote(dbs);
    // Something else changes too, so the preview stages a part.
    const file = { ...shared, annotations: [...shared.annotations, { id: 'arxiv:2301.00002', tags: { later: { v: true, c: { t: 6, d: 'b2b2b2b2' } } }, createdAt: 1 }] };
    const imports = stagedImportsOf(part);
    const prepared = await prepareImport(part, file);
    const early = await stageImport(part, prepared.toSend);
    await imports.preview(early);
    await replaceTheNote(dbs);
    const forgotten: string[] = [];
    const key = await partToConfirm(part, prepared, null, early, (k) => forgotten.push(k));
    expect(forgotten).toEqual([early]);
    expect(key).not.toBe(early);
    await imports.discard(early);
    await applyImport(whole, file);
    await imports.apply(key);
    expect((await part.history.toArray()).map((h) => h.text)).toEqual(['read section 3 again']);
    expect(stateFingerprint(await readState(part))).toBe(stateFingerprint(await readState(whole)));
    expect(await part.inbox.count()).toBe(0);
  });

  it('sends nothing for a note the history already keeps, or an empty one, even once replaced', async () => {
    const [db] = dbs;
    await Promise.all(db.tables.map((t) => t.clear()));
    await db.meta.put({ key: 'deviceId', value: 'c3c3c3c3' });
    const c = { t: 5, d: 'a1a1a1a1' };
    const note = { v: 'kept already', c };
    const records = {
      annotations: [
        { id: 'arxiv:2301.00001', tags: {}, note, createdAt: 1 },
        { id: 'arxiv:2301.00002', tags: {}, note: { v: '', c }, createdAt: 1 },
      ],
      papers: [],
      aliases: [],
      tagMeta: [],
      noteHistory: [{ id: 'arxiv:2301.00001', text: 'kept already', c, reason: 'import' as const }],
    };
    await applyImport(db, buildExportFile(stateFromFile(records), header));
    const prepared = await prepareImport(db, buildExportFile(stateFromFile(records), { ...header, device: 'b2b2b2b2' }));
    await applyEdits(db, [{ id: 'arxiv:2301.00001', note: 'edited' }, { id: 'arxiv:2301.00002', note: 'edited too' }]);
    expect((await withNotesReplacedSince(db, prepared)).annotations).toEqual([]);
  });
});

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
