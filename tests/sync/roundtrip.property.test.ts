import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildExportFile, exportLibrary, readState, serializeExportFile } from '@/lib/sync/export';
import { parseExportText } from '@/lib/sync/format';
import { applyImport } from '@/lib/sync/import';
import { mergeStates, stateFingerprint, stateFromFile } from '@/lib/sync/merge';
import { LONG, RUNS, dropDb, freshDb, recordsArb } from './helpers';

const header = { filter: { kind: 'all' as const }, device: 'a1a1a1a1', exportedAt: 1_700_000_000_000 };

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
