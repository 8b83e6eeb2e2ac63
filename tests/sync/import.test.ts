import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyEdits, deviceId, setTagColor } from '@/lib/db/repository';
import type { MarginsDB } from '@/lib/db/schema';
import { handleMessage } from '@/lib/messaging/handler';
import { buildExportFile, exportLibrary, readState, serializeExportFile } from '@/lib/sync/export';
import { type ExportFile, type ExportFileV1, FORMAT_VERSION, parseExportData, parseExportText, parseValidatedText } from '@/lib/sync/format';
import { stagedImportsOf, applyImport, previewImport, stageImport } from '@/lib/sync/import';
import { viewOf } from '@/lib/model';
import { mergeStates, stateFingerprint, stateFromFile } from '@/lib/sync/merge';
import { RUNS, dropDb, dumpDb, freshDb, recordsArb } from './helpers';
import { DEFAULT_SETTINGS } from '@/lib/settings';

const P1 = 'arxiv:2301.00001';
const P2 = 'arxiv:2301.00002';
const P3 = 'acl:2021.naacl-main.208';
const paper = (id: string, title: string) => ({ id, title, authors: ['Ada Lovelace'], links: { abs: `https://example.org/${id}` }, site: 'arxiv' });

/** A file from device "b2b2b2b2", made by hand, so each number in the preview is known in advance. */
function fileFromB(t: number): ExportFile {
  const c = (dt: number) => ({ t: t + dt, d: 'b2b2b2b2' });
  return {
    format: 'margins-export',
    version: FORMAT_VERSION,
    exportedAt: t,
    device: 'b2b2b2b2',
    filter: { kind: 'all' },
    papers: [
      { id: P1, aliases: [], title: 'Paper one, full title', authors: ['Ada Lovelace'], links: { abs: `https://example.org/${P1}` }, site: 'arxiv', firstSeen: 1, lastSeen: 2 },
      { id: P3, aliases: [], title: 'Paper three', authors: [], links: {}, site: 'acl', firstSeen: 1, lastSeen: 1 },
    ],
    annotations: [
      // B unstarred P1 after A starred it (B wins), and wrote an older note (A's note wins).
      { id: P1, star: { v: false, c: c(10) }, tags: { ml: { v: true, c: c(10) } }, note: { v: 'B thinks so', c: { t: 5, d: 'b2b2b2b2' } }, createdAt: 1 },
      // B added a tag A never had.
      { id: P2, tags: { nlp: { v: true, c: c(11) } }, createdAt: 1 },
      // A paper A never saw, with a new tag.
      { id: P3, star: { v: true, c: c(12) }, tags: { 'brand-new': { v: true, c: c(12) } }, createdAt: 1 },
    ],
    aliases: [{ alias: 'doi:10.18653/v1/2021.naacl-main.208', id: P3 }],
    tagMeta: [{ name: 'nlp', color: '#00aa00', c: c(13) }],
    noteHistory: [],
  };
}

describe('import: preview, apply, one transaction', () => {
  let db: MarginsDB;
  beforeEach(async () => {
    db = freshDb();
    await applyEdits(db, [
      { id: P1, paper: paper(P1, 'Paper one'), star: true, addTags: ['ml'], note: 'A wrote this' },
      { id: P2, paper: paper(P2, 'Paper two'), addTags: ['ml'] },
    ]);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await dropDb(db);
  });

  it('previews exactly what the import does, and applies it', async () => {
    const t = Date.now() + 1_000;
    const file = fileFromB(t);
    const before = await dumpDb(db);
    const preview = await previewImport(db, file);
    expect(await dumpDb(db)).toBe(before); // the preview writes nothing
    expect(preview).toMatchObject({
      papersInFile: 3,
      papersAdded: 1,
      papersUpdated: 2,
      starsChanged: 2, // P1 unstarred, P3 starred
      tagsAdded: 2, // nlp on P2, brand-new on P3
      tagsRemoved: 0,
      notesChanged: 0, // A's note is newer
      fieldsChanged: 4,
      metadataUpdated: 1, // P1's longer title
      conflicts: 2,
      conflictsFileWins: 1,
      conflictsLocalWins: 1,
      tagsCreated: ['brand-new', 'nlp'], // neither is used in this library yet
      tagColorsChanged: 1,
      notesKept: 1, // B's note text goes to the note history
      aliasesAdded: 1,
      futureClock: false,
      unchanged: false,
    });
    expect(preview.conflictList.map((c) => [c.id, c.field, c.winner, c.title])).toEqual([
      [P1, 'star', 'file', 'Paper one, full title'],
      [P1, 'note', 'local', 'Paper one, full title'],
    ]);

    const { summary, changedViews } = await applyImport(db, file);
    expect(summary).toEqual(preview);
    expect(changedViews.map((v) => v.id).sort()).toEqual([P1, P2, P3].sort());
    const p1 = await db.annotationStore.get(P1);
    expect([p1?.starred, p1?.note?.v, p1?.tagList]).toEqual([0, 'A wrote this', ['ml']]);
    expect((await db.annotationStore.get(P3))?.tagList).toEqual(['brand-new']);
    expect((await db.paperStore.get(P1))?.title).toBe('Paper one, full title');
    expect(await db.aliases.get('doi:10.18653/v1/2021.naacl-main.208')).toEqual({ alias: 'doi:10.18653/v1/2021.naacl-main.208', id: P3 });
    expect((await db.tagMeta.get('nlp'))?.color).toBe('#00aa00');
    const history = await db.history.toArray();
    expect(history.map((h) => [h.id, h.text, h.reason])).toEqual([[P1, 'B thinks so', 'import']]);

    // Importing the same file again changes nothing.
    const again = await dumpDb(db);
    expect((await applyImport(db, file)).summary.unchanged).toBe(true);
    expect(await dumpDb(db)).toBe(again);
  });

  it('takes the file as its JSON text (what pages send): the same merge; broken text is refused, nothing written', async () => {
    const other = freshDb();
    await applyEdits(other, [
      { id: P1, paper: paper(P1, 'Paper one'), star: true, addTags: ['ml'], note: 'A wrote this' },
      { id: P2, paper: paper(P2, 'Paper two'), addTags: ['ml'] },
    ]);
    // The file is made after both libraries' edits, so that its newer clocks (10 ms on) are newer than
    // both: made before the second library's edits, a slow machine could stamp those later than the file's.
    const file = fileFromB(Date.now());
    const before = await dumpDb(db);
    await expect(applyImport(db, JSON.stringify(file).slice(0, 200))).rejects.toThrow(/not valid JSON.*cut short.*Nothing was imported/);
    await expect(applyImport(db, JSON.stringify({ ...file, version: 99 }))).rejects.toThrow(/newer version of Margins/);
    expect(await dumpDb(db)).toBe(before);
    const fromText = await applyImport(db, JSON.stringify(file));
    const fromObject = await applyImport(other, file);
    expect(fromText.summary.fieldsChanged).toBeGreaterThan(0);
    const views = async (d: typeof db) => (await d.annotationStore.toArray()).map((a) => viewOf(a, a.id)).sort((x, y) => x.id.localeCompare(y.id));
    expect(await views(db)).toEqual(await views(other));
    await dropDb(other);
  });

  it('pushes the local clock past the imported clocks, so the next local edit wins', async () => {
    const future = Date.now() + 10 * 24 * 60 * 60 * 1000; // a device whose clock runs ten days ahead
    const file = fileFromB(future);
    const { summary } = await applyImport(db, file);
    expect(summary.futureClock).toBe(true);
    await applyEdits(db, [{ id: P1, star: true }]);
    const p1 = await db.annotationStore.get(P1);
    expect(p1?.starred).toBe(1);
    expect(p1?.star?.c.t).toBeGreaterThan(future + 10);
  });

  it('is all or nothing: a failure while writing leaves the database as it was', async () => {
    const before = await dumpDb(db);
    vi.spyOn(db.historyChunks, 'bulkAdd').mockImplementation(() => {
      throw new Error('disk on fire');
    });
    await expect(applyImport(db, fileFromB(Date.now()))).rejects.toThrow('disk on fire');
    expect(await dumpDb(db)).toBe(before);
  });

  it('merges against the database as it is when applied, not as it was previewed', async () => {
    const file = fileFromB(Date.now() - 60_000);
    await previewImport(db, file);
    await applyEdits(db, [{ id: P2, removeTags: ['ml'], addTags: ['later'] }]);
    await applyImport(db, file);
    expect((await db.annotationStore.get(P2))?.tagList).toEqual(['later', 'nlp']);
  });

  it('the sync.import message: only from extension pages; replies with the summary and pushes changed views', async () => {
    const file = fileFromB(Date.now());
    const pushed: string[] = [];
    const deps = { db, broadcast: (views: { id: string }[]) => pushed.push(...views.map((v) => v.id)), readSettings: async () => DEFAULT_SETTINGS };
    const fromPage = await handleMessage(deps, { type: 'sync.import', file }, { fromExtensionPage: false });
    expect(fromPage).toEqual({ ok: false, error: '"sync.import" is only allowed from Margins\' own pages.' });
    const reply = await handleMessage(deps, { type: 'sync.import', file }, { fromExtensionPage: true });
    expect(reply.ok && (reply.data as { papersAdded: number }).papersAdded).toBe(1);
    expect(pushed.sort()).toEqual([P1, P2, P3].sort());
  });

  it('a staged file (the inbox): applied and removed in one go; a refused one removed too; an unknown key refused', async () => {
    const deps = { db, broadcast: () => undefined, readSettings: async () => DEFAULT_SETTINGS };
    const page = { fromExtensionPage: true };
    // A content script cannot name a staged file either.
    const key = await stageImport(db, fileFromB(Date.now()));
    expect(await handleMessage(deps, { type: 'sync.import', staged: key }, { fromExtensionPage: false })).toMatchObject({ ok: false });
    expect(await db.inbox.count()).toBe(1);
    const reply = await handleMessage(deps, { type: 'sync.import', staged: key }, page);
    expect(reply.ok && (reply.data as { papersAdded: number }).papersAdded).toBe(1);
    expect(await db.inbox.count()).toBe(0);
    expect((await db.annotationStore.get(P3))?.tagList).toEqual(['brand-new']);
    // Again: the file is gone, and the reader is told so.
    expect(await handleMessage(deps, { type: 'sync.import', staged: key }, page)).toEqual({
      ok: false,
      error: 'The file to import was not found (was it imported already?). Nothing was imported.',
    });
    // A file the background refuses leaves the inbox, and the library is unchanged.
    const before = await dumpDb(db);
    const bad = await stageImport(db, { ...fileFromB(Date.now()), version: 99 } as unknown as ExportFile);
    expect(await handleMessage(deps, { type: 'sync.import', staged: bad }, page)).toMatchObject({ ok: false, error: expect.stringMatching(/newer version of Margins/) });
    expect(await db.inbox.count()).toBe(0);
    expect(await dumpDb(db)).toBe(before);
  });

  it('sync.preview: says what the import would do and writes nothing; a refused file leaves the inbox; discard forgets it', async () => {
    const deps = { db, broadcast: () => undefined, readSettings: async () => DEFAULT_SETTINGS };
    const page = { fromExtensionPage: true };
    const before = await dumpDb(db);
    const file = fileFromB(Date.now());
    const key = await stageImport(db, file);
    expect(await handleMessage(deps, { type: 'sync.preview', staged: key }, { fromExtensionPage: false })).toMatchObject({ ok: false });
    const reply = await handleMessage(deps, { type: 'sync.preview', staged: key }, page);
    expect(reply).toEqual({ ok: true, data: { summary: await previewImport(db, file), header: { format: file.format, version: file.version, device: file.device, exportedAt: file.exportedAt, filter: file.filter } } });
    expect(await handleMessage(deps, { type: 'sync.keep', staged: key }, page)).toEqual({ ok: true, data: { held: true } });
    expect(await handleMessage(deps, { type: 'sync.discard', staged: key }, page)).toEqual({ ok: true, data: { ok: true } });
    expect(await handleMessage(deps, { type: 'sync.keep', staged: key }, page)).toEqual({ ok: true, data: { held: false } });
    expect(await db.inbox.count()).toBe(0);
    // Broken text: the reader is told what is wrong, the file leaves the inbox, nothing else changes.
    const broken = await stageImport(db, JSON.stringify(file).slice(0, 200));
    expect(await handleMessage(deps, { type: 'sync.preview', staged: broken }, page)).toMatchObject({ ok: false, error: expect.stringMatching(/not valid JSON.*cut short/) });
    expect(await db.inbox.count()).toBe(0);
    expect(await dumpDb(db)).toBe(before);
  });

  it('stages a picked file as it is where the browser keeps Blobs, else its text; a full disk is an error either way', async () => {
    const text = JSON.stringify(fileFromB(Date.now()));
    const imports = stagedImportsOf(db);
    const expected = await previewImport(db, parseExportText(text));
    // Whatever the browser kept (this test DOM's Blob is not one IndexedDB can keep), the preview reads the file.
    const key = await stageImport(db, new Blob([text]));
    const entry = await db.inbox.get(key);
    expect(entry?.blob instanceof Blob ? await entry.blob.text() : entry?.text).toBe(text);
    expect((await imports.preview(key)).summary).toEqual(expected);
    await imports.discard(key);
    // A browser that refuses Blobs (some private windows): the text.
    const refusing = vi.spyOn(db.inbox, 'put').mockImplementationOnce(() => {
      throw new DOMException('Blobs are not allowed here.', 'DataCloneError');
    });
    const refused = await stageImport(db, new Blob([text]));
    expect((await db.inbox.get(refused))?.text).toBe(text);
    refusing.mockRestore();
    // A full disk says so, and nothing is staged.
    vi.spyOn(db.inbox, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    await expect(stageImport(db, new Blob([text]))).rejects.toThrow(/out of storage space/);
    vi.mocked(db.inbox.put).mockRestore();
    expect(await db.inbox.count()).toBe(1);
  });

  it('a confirm that comes while its preview is still being made waits for it and writes its plan; a discard meanwhile holds nothing', async () => {
    const imports = stagedImportsOf(db);
    const plans = () => performance.getEntriesByName('margins:import-read').length;
    const file = fileFromB(Date.now());
    const expected = await previewImport(db, file);
    const before = plans();
    const key = await stageImport(db, file);
    // Not awaited: the page asks for the preview and the reader confirms at once.
    const preview = imports.preview(key);
    const result = await imports.apply(key);
    expect((await preview).summary).toEqual(expected);
    expect(result.summary).toEqual(expected);
    expect(plans() - before).toBe(1);
    expect((await db.annotationStore.get(P3))?.tagList).toEqual(['brand-new']);
    // Discarded while it is made (the reader cancelled): nothing is held, the file is gone.
    const other = await stageImport(db, fileFromB(Date.now() + 1_000));
    const cancelled = imports.preview(other);
    await imports.discard(other);
    // (It may also fail: the file can leave the inbox before the preview reads it.)
    await cancelled.catch(() => undefined);
    expect(imports.keep(other)).toBe(false);
    expect(await db.inbox.count()).toBe(0);
  });

  it('a held plan is written all or nothing too: a failure while writing leaves the database as it was', async () => {
    const imports = stagedImportsOf(db);
    const before = await dumpDb(db);
    const key = await stageImport(db, fileFromB(Date.now()));
    await imports.preview(key);
    vi.spyOn(db.historyChunks, 'bulkAdd').mockImplementationOnce(() => {
      throw new Error('disk on fire');
    });
    const plans = performance.getEntriesByName('margins:import-read').length;
    await expect(imports.apply(key)).rejects.toThrow('disk on fire');
    expect(performance.getEntriesByName('margins:import-read').length).toBe(plans);
    // (The file left the inbox: a reader tries again from the file.)
    expect(await dumpDb(db)).toBe(before);
  });
});

describe('export', () => {
  let db: MarginsDB;
  beforeEach(async () => {
    db = freshDb();
    await applyEdits(db, [
      { id: P1, paper: paper(P1, 'Starred one'), star: true, addTags: ['ml'] },
      { id: P2, paper: paper(P2, 'Tagged two'), addTags: ['nlp', 'ml'], note: 'n' },
      { id: P3, paper: paper(P3, 'Removed three'), addTags: ['nlp'] },
    ]);
    await applyEdits(db, [{ id: P3, removeTags: ['nlp'] }]);
    await setTagColor(db, 'ml', '#ff0000');
    await setTagColor(db, 'nlp', '#0000ff');
  });
  afterEach(() => dropDb(db));

  it('writes the whole state, tombstones included, with this device id and the carried settings', async () => {
    const out = await exportLibrary(db, {
      format: 'json',
      filter: { kind: 'all' },
      settings: { shortcuts: false, exportReminderDays: 7, starredOnListings: 'dim', seenOnListings: 'show', markNew: true },
      now: Date.UTC(2025, 0, 2),
    });
    expect(out.filename).toBe('margins-2025-01-02.json');
    const file = parseExportText(out.text);
    expect(file.device).toBe(await deviceId(db));
    expect(file.annotations.map((a) => a.id)).toEqual([P3, P1, P2]);
    expect(file.annotations.find((a) => a.id === P3)?.tags.nlp.v).toBe(false); // the removal travels
    expect(file.settings).toEqual({ shortcuts: false, starredOnListings: 'dim', seenOnListings: 'show', markNew: true, exportReminderDays: 7 });
    expect(file.tagMeta.map((m) => m.name)).toEqual(['ml', 'nlp']);
    // One record per line: a sync tool can diff it.
    expect(out.text.split('\n').filter((l) => l.startsWith('{"id":"arxiv:2301.0000')).length).toBe(4);
  });

  it('exports the starred papers or one tag, with only their papers and tag colours and no settings', async () => {
    const starred = parseExportText((await exportLibrary(db, { format: 'json', filter: { kind: 'starred' }, settings: { shortcuts: true } })).text);
    expect(starred.filter).toEqual({ kind: 'starred' });
    expect(starred.annotations.map((a) => a.id)).toEqual([P1]);
    expect(starred.papers.map((p) => p.id)).toEqual([P1]);
    expect(starred.tagMeta.map((m) => m.name)).toEqual(['ml']);
    expect(starred.settings).toBeUndefined();

    const nlp = await exportLibrary(db, { format: 'json', filter: { kind: 'tag', tag: 'nlp' } });
    expect(nlp.filename).toMatch(/^margins-tag-nlp-\d{4}-\d\d-\d\d\.json$/);
    expect(parseExportText(nlp.text).annotations.map((a) => a.id)).toEqual([P2]);
  });

  it('a filtered file imported elsewhere adds just those papers', async () => {
    const other = freshDb();
    const { text } = await exportLibrary(db, { format: 'json', filter: { kind: 'tag', tag: 'ml' } });
    await applyImport(other, parseExportText(text));
    expect((await other.annotationStore.toArray()).map((a) => a.id).sort()).toEqual([P1, P2]);
    await dropDb(other);
  });
});

describe('format versions', () => {
  it('reads a version 1 file by upgrading it, and imports the same state as its version 2 equivalent', async () => {
    const c = { t: 100, d: 'a1a1a1a1' };
    const v1: ExportFileV1 = {
      format: 'margins-export',
      version: 1,
      exportedAt: 200,
      device: 'a1a1a1a1',
      entries: [
        {
          id: P3,
          paper: { aliases: ['doi:10.18653/v1/2021.naacl-main.208'], title: 'Old', authors: ['X'], links: {}, site: 'acl', firstSeen: 1, lastSeen: 2 },
          star: { v: true, c },
          tags: { old: { v: true, c }, gone: { v: false, c } },
          note: { v: 'kept', c },
          createdAt: 1,
        },
        { id: P1, tags: {}, createdAt: 5 },
      ],
    };
    const upgraded = parseExportData(v1);
    expect(upgraded.version).toBe(FORMAT_VERSION);
    expect(upgraded.aliases).toEqual([{ alias: 'doi:10.18653/v1/2021.naacl-main.208', id: P3 }]);
    expect(upgraded.papers).toEqual([{ id: P3, aliases: ['doi:10.18653/v1/2021.naacl-main.208'], title: 'Old', authors: ['X'], links: {}, site: 'acl', firstSeen: 1, lastSeen: 2 }]);
    expect(upgraded.annotations[0].tags.gone).toEqual({ v: false, c });

    const viaV1 = freshDb();
    await applyImport(viaV1, v1);
    const viaV2 = freshDb();
    await applyImport(viaV2, JSON.parse(serializeExportFile(buildExportFile(await readState(viaV1), { filter: { kind: 'all' }, device: 'z', exportedAt: 1 }))));
    expect(stateFingerprint(await readState(viaV2))).toBe(stateFingerprint(await readState(viaV1)));
    expect((await viaV1.annotationStore.get(P3))?.tagList).toEqual(['old']);
    await Promise.all([dropDb(viaV1), dropDb(viaV2)]);
  });
});

describe('format version 3: the arXiv category', () => {
  /** A version 3 file whose papers carry categories, and the same file as version 2 wrote it (no categories). */
  function v3File(): ExportFile {
    const file = fileFromB(1_000);
    file.papers[0] = { ...file.papers[0], category: 'cs.CL' };
    return file;
  }

  it('reads a version 2 file as version 3 with the same state (it has no categories)', () => {
    const { papers, ...rest } = v3File();
    const v2 = { ...rest, version: 2, papers: papers.map(({ category: _, ...p }) => p) };
    const upgraded = parseExportData(JSON.parse(JSON.stringify(v2)));
    expect(FORMAT_VERSION).toBe(3);
    expect(upgraded.version).toBe(3);
    expect(upgraded.papers.some((p) => 'category' in p)).toBe(false);
    expect(stateFingerprint(stateFromFile(upgraded))).toBe(stateFingerprint(stateFromFile({ ...v2, version: 3 } as ExportFile)));
    expect({ ...upgraded, version: 2 }).toEqual(v2);
  });

  it('carries the category from export to import, and refuses a file from version 4', async () => {
    const file = v3File();
    const target = freshDb();
    await applyImport(target, parseExportText(JSON.stringify(file)));
    expect((await target.paperStore.get(P1))?.category).toBe('cs.CL');
    const out = JSON.parse(serializeExportFile(buildExportFile(await readState(target), { filter: { kind: 'all' }, device: 'z', exportedAt: 1 })));
    expect(out.version).toBe(3);
    expect(out.papers.find((p: { id: string }) => p.id === P1).category).toBe('cs.CL');
    expect(() => parseExportText(JSON.stringify({ ...file, version: 4 }))).toThrow(/newer version of Margins \(export format 4\).*reads formats up to 3/);
    await dropDb(target);
  });
});

describe('import of a large file (read as whole tables, not key by key)', () => {
  it('gives the pure merge', async () => {
    const id = (i: number) => `arxiv:2301.${String(i).padStart(5, '0')}`;
    const mk = (from: number, to: number, d: string, t: number) => {
      const c = { t, d };
      const annotations = [];
      const papers = [];
      for (let i = from; i < to; i++) {
        annotations.push({ id: id(i), star: { v: i % 2 === 0, c }, tags: { [`t${i % 7}`]: { v: true, c } }, note: { v: `${d} ${i}`, c }, createdAt: t });
        papers.push({ id: id(i), aliases: [], title: `Paper ${i} ${d}`, authors: [d], links: {}, site: 'arxiv', firstSeen: t, lastSeen: t });
      }
      return stateFromFile({ annotations, papers, aliases: [], tagMeta: [], noteHistory: [] });
    };
    const local = mk(0, 1_000, 'aaaa', 100);
    const incoming = mk(200, 1_400, 'bbbb', 200);
    const db = freshDb();
    const header = { filter: { kind: 'all' as const }, device: 'x', exportedAt: 1 };
    await applyImport(db, buildExportFile(local, header));
    const { summary } = await applyImport(db, buildExportFile(incoming, header));
    expect([summary.papersAdded, summary.papersUpdated, summary.notesKept]).toEqual([400, 800, 800]);
    expect(stateFingerprint(await readState(db))).toBe(stateFingerprint(mergeStates(local, incoming)));
    await dropDb(db);
  });
});

describe('files the library page validated already (the inbox\'s `validated` mark)', () => {
  const header = { filter: { kind: 'all' as const }, device: 'a1a1a1a1', exportedAt: 1_700_000_000_000 };

  it('reads a valid file exactly as full validation does', () => {
    fc.assert(
      fc.property(recordsArb, (records) => {
        const text = serializeExportFile(buildExportFile(stateFromFile(records), header));
        expect(parseValidatedText(text)).toEqual(parseExportText(text));
      }),
      { numRuns: RUNS },
    );
  });

  it('still refuses what is not the current format, or repeats a record; an older version is validated and upgraded', () => {
    const file = buildExportFile(stateFromFile({ papers: [], annotations: [{ id: P1, tags: {}, createdAt: 1 }], aliases: [], tagMeta: [], noteHistory: [] }), header);
    expect(() => parseValidatedText(JSON.stringify({ ...file, version: 99 }))).toThrow(/newer version of Margins/);
    expect(() => parseValidatedText(JSON.stringify({ ...file, format: 'other' }))).toThrow(/not a Margins export file/);
    expect(() => parseValidatedText(JSON.stringify(file).slice(0, 40))).toThrow(/not valid JSON/);
    expect(() => parseValidatedText(JSON.stringify({ ...file, annotations: [...file.annotations, ...file.annotations] }))).toThrow(/appears twice/);
    // A version 2 file (no `category`) goes through the validator and its upgrade.
    expect(parseValidatedText(JSON.stringify({ ...file, version: 2 }))).toEqual(parseExportText(JSON.stringify({ ...file, version: 2 })));
    expect(() => parseValidatedText(JSON.stringify({ ...file, version: 2, annotations: [{ id: P1, tags: {}, createdAt: 'x' }] }))).toThrow(/damaged/);
  });

  it('marks only what the page validated: a file object it read; never a picked file or text', async () => {
    const db = freshDb();
    try {
      const file = fileFromB(Date.now());
      expect((await db.inbox.get(await stageImport(db, file)))?.validated).toBe(true);
      expect((await db.inbox.get(await stageImport(db, JSON.stringify(file))))?.validated).toBeUndefined();
      expect((await db.inbox.get(await stageImport(db, new Blob([JSON.stringify(file)]))))?.validated).toBeUndefined();
      // Unmarked text with a bad record is refused with the validator's words.
      const bad = await stageImport(db, JSON.stringify({ ...file, annotations: [{ ...file.annotations[0], star: { v: 'yes', c: file.annotations[0].star?.c } }] }));
      await expect(stagedImportsOf(db).apply(bad)).rejects.toThrow(/damaged or was edited by hand/);
    } finally {
      await dropDb(db);
    }
  });
});
