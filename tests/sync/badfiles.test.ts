/**
 * The bad-file corpus: every file here must be refused with a message that says what is wrong, and
 * a full dump of the database must be identical before and after, through both doors: reading the
 * file in the page (readImportFile) and the background's `sync.import` handler (which re-validates).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEdits, setTagColor } from '@/lib/db/repository';
import { handleMessage } from '@/lib/messaging/handler';
import { buildExportFile, readState, serializeExportFile } from '@/lib/sync/export';
import { FORMAT_VERSION, ImportError, MAX_IMPORT_BYTES, readImportFile } from '@/lib/sync/format';
import { applyImport } from '@/lib/sync/import';
import { dropDb, dumpDb, freshDb } from './helpers';
import { DEFAULT_SETTINGS } from '@/lib/settings';

const db = freshDb();
let good: Record<string, unknown>;
let goodText: string;

beforeAll(async () => {
  await applyEdits(db, [
    {
      id: 'arxiv:2301.00001',
      paper: { id: 'arxiv:2301.00001', title: 'Kept paper', authors: ['A. Author'], links: { abs: 'https://arxiv.org/abs/2301.00001' }, site: 'arxiv' },
      star: true,
      addTags: ['ml'],
      note: 'my note',
    },
  ]);
  await setTagColor(db, 'ml', '#112233');
  const state = await readState(db);
  // A valid file from another device, which the bad files below are made from.
  const other = buildExportFile(state, { filter: { kind: 'all' }, device: 'b2b2b2b2', exportedAt: Date.now() });
  other.annotations[0] = { ...other.annotations[0], tags: { ...other.annotations[0].tags, nlp: { v: true, c: { t: Date.now() + 5, d: 'b2b2b2b2' } } } };
  goodText = serializeExportFile(other);
  good = JSON.parse(goodText);
});
afterAll(() => dropDb(db));

const edit = (f: (file: any) => void): string => {
  const copy = structuredClone(good);
  f(copy);
  return JSON.stringify(copy);
};

/** A Blob-like file that only claims a size: the check must refuse it without reading it. */
const hugeFile = (size: number) => ({
  size,
  text: () => Promise.reject(new Error('a file this large must never be read')),
});

const blob = (text: string) => new Blob([text]);

type Case = { name: string; file: () => { size: number; text(): Promise<string> }; message: RegExp };

const cases: Case[] = [
  { name: 'truncated JSON', file: () => blob(goodText.slice(0, Math.floor(goodText.length / 2))), message: /not valid JSON.*cut short/s },
  { name: 'not JSON at all (a BibTeX file)', file: () => blob('@misc{a, title={x}}'), message: /not valid JSON/ },
  { name: 'an empty file', file: () => blob(''), message: /empty/ },
  { name: 'a JSON list', file: () => blob('[1,2,3]'), message: /not a Margins export file/ },
  { name: 'wrong format name', file: () => blob(edit((f) => (f.format = 'zotero-rdf'))), message: /not a Margins export file.*"zotero-rdf"/ },
  { name: 'no version', file: () => blob(edit((f) => delete f.version)), message: /no valid format version/ },
  { name: 'version as text', file: () => blob(edit((f) => (f.version = '2'))), message: /no valid format version/ },
  { name: 'version 0', file: () => blob(edit((f) => (f.version = 0))), message: /no valid format version/ },
  {
    name: 'a file from a newer version',
    file: () => blob(edit((f) => (f.version = FORMAT_VERSION + 1))),
    message: new RegExp(`newer version of Margins \\(export format ${FORMAT_VERSION + 1}\\).*Update Margins`),
  },
  { name: 'wrong type: star as text', file: () => blob(edit((f) => (f.annotations[0].star.v = 'yes'))), message: /annotations\[0\]\.star\.v should be a boolean but is text/ },
  { name: 'wrong type: clock time as text', file: () => blob(edit((f) => (f.annotations[0].tags.ml.c.t = '12'))), message: /annotations\[0\]\.tags\.ml\.c\.t should be a number/ },
  { name: 'wrong type: papers is an object', file: () => blob(edit((f) => (f.papers = {}))), message: /papers should be an array but is an object/ },
  { name: 'missing list', file: () => blob(edit((f) => delete f.annotations)), message: /annotations should be an array but is missing/ },
  { name: 'unknown top-level field', file: () => blob(edit((f) => (f.syncToken = 'x'))), message: /the top level has a field Margins does not know: "syncToken"/ },
  { name: 'unknown field in an annotation', file: () => blob(edit((f) => (f.annotations[0].rating = 5))), message: /annotations\[0\] has a field Margins does not know: "rating"/ },
  {
    name: '__proto__ key at the top level',
    file: () => blob(goodText.replace('{"format"', '{"__proto__":{"polluted":true},"format"')),
    message: /"__proto__" key at the top level/,
  },
  {
    name: '__proto__ as a tag name',
    file: () => blob(goodText.replace('"tags":{', '"tags":{"__proto__":{"v":true,"c":{"t":1,"d":"x"}},')),
    message: /"__proto__" key at annotations\[0\]\.tags\./,
  },
  {
    name: '__proto__ inside links',
    file: () => blob(goodText.replace('"links":{', '"links":{"__proto__":{"polluted":true},')),
    message: /"__proto__" key at papers\[0\]\.links\./,
  },
  {
    name: 'constructor key at the top level',
    file: () => blob(goodText.replace('{"format"', '{"constructor":{"prototype":{"polluted":true}},"format"')),
    message: /field Margins does not know: "constructor"/,
  },
  {
    name: 'constructor key in a clock',
    file: () => blob(edit((f) => (f.annotations[0].star.c.constructor = { prototype: { polluted: true } }))),
    message: /annotations\[0\]\.star\.c has a field Margins does not know: "constructor"/,
  },
  { name: 'a 5 MB note', file: () => blob(edit((f) => (f.annotations[0].note.v = 'x'.repeat(5_000_000)))), message: /annotations\[0\]\.note\.v is too long \(5,000,000 characters; at most 100,000\)/ },
  { name: 'a 100 MB file', file: () => hugeFile(100_000_000), message: /100\.0 MB; Margins imports files of up to 64\.0 MB/ },
  { name: 'a file just over the limit', file: () => hugeFile(MAX_IMPORT_BYTES + 1), message: /up to 64\.0 MB/ },
  { name: 'a javascript: link', file: () => blob(edit((f) => (f.papers[0].links.abs = 'javascript:alert(1)'))), message: /papers\[0\]\.links\.abs must be an http\(s\) link/ },
  { name: 'a category that is not an arXiv category', file: () => blob(edit((f) => (f.papers[0].category = 'Computation and Language (cs.CL)'))), message: /papers\[0\]\.category must be an arXiv category/ },
  {
    name: 'a version 2 file with a category (version 3 added it)',
    file: () => blob(edit((f) => ((f.version = 2), (f.papers[0].category = 'cs.CL')))),
    message: /papers\[0\] has a field Margins does not know: "category"/,
  },
  { name: 'a paper id that is not an id', file: () => blob(edit((f) => (f.annotations[0].id = 'hello'))), message: /annotations\[0\]\.id is not a paper id/ },
  { name: 'a tag that is not normalised', file: () => blob(edit((f) => (f.annotations[0].tags['Deep Learning'] = f.annotations[0].tags.ml))), message: /not a normalised tag name/ },
  { name: 'a clock time that is not a whole number', file: () => blob(edit((f) => (f.annotations[0].star.c.t = 1.5))), message: /star\.c\.t must be a whole number of milliseconds/ },
  { name: 'a paper listed twice', file: () => blob(edit((f) => f.annotations.push(f.annotations[0]))), message: /annotation of paper "arxiv:2301.00001" appears twice/ },
  {
    name: 'one bad record after many good ones (nothing is imported, not even the good ones)',
    file: () =>
      blob(
        edit((f) => {
          for (let i = 2; i < 500; i++) {
            f.annotations.push({ id: `arxiv:2301.${String(i).padStart(5, '0')}`, tags: { new: { v: true, c: { t: 5, d: 'b2b2b2b2' } } }, createdAt: 1 });
          }
          f.annotations.push({ id: 'arxiv:2301.99999', tags: {}, createdAt: -1 });
        }),
      ),
    message: /annotations\[499\]\.createdAt must be a whole number/,
  },
];

describe('bad files are refused with a clear message and the database is unchanged', () => {
  it('the corpus starts from a good file that does import (the corpus tests something)', async () => {
    const scratch = freshDb();
    const file = await readImportFile(blob(goodText));
    const { summary } = await applyImport(scratch, file);
    expect(summary.papersAdded).toBe(1);
    await dropDb(scratch);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const before = await dumpDb(db);
      // The page: reading the picked file.
      const read = readImportFile(c.file());
      await expect(read).rejects.toBeInstanceOf(ImportError);
      await expect(read).rejects.toThrow(c.message);
      const message = await read.catch((e: Error) => e.message);
      expect(message).toMatch(/Nothing was imported/);
      // The background: the same content as a message (when it is JSON), validated again.
      const file = c.file();
      if (file.size < 10_000_000) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(await file.text());
        } catch {
          parsed = await file.text();
        }
        const broadcasts: unknown[] = [];
        const reply = await handleMessage({ db, broadcast: (s) => broadcasts.push(s), readSettings: async () => DEFAULT_SETTINGS }, { type: 'sync.import', file: parsed }, { fromExtensionPage: true });
        expect(reply.ok).toBe(false);
        expect(!reply.ok && reply.error).toMatch(/Nothing was imported/);
        expect(broadcasts).toEqual([]);
      }
      expect(await dumpDb(db)).toBe(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }
});
