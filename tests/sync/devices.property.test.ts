/**
 * Devices that edit and exchange export files, as real databases (fake IndexedDB) written through the
 * real repository and importer. The wall clock is generated too (ties and clocks that go backwards
 * included), because that is where a merge goes wrong in practice.
 */
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { applyEdits, deletePapers, noteVersions, restoreNote, setTagColor } from '@/lib/db/repository';
import type { MarginsDB } from '@/lib/db/schema';
import { exportLibrary, readState } from '@/lib/sync/export';
import { parseExportText } from '@/lib/sync/format';
import { applyImport } from '@/lib/sync/import';
import { type SyncState, mergeStates, stateFingerprint } from '@/lib/sync/merge';
import { LONG, RUNS, dropDb, freshDb } from './helpers';

const PAPERS = ['arxiv:2301.00001', 'arxiv:2301.00002', 'acl:2021.naacl-main.208'];
const TAGS = ['ml', 'nlp', 'constructor'];
const NOTES = ['', 'first thoughts', 'second thoughts'];

type Op =
  | { kind: 'edit'; dev: number; paper: string; star?: boolean; addTags?: string[]; removeTags?: string[]; note?: string; wall: number }
  | { kind: 'delete'; dev: number; paper: string; wall: number }
  | { kind: 'color'; dev: number; tag: string; color: string | null; wall: number }
  /** Make an earlier version of a note the note again: of the `pick`-th paper that has one, if any. */
  | { kind: 'restore'; dev: number; pick: number; wall: number }
  | { kind: 'sync'; from: number; to: number };

const wallArb = fc.integer({ min: 1_000, max: 1_006 });

const opArb = (devices: number): fc.Arbitrary<Op> => {
  const dev = fc.integer({ min: 0, max: devices - 1 });
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record(
        {
          kind: fc.constant('edit' as const),
          dev,
          paper: fc.constantFrom(...PAPERS),
          star: fc.boolean(),
          addTags: fc.subarray(TAGS, { minLength: 1 }),
          removeTags: fc.subarray(TAGS, { minLength: 1 }),
          note: fc.constantFrom(...NOTES),
          wall: wallArb,
        },
        { requiredKeys: ['kind', 'dev', 'paper', 'wall'] },
      ),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), dev, paper: fc.constantFrom(...PAPERS), wall: wallArb }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('color' as const), dev, tag: fc.constantFrom(...TAGS), color: fc.constantFrom('#aa0000', '#00bb00', null), wall: wallArb }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('restore' as const), dev, pick: fc.nat(5), wall: wallArb }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('sync' as const), from: dev, to: dev }) },
  );
};

/** Every ordered pair of devices, each exactly once: after these, every device has heard from every other. */
function allPairs(devices: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < devices; i++) for (let j = 0; j < devices; j++) if (i !== j) out.push([i, j]);
  return out;
}

let wall = 1_000;
/** Restores made (the runs must exercise them: a restore needs a note that lost a merge first). */
let restores = 0;
afterEach(() => vi.restoreAllMocks());

async function sync(from: MarginsDB, to: MarginsDB): Promise<void> {
  // Through the file text, as a reader would carry it.
  const { text } = await exportLibrary(from, { format: 'json', filter: { kind: 'all' } });
  await applyImport(to, parseExportText(text));
}

async function run(dbs: MarginsDB[], op: Op): Promise<void> {
  if (op.kind === 'sync') {
    if (op.from !== op.to) await sync(dbs[op.from], dbs[op.to]);
    return;
  }
  wall = op.wall;
  const db = dbs[op.dev];
  if (op.kind === 'edit') {
    const { kind: _k, dev: _d, wall: _w, paper, ...edit } = op;
    await applyEdits(db, [{ ...edit, id: paper }]);
  } else if (op.kind === 'restore') {
    const withVersions = [];
    for (const paper of PAPERS) {
      const versions = await noteVersions(db, paper);
      if (versions.length) withVersions.push({ paper, versions });
    }
    if (withVersions.length) {
      const { paper, versions } = withVersions[op.pick % withVersions.length];
      await restoreNote(db, paper, versions[op.pick % versions.length].text);
      restores++;
    }
  } else if (op.kind === 'delete') await deletePapers(db, [op.paper]);
  else await setTagColor(db, op.tag, op.color);
}

async function reset(dbs: MarginsDB[]): Promise<void> {
  for (const db of dbs) await Promise.all(db.tables.map((t) => t.clear()));
  // Distinct device ids, in a fixed order, so failures replay exactly.
  for (const [i, db] of dbs.entries()) await db.meta.put({ key: 'deviceId', value: `dev${i}` });
}

describe('devices exchanging files (property tests, fake IndexedDB)', () => {
  const dbs = [freshDb(), freshDb(), freshDb()];
  afterAll(() => Promise.all(dbs.map(dropDb)));

  /**
   * The property: after `ops` on `devices` devices (from empty libraries) and then a round in which
   * every device hears from every other, each device holds the merge of the states they had before it.
   */
  const converges = (devices: number, prefix: Op[] = []) =>
    fc.asyncProperty(
      fc.array(opArb(devices), { maxLength: 8 }),
      fc.shuffledSubarray(allPairs(devices), { minLength: allPairs(devices).length }),
      async (ops, finalRound) => {
        vi.spyOn(Date, 'now').mockImplementation(() => wall);
        const used = dbs.slice(0, devices);
        await reset(used);
        for (const op of [...prefix, ...ops]) await run(used, op);
        const before: SyncState[] = await Promise.all(used.map((db) => readState(db)));
        for (const [from, to] of finalRound) await sync(used[from], used[to]);
        const expected = stateFingerprint(before.reduce(mergeStates));
        for (const db of used) expect(stateFingerprint(await readState(db))).toBe(expected);
        vi.restoreAllMocks();
      },
    );

  for (const devices of [2, 3]) {
    it(`${devices} devices converge whatever the order of the exchanges, to the merge of their states`, async () => {
      await fc.assert(converges(devices), { numRuns: RUNS });
    }, LONG);
  }

  it('devices that restore earlier note versions between exchanges converge too', async () => {
    // Each run starts from a conflict both devices have seen (each has the other's text in its history),
    // so restores happen; then any operations, and a final round of exchanges.
    const conflict: Op[] = [
      { kind: 'edit', dev: 0, paper: PAPERS[0], note: 'first thoughts', wall: 1_000 },
      { kind: 'edit', dev: 1, paper: PAPERS[0], note: 'second thoughts', wall: 1_001 },
      { kind: 'sync', from: 0, to: 1 },
      { kind: 'sync', from: 1, to: 0 },
    ];
    restores = 0;
    await fc.assert(converges(3, conflict), { numRuns: RUNS });
    expect(restores).toBeGreaterThan(RUNS / 10);
  }, LONG);

  it('a removal made on one device stays removed after syncing with devices that never saw it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb(3), { maxLength: 6 }),
        fc.constantFrom(...PAPERS),
        fc.constantFrom(...TAGS),
        fc.boolean(),
        fc.array(opArb(3), { maxLength: 6 }),
        wallArb,
        fc.shuffledSubarray(allPairs(3), { minLength: 6 }),
        async (history, paper, tag, deleteWholePaper, later, removalWall, finalRound) => {
          vi.spyOn(Date, 'now').mockImplementation(() => wall);
          await reset(dbs);
          for (const op of history) await run(dbs, op);
          const [a] = dbs;
          // A has seen everything B and C know; then A adds and removes the tag (or deletes the paper).
          await sync(dbs[1], a);
          await sync(dbs[2], a);
          wall = removalWall;
          await applyEdits(a, [{ id: paper, star: true, addTags: [tag], note: 'to be removed' }]);
          if (deleteWholePaper) await deletePapers(a, [paper]);
          else await applyEdits(a, [{ id: paper, removeTags: [tag] }]);
          // B and C go on with their own work, none of it on that paper, and never saw the removal.
          for (const op of later) {
            if (op.kind === 'sync' && (op.from === 0 || op.to === 0)) continue;
            if ((op.kind === 'edit' || op.kind === 'delete') && (op.dev === 0 || op.paper === paper)) continue;
            if (op.kind === 'restore') continue; // (it may pick that paper)
            if (op.kind === 'color' && op.dev === 0) continue;
            await run(dbs, op);
          }
          for (const [from, to] of finalRound) await sync(dbs[from], dbs[to]);
          for (const db of dbs) {
            const ann = await db.annotationStore.get(paper);
            expect(ann?.tagList ?? []).not.toContain(tag);
            if (deleteWholePaper) expect([ann?.starred, ann?.tagList.length, ann?.hasNote]).toEqual([0, 0, 0]);
          }
          vi.restoreAllMocks();
        },
      ),
      { numRuns: RUNS },
    );
  }, LONG);
});
