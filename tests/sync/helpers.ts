/**
 * Shared pieces of the sync tests: fast-check arbitraries for states and files, fresh databases, and
 * a full dump of a database for "nothing changed" comparisons.
 */
import fc from 'fast-check';
import { MarginsDB } from '@/lib/db/schema';
import type { FileAnnotation, FileHistoryEntry, FilePaper, FileTagMeta } from '@/lib/sync/format';
import { type SyncState, stateFromFile } from '@/lib/sync/merge';

/** 500 runs per property in `npm test`; 10,000 with MARGINS_LONG=1 (`npm run test:long`). */
export const RUNS = process.env.MARGINS_LONG === '1' ? 10_000 : 500;
/** Timeout of a property test that runs RUNS times against a (fake) database. */
export const LONG = process.env.MARGINS_LONG === '1' ? 3_600_000 : 300_000;

let dbCounter = 0;

/** A new, empty database with a name no other test uses. */
export function freshDb(): MarginsDB {
  return new MarginsDB(`sync-test-${process.pid}-${++dbCounter}-${Math.random().toString(36).slice(2)}`);
}

export async function dropDb(db: MarginsDB): Promise<void> {
  db.close();
  await db.delete();
}

/** Every row of every table, in key order: two dumps are equal exactly when the databases are. */
export async function dumpDb(db: MarginsDB, opts: { inbox?: boolean } = {}): Promise<string> {
  // (`inbox: false`: the library only, without files in transit to an import.)
  const tables = db.tables.map((t) => t.name).filter((name) => opts.inbox !== false || name !== 'inbox').sort();
  const out: Record<string, unknown[]> = {};
  for (const name of tables) out[name] = await db.table(name).toArray();
  return JSON.stringify(out);
}

// ---------------------------------------------------------------------------------------------------
// Arbitraries. Small domains on purpose: collisions (same paper, same tag, same clock time on two
// devices) are where merges go wrong.

export const DEVICES = ['a1a1a1a1', 'b2b2b2b2', 'c3c3c3c3'] as const;
export const PAPER_IDS = ['arxiv:2301.00001', 'arxiv:2301.00002', 'arxiv:hep-th/9901001', 'doi:10.1145/3368089', 'acl:2021.naacl-main.208', 'openreview:BJ3filKll'];
export const TAGS = ['ml', 'nlp', 'to-read', 'constructor', 'toString', 'q&a'].map((t) => t.toLowerCase());
const NOTES = ['', 'short', 'a longer note\nwith two lines', 'ünïcödé 📄', 'x'];
const TITLES = ['', 'Attention', 'Attention Is All You Need', 'Attention is all you need'];

export const clockArb = fc.record({ t: fc.integer({ min: 1, max: 12 }), d: fc.constantFrom(...DEVICES) });
const stampedBool = fc.record({ v: fc.boolean(), c: clockArb });
const stampedNote = fc.record({ v: fc.constantFrom(...NOTES), c: clockArb });

export const annotationArb = (id: string): fc.Arbitrary<FileAnnotation> =>
  fc
    .record(
      {
        star: stampedBool,
        tags: fc.dictionary(fc.constantFrom(...TAGS), stampedBool, { maxKeys: 4 }),
        note: stampedNote,
        createdAt: fc.integer({ min: 1, max: 12 }),
      },
      { requiredKeys: ['tags', 'createdAt'] },
    )
    .map((a) => ({ id, ...a }));

const linkArb = fc.constantFrom('https://arxiv.org/abs/x', 'https://arxiv.org/abs/y', 'http://example.org/p');

export const paperArb = (id: string): fc.Arbitrary<FilePaper> =>
  fc
    .record(
      {
        aliases: fc.subarray(PAPER_IDS.filter((p) => p !== id), { maxLength: 2 }),
        title: fc.constantFrom(...TITLES),
        authors: fc.constantFrom<string[][]>([], ['A. Author'], ['A. Author', 'B. Author'], ['B. Author', 'A. Author']),
        links: fc.record({ abs: linkArb, pdf: linkArb, hf: linkArb }, { requiredKeys: [] }),
        version: fc.constantFrom('v1', 'v2', 'v10'),
        abstract: fc.constantFrom('', 'An abstract.', 'Another abstract.'),
        // Sometimes absent (the sites but arXiv show none); two devices may have seen different ones.
        category: fc.constantFrom('cs.CL', 'cs.LG', 'hep-th', 'cond-mat.mes-hall'),
        site: fc.constantFrom('arxiv', 'huggingface', 'scholar'),
        firstSeen: fc.integer({ min: 1, max: 12 }),
        lastSeen: fc.integer({ min: 1, max: 12 }),
      },
      { requiredKeys: ['aliases', 'title', 'authors', 'links', 'site', 'firstSeen', 'lastSeen'] },
    )
    .map((p) => ({ id, ...p }));

const tagMetaArb: fc.Arbitrary<FileTagMeta> = fc
  .record({ name: fc.constantFrom(...TAGS), color: fc.constantFrom('#ff0000', '#00ff00'), c: clockArb }, { requiredKeys: ['name', 'c'] });

const historyArb: fc.Arbitrary<FileHistoryEntry> = fc.record({
  id: fc.constantFrom(...PAPER_IDS),
  text: fc.constantFrom('old', 'older'),
  c: clockArb,
  reason: fc.constantFrom('import' as const, 'local' as const),
});

/** The records of a file (or a device's state), with each key once, as a file holds them. */
export const recordsArb = fc
  .record({
    annIds: fc.subarray(PAPER_IDS),
    paperIds: fc.subarray(PAPER_IDS),
    aliases: fc.uniqueArray(fc.record({ alias: fc.constantFrom(...PAPER_IDS), id: fc.constantFrom(...PAPER_IDS) }), {
      selector: (a) => a.alias,
      maxLength: 3,
    }),
    tagMeta: fc.uniqueArray(tagMetaArb, { selector: (m) => m.name, maxLength: 3 }),
    noteHistory: fc.array(historyArb, { maxLength: 3 }),
  })
  .chain(({ annIds, paperIds, aliases, tagMeta, noteHistory }) =>
    fc.record({
      annotations: annIds.length ? fc.tuple(...annIds.map(annotationArb)) : fc.constant([] as FileAnnotation[]),
      papers: paperIds.length ? fc.tuple(...paperIds.map(paperArb)) : fc.constant([] as FilePaper[]),
      aliases: fc.constant(aliases),
      tagMeta: fc.constant(tagMeta),
      noteHistory: fc.constant(noteHistory),
    }),
  );

export const stateArb: fc.Arbitrary<SyncState> = recordsArb.map((r) => stateFromFile(r));
