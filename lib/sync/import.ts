/**
 * Import: validate the whole file (format.ts), plan the merge against what this database holds
 * (the preview), then apply the plan in ONE transaction (all or nothing).
 *
 * The background is the only writer, and makes the preview too: the library page puts the picked
 * file in the inbox, the background validates it once and holds the plan (`StagedImports`), and the
 * confirm only writes it, if nothing was written since; else it plans again against the database as
 * it is then, so an edit made between preview and confirm is merged, not overwritten.
 */
import Dexie from 'dexie';
import type { MarginsDB } from '@/lib/db/schema';
import { readByKeys } from '@/lib/db/read';
import type { PacksSeen } from '@/lib/db/packs';
import { tagCounts } from '@/lib/db/queries';
import { describeDbError, isQuotaError, observeClock } from '@/lib/db/repository';
import { type Annotation, type AnnotationView, type Paper, deriveAnnotation, viewOf } from '@/lib/model';
import { type ExportFile, type FileHistoryEntry, type FilePaper, ImportError, parseExportData, parseExportText, parseValidatedText } from './format';
import {
  type SyncState,
  canonicalAnnotation,
  canonicalHistory,
  canonicalPaper,
  canonicalTagMeta,
  emptyState,
  historyKey,
  latestClock,
  mergeAliasTarget,
  mergeAnnotation,
  mergeHistoryEntry,
  mergePaper,
  mergeTagMeta,
  sameAnnotation,
  samePaper,
  sameStamp,
  sameTagMeta,
  stateFromFile,
} from './merge';

/** How many conflicts the preview lists one by one (the counts are always complete). */
export const CONFLICTS_LISTED = 100;

export type ConflictField = 'star' | 'note' | `tag:${string}`;

/** Two devices set one field to different values: which value the merge keeps. */
export interface Conflict {
  id: string;
  title: string;
  field: ConflictField;
  local: string;
  incoming: string;
  winner: 'file' | 'local';
}

/** What an import does (the preview) or did (the result). Counts are over the whole file. */
export interface ImportSummary {
  /** Papers (annotations) in the file. */
  papersInFile: number;
  /** Papers this database did not know. */
  papersAdded: number;
  /** Papers it knew whose star, tags, note or metadata change. */
  papersUpdated: number;
  /** Values the reader will see change: a star, a tag on a paper, a note. */
  fieldsChanged: number;
  starsChanged: number;
  tagsAdded: number;
  tagsRemoved: number;
  notesChanged: number;
  /** Papers whose title, authors, links... change (metadata only). */
  metadataUpdated: number;
  /** Fields set differently on the two devices (see `Conflict`). */
  conflicts: number;
  conflictsFileWins: number;
  conflictsLocalWins: number;
  /** The first CONFLICTS_LISTED conflicts. */
  conflictList: Conflict[];
  /** Tags the library does not have yet. */
  tagsCreated: string[];
  tagColorsChanged: number;
  /** Note texts that lose and are kept in the note history. */
  notesKept: number;
  aliasesAdded: number;
  /** The newest clock in the file, and whether it lies in this device's future (a wrong clock). */
  latestClock: number;
  futureClock: boolean;
  /** True when the import changes nothing. */
  unchanged: boolean;
}

/** The writes an import makes, computed from the local records and the file. */
export interface ImportPlan {
  summary: ImportSummary;
  papers: FilePaper[];
  annotations: Annotation[];
  aliases: { alias: string; id: string }[];
  tagMeta: ReturnType<typeof canonicalTagMeta>[];
  /** New history entries, and stored ones (by chunk and key) whose reason changes. */
  historyAdds: FileHistoryEntry[];
  historyReasonUpdates: { chunk: number; key: string; reason: FileHistoryEntry['reason'] }[];
  /** Views of the annotations that changed, for the tabs. */
  changedViews: AnnotationView[];
}

/**
 * The local records an import touches, plus the row numbers of their history entries. Papers: those
 * the file has metadata for, and those of annotations new to this library (a paper seen on a listing
 * but never annotated counts as updated, not added); `fillConflictTitles` finds the other titles.
 */
export interface LocalSlice {
  /**
   * Annotations and papers as stored (or canonical: planImport takes either). planImport compares them
   * as they are and copies to canonical form only those it merges: most of a usual sync is equal to the
   * file, and copying all 50,000 up front made a usual sync's plan 0.85–1.2 s instead of 0.6–0.72 s (in
   * Node).
   * A merged annotation keeps the fields its stored record has beyond the file's.
   */
  state: SyncState;
  /** The chunk each stored history entry of `state` is in (by history key). */
  historyChunks: Map<string, number>;
  /**
   * Tags in use in this library (to tell which tags the import creates): at least those the file
   * sets on some paper, the only ones planImport asks about.
   */
  tagsInUse: Set<string>;
}

/** One day of clock skew is tolerated before the preview warns about a device clock in the future. */
const FUTURE_SLACK_MS = 24 * 60 * 60 * 1000;

function describeField(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v ?? '');
}

/**
 * Plan an import: merge each record of the file with the local one and count what changes.
 * Pure (apart from `now`, used only to warn about future clocks).
 */
export function planImport(local: LocalSlice, incoming: SyncState, now = Date.now()): ImportPlan {
  const s: ImportSummary = {
    papersInFile: incoming.annotations.size,
    papersAdded: 0,
    papersUpdated: 0,
    fieldsChanged: 0,
    starsChanged: 0,
    tagsAdded: 0,
    tagsRemoved: 0,
    notesChanged: 0,
    metadataUpdated: 0,
    conflicts: 0,
    conflictsFileWins: 0,
    conflictsLocalWins: 0,
    conflictList: [],
    tagsCreated: [],
    tagColorsChanged: 0,
    notesKept: 0,
    aliasesAdded: 0,
    latestClock: latestClock(incoming),
    futureClock: false,
    unchanged: true,
  };
  s.futureClock = s.latestClock > now + FUTURE_SLACK_MS;
  const plan: ImportPlan = {
    summary: s,
    papers: [],
    annotations: [],
    aliases: [],
    tagMeta: [],
    historyAdds: [],
    historyReasonUpdates: [],
    changedViews: [],
  };
  const created = new Set<string>();
  const touched = new Set<string>();
  let annotationsChanged = 0;
  const historyAdded = new Map<string, FileHistoryEntry>();

  /** Keep a text in the note history (counted as kept when it is new here and `countAsKept`). */
  const keepHistory = (h: FileHistoryEntry, countAsKept: boolean): void => {
    const key = historyKey(h);
    const existing = local.state.noteHistory.get(key);
    if (existing) {
      const merged = mergeHistoryEntry(existing, h);
      const chunk = local.historyChunks.get(key);
      if (merged.reason !== existing.reason && chunk !== undefined) {
        plan.historyReasonUpdates.push({ chunk, key, reason: merged.reason });
        local.state.noteHistory.set(key, merged);
      }
      return;
    }
    const pending = historyAdded.get(key);
    historyAdded.set(key, pending ? mergeHistoryEntry(pending, h) : h);
    if (!pending && countAsKept) s.notesKept++;
  };

  const titleOf = (id: string) => incoming.papers.get(id)?.title || local.state.papers.get(id)?.title || id;

  const conflict = (c: Omit<Conflict, 'title'>) => {
    s.conflicts++;
    if (c.winner === 'file') s.conflictsFileWins++;
    else s.conflictsLocalWins++;
    if (s.conflictList.length < CONFLICTS_LISTED) s.conflictList.push({ ...c, title: titleOf(c.id) });
  };

  for (const [id, inc] of incoming.annotations) {
    const asStored = local.state.annotations.get(id);
    // The same record on both sides (most of a usual sync): the merge is the record, nothing changes.
    if (asStored && sameAnnotation(asStored, inc)) continue;
    const mine = asStored && canonicalAnnotation(asStored);
    const { merged, lostNotes } = mergeAnnotation(mine, inc);
    for (const h of lostNotes) keepHistory(h, true);
    if (!mine) touched.add(id);
    // What the reader sees change, field by field.
    let visible = !mine;
    if (!!mine?.star?.v !== !!merged.star?.v) {
      s.starsChanged++;
      visible = true;
    }
    if ((mine?.note?.v ?? '') !== (merged.note?.v ?? '')) {
      s.notesChanged++;
      visible = true;
    }
    for (const tag in merged.tags) {
      const now = merged.tags[tag].v;
      const had = mine ? !!(Object.hasOwn(mine.tags, tag) && mine.tags[tag].v) : false;
      if (now && !had) {
        s.tagsAdded++;
        visible = true;
        if (!local.tagsInUse.has(tag)) created.add(tag);
      } else if (!now && had) {
        s.tagsRemoved++;
        visible = true;
      }
    }
    // Conflicts: both devices set the field, to different values, on different devices.
    if (mine) {
      if (mine.star && inc.star && mine.star.v !== inc.star.v && mine.star.c.d !== inc.star.c.d) {
        conflict({ id, field: 'star', local: describeField(mine.star.v), incoming: describeField(inc.star.v), winner: merged.star === inc.star ? 'file' : 'local' });
      }
      if (mine.note && inc.note && mine.note.v !== inc.note.v && mine.note.c.d !== inc.note.c.d) {
        conflict({ id, field: 'note', local: mine.note.v, incoming: inc.note.v, winner: merged.note === inc.note ? 'file' : 'local' });
      }
      for (const tag in inc.tags) {
        const it = inc.tags[tag];
        const lt = Object.hasOwn(mine.tags, tag) ? mine.tags[tag] : undefined;
        if (lt && lt.v !== it.v && lt.c.d !== it.c.d) {
          conflict({ id, field: `tag:${tag}`, local: lt.v ? 'tagged' : 'removed', incoming: it.v ? 'tagged' : 'removed', winner: merged.tags[tag] === it ? 'file' : 'local' });
        }
      }
    }
    if (!mine || !sameAnnotation(mine, merged)) {
      annotationsChanged++;
      if (visible && mine) touched.add(id);
      const next = deriveAnnotation(merged);
      // Keep any field another part of Margins stores on the record that the file does not carry.
      plan.annotations.push(asStored ? { ...asStored, ...next } : next);
      if (visible) plan.changedViews.push(viewOf(next, id));
    }
  }

  for (const [id, p] of incoming.papers) {
    const asStored = local.state.papers.get(id);
    if (asStored && samePaper(asStored, p)) continue;
    const mine = asStored && canonicalPaper(asStored);
    const merged = mergePaper(mine, p);
    if (!mine || !samePaper(mine, merged)) {
      plan.papers.push(merged);
      if (mine) s.metadataUpdated++;
      touched.add(id);
    }
  }

  for (const [alias, id] of incoming.aliases) {
    const mine = local.state.aliases.get(alias);
    const merged = mergeAliasTarget(mine, id);
    if (merged !== mine) {
      plan.aliases.push({ alias, id: merged });
      if (mine === undefined) s.aliasesAdded++;
    }
  }

  for (const [name, m] of incoming.tagMeta) {
    const mine = local.state.tagMeta.get(name);
    const merged = mergeTagMeta(mine, m);
    if (!mine || !sameTagMeta(mine, merged)) {
      plan.tagMeta.push(merged);
      if ((merged.color ?? '') !== (mine?.color ?? '')) s.tagColorsChanged++;
    }
  }

  for (const h of incoming.noteHistory.values()) keepHistory(h, false);
  plan.historyAdds = [...historyAdded.values()];

  // A paper counts once, as added (this library knew nothing of it) or updated, whatever changed.
  for (const id of touched) {
    if (local.state.annotations.has(id) || local.state.papers.has(id)) s.papersUpdated++;
    else s.papersAdded++;
  }
  s.tagsCreated = [...created].sort();
  s.fieldsChanged = s.starsChanged + s.tagsAdded + s.tagsRemoved + s.notesChanged;
  s.unchanged =
    !annotationsChanged &&
    !plan.papers.length &&
    !plan.aliases.length &&
    !plan.tagMeta.length &&
    !plan.historyAdds.length &&
    !plan.historyReasonUpdates.length;
  return plan;
}

// ---------------------------------------------------------------------------------------------------
// Reading the local side

/** Packs read for a plan, to be written back without reading them again (see PackedTable.bulkPut). */
interface SeenPacks {
  annotations: PacksSeen<Annotation>;
  papers: PacksSeen<Paper>;
}

/** The tables an import reads (and, but for the inbox, writes). */
function importTables(db: MarginsDB) {
  return [...db.annotationStore.tables, ...db.paperStore.tables, db.aliases, db.tagMeta, ...db.history.tables, db.meta, db.inbox];
}

/**
 * Read the local records that an incoming state touches. Run inside a transaction for a snapshot.
 * `seen`: collects the packs read, so the import writes them back without reading them again.
 */
export async function readLocalSlice(db: MarginsDB, incoming: SyncState, seen?: SeenPacks): Promise<LocalSlice> {
  const state = emptyState();
  const annIds = [...incoming.annotations.keys()];
  // Also the annotations of papers the file has metadata for but no annotation: a paper this library
  // annotated is updated, not added, by the import.
  const readIds = annIds.concat([...incoming.papers.keys()].filter((id) => !incoming.annotations.has(id)));
  const anns = await db.annotationStore.bulkGet(readIds, seen?.annotations);
  anns.forEach((a) => {
    if (!a) return;
    state.annotations.set(a.id, a);
  });
  // Papers the file has metadata for (to merge), and those of annotations new here (to count them).
  const paperIds = [...incoming.papers.keys()];
  for (const id of annIds) if (!state.annotations.has(id) && !incoming.papers.has(id)) paperIds.push(id);
  const papers = await db.paperStore.bulkGet(paperIds, seen?.papers);
  papers.forEach((p) => p && state.papers.set(p.id, p));
  const aliasKeys = [...incoming.aliases.keys()];
  const aliases = await readByKeys(db.aliases, aliasKeys, (a) => a.alias);
  aliases.forEach((a) => a && state.aliases.set(a.alias, a.id));
  const metas = await db.tagMeta.bulkGet([...incoming.tagMeta.keys()]);
  metas.forEach((m) => m && state.tagMeta.set(m.name, canonicalTagMeta(m)));

  // History: only entries the import may add again can collide with it: the texts of notes that may
  // lose (both sides have one, set differently) and the file's own history. Not every paper's: a long-kept
  // history is the largest table a preview would read (at 50,000 papers, 20,000 entries took a second).
  const ids = new Set<string>();
  for (const [id, inc] of incoming.annotations) {
    const mine = state.annotations.get(id);
    if (inc.note && mine?.note && !sameStamp(mine.note, inc.note)) ids.add(id);
  }
  for (const h of incoming.noteHistory.values()) ids.add(h.id);
  const historyChunks = new Map<string, number>();
  for (const row of await db.history.forIds(ids)) {
    const entry = canonicalHistory(row);
    const key = historyKey(entry);
    const existing = state.noteHistory.get(key);
    state.noteHistory.set(key, existing ? mergeHistoryEntry(existing, entry) : entry);
    if (!historyChunks.has(key)) historyChunks.set(key, row.chunk);
  }
  return { state, historyChunks, tagsInUse: await tagsInUse(db, incoming) };
}

/** Which of the tags the file sets are in use here (the packs' summaries know every tag in use). */
async function tagsInUse(db: MarginsDB, incoming: SyncState): Promise<Set<string>> {
  const asked = new Set<string>();
  for (const a of incoming.annotations.values()) for (const [tag, s] of Object.entries(a.tags)) if (s.v) asked.add(tag);
  const inUse = new Set<string>();
  for (const tag of (await tagCounts(db)).keys()) if (asked.has(tag)) inUse.add(tag);
  return inUse;
}

/**
 * The titles of listed conflicts on papers whose record the slice did not read (the file has no
 * metadata for them): what `planImport` would have shown had it read every paper the file names.
 */
async function fillConflictTitles(db: MarginsDB, plan: ImportPlan, incoming: SyncState, local: LocalSlice): Promise<void> {
  const unread = plan.summary.conflictList.filter((c) => !incoming.papers.get(c.id)?.title && !local.state.papers.has(c.id));
  if (!unread.length) return;
  const papers = await db.paperStore.bulkGet([...new Set(unread.map((c) => c.id))]);
  const titles = new Map(papers.flatMap((p) => (p ? [[p.id, p.title] as const] : [])));
  for (const c of unread) c.title = titles.get(c.id) || c.id;
}

/** Read what the file touches and plan the merge. Inside a transaction (read for a preview, write for an import). */
async function readAndPlan(db: MarginsDB, incoming: SyncState, now: number, seen: SeenPacks): Promise<ImportPlan> {
  const local = await readLocalSlice(db, incoming, seen);
  performance.mark('margins:import-read');
  const plan = planImport(local, incoming, now);
  await fillConflictTitles(db, plan, incoming, local);
  performance.mark('margins:import-planned');
  return plan;
}

/** Plan an import against the database as it is now, reading only (a preview). `seen` collects the packs read. */
function planNow(db: MarginsDB, incoming: SyncState, now: number, seen: SeenPacks): Promise<ImportPlan> {
  return db.transaction('r', importTables(db), () => readAndPlan(db, incoming, now, seen));
}

/** What importing `file` into `db` would do now: the summary of the preview the background makes. */
export async function previewImport(db: MarginsDB, file: ExportFile, now = Date.now()): Promise<ImportSummary> {
  return (await planNow(db, stateFromFile(file), now, { annotations: new Map(), papers: new Map() })).summary;
}

// ---------------------------------------------------------------------------------------------------
// Writing

export interface ImportResult {
  summary: ImportSummary;
  changedViews: AnnotationView[];
}

/** Write a plan. Inside the import's transaction; `seen`: the packs its plan was made from. */
async function writePlan(db: MarginsDB, plan: ImportPlan, seen: SeenPacks, now: number): Promise<void> {
  // Packs, written in batches the library page can follow pack by pack (see packs.ts).
  await db.annotationStore.bulkPut(plan.annotations, seen.annotations);
  performance.mark('margins:import-annotations');
  await db.paperStore.bulkPut(plan.papers, seen.papers);
  performance.mark('margins:import-papers');
  if (plan.aliases.length) await db.aliases.bulkPut(plan.aliases);
  if (plan.tagMeta.length) await db.tagMeta.bulkPut(plan.tagMeta);
  await db.history.add(plan.historyAdds.map((h) => ({ ...h, savedAt: now })));
  await db.history.setReasons(plan.historyReasonUpdates, historyKey);
  // Hybrid logical clock: later local edits must win over everything imported.
  await observeClock(db, plan.summary.latestClock);
  performance.mark('margins:import-written');
}

/** A plan made earlier, and whether it still holds: nothing was written to the library since. */
interface EarlierPlan {
  plan: ImportPlan;
  seen: SeenPacks;
  stillHolds(): boolean;
}

/**
 * Merge a validated file into the database in ONE transaction (all or nothing): with the plan made
 * at the preview when nothing was written since, else planned again against the database as it is
 * now (so an edit made between preview and confirm is merged, not overwritten). `staged`: the inbox
 * entry the file came from, removed in the same transaction.
 */
async function mergeFile(db: MarginsDB, incoming: SyncState, now: number, staged?: string, earlier?: EarlierPlan): Promise<ImportResult> {
  const result = await db.transaction('rw', importTables(db), async () => {
    // Asked once a first request of this transaction has answered: the transaction has then started,
    // so every write made before it has committed (and been counted), and none can come until it ends.
    await db.meta.get('deviceId');
    const reuse = earlier?.stillHolds() ? earlier : undefined;
    const seen: SeenPacks = reuse?.seen ?? { annotations: new Map(), papers: new Map() };
    const plan = reuse?.plan ?? (await readAndPlan(db, incoming, now, seen));
    await writePlan(db, plan, seen, now);
    if (staged) await db.inbox.delete(staged);
    return { summary: plan.summary, changedViews: plan.changedViews };
  });
  performance.mark('margins:import-committed');
  return result;
}

/**
 * Apply an import: validate `data` (the parsed file, or its JSON text), merge it with the current
 * database and write the result, all in one transaction. Throws ImportError (nothing written) for a
 * bad file. `staged`: the inbox entry the file came from, removed in the same transaction.
 */
export async function applyImport(db: MarginsDB, data: unknown, now = Date.now(), staged?: string): Promise<ImportResult> {
  // Marks for the sync benchmark, which reads them from the background to say where the time goes.
  performance.mark('margins:import-start');
  const file = typeof data === 'string' ? parseExportText(data) : parseExportData(data);
  const incoming = stateFromFile(file);
  performance.mark('margins:import-validated');
  return mergeFile(db, incoming, now, staged);
}

// ---------------------------------------------------------------------------------------------------
// Staged files: the page hands the file over through the database, the background previews and applies

/**
 * Hand a file to the background through the database: the page puts the file in the inbox and sends
 * only its key. Why: Chromium's extension messaging costs about 100 ms a megabyte here (a 12.7 MB
 * string took 1.3 s to cross, measured in the built extension), while IndexedDB stores a picked file
 * as a Blob in ~50 ms for 16 MB without the page reading it, and the background reads it back in about
 * the time `File.text()` takes anyway. The background stays the only writer of the library: the inbox
 * holds nothing but files in transit.
 */
export async function stageImport(db: MarginsDB, file: ExportFile | string | Blob): Promise<string> {
  const key = crypto.randomUUID();
  const at = Date.now();
  try {
    if (file instanceof Blob) {
      if (await stageBlob(db, key, file, at)) return key;
      file = await file.text();
    }
    // An ExportFile value comes out of format.ts's validation (folder sync reads its file so): marked, so the
    // background does not validate it a second time. Text and Blobs are whatever the reader picked.
    if (typeof file === 'string') await db.inbox.put({ key, text: file, at });
    else await db.inbox.put({ key, text: JSON.stringify(file), validated: true, at });
  } catch (err) {
    // A full disk says so in the reader's words (nothing was imported: the library was not touched).
    throw new ImportError(describeDbError(err));
  }
  return key;
}

/**
 * Store the file itself; false where this browser cannot keep a Blob in IndexedDB (it refuses it, as
 * some private windows do, or keeps something else: checked by reading the entry back, a few ms). A
 * full disk is not a reason to try the text instead.
 */
async function stageBlob(db: MarginsDB, key: string, blob: Blob, at: number): Promise<boolean> {
  try {
    await db.inbox.put({ key, blob, at });
  } catch (err) {
    if (isQuotaError(err)) throw err;
    return false;
  }
  const back = await db.inbox.get(key);
  return back?.blob instanceof Blob && back.blob.size === blob.size;
}

/** Files older than this in the inbox were never imported (a page closed in between): removed at the next import. */
const INBOX_STALE_MS = 60 * 60 * 1000;

/** A preview is held this long after the page last asked for it (the page keeps asking while it shows it). */
const HOLD_MS = 10 * 60 * 1000;

/** What the file says about itself, for the preview (everything but its records). */
export type FileHeader = Omit<ExportFile, 'papers' | 'annotations' | 'aliases' | 'tagMeta' | 'noteHistory'>;

export interface StagedPreview {
  summary: ImportSummary;
  header: FileHeader;
}

interface HeldPreview {
  key: string;
  incoming: SyncState;
  plan: ImportPlan;
  seen: SeenPacks;
  /** `writes` when the plan was made. */
  writes: number;
  release: ReturnType<typeof setTimeout>;
}

/**
 * The background's side of an import from a page: validate the staged file once, plan once, and
 * keep the plan until the reader confirms, so the confirm only writes. The plan is used only if
 * nothing was written to the library since it was made (counted from Dexie's `storagemutated`,
 * which fires as each write transaction of this context commits, and for other contexts' writes
 * through Dexie's broadcast; only the background writes the library, pages write only the inbox);
 * otherwise the confirm plans again against the library as it is then. An MV3 worker stopped in
 * between loses the held plan: the confirm then validates and plans again from the inbox.
 */
export class StagedImports {
  private held: HeldPreview | null = null;
  /**
   * The preview being made, if any: a confirm of that file waits for it (then writes its plan) rather
   * than planning a second time beside it. The library page asks for a preview of the part it will send
   * as soon as it shows its own, and the reader may confirm before it is done.
   */
  private previewing: { key: string; done: Promise<unknown> } | null = null;
  private writes = 0;

  /** One per database, for the context's whole life (see stagedImportsOf): it listens to every write. */
  constructor(private readonly db: MarginsDB) {
    Dexie.on('storagemutated', this.onMutated);
  }

  private readonly onMutated = (parts: Record<string, unknown>) => {
    for (const part of Object.keys(parts)) {
      // Parts are "idb://<database>/<table>/<index>".
      const [database, table] = part.replace(/^idb:\/\//, '').split('/');
      if (database === this.db.name && table !== 'inbox') {
        this.writes++;
        return;
      }
    }
  };

  /** Validate the staged file and plan its import against the library as it is now. Writes nothing. */
  preview(key: string, now = Date.now()): Promise<StagedPreview> {
    const done = this.makePreview(key, now);
    const previewing = (this.previewing = { key, done });
    const settle = () => {
      if (this.previewing === previewing) this.previewing = null;
    };
    done.then(settle, settle);
    return done;
  }

  private async makePreview(key: string, now: number): Promise<StagedPreview> {
    performance.mark('margins:preview-asked');
    const staged = await this.stagedText(key);
    performance.mark('margins:preview-read');
    let file: ExportFile;
    try {
      file = parseStaged(staged);
    } catch (err) {
      await this.discard(key);
      throw err;
    }
    const incoming = stateFromFile(file);
    performance.mark('margins:preview-validated');
    this.drop();
    const writes = this.writes;
    const seen: SeenPacks = { annotations: new Map(), papers: new Map() };
    const plan = await planNow(this.db, incoming, now, seen);
    // Not held when the reader cancelled meanwhile (discard), or another preview started since.
    if (this.previewing?.key === key) this.held = { key, incoming, plan, seen, writes, release: setTimeout(() => this.drop(), HOLD_MS) };
    const { papers: _p, annotations: _a, aliases: _al, tagMeta: _t, noteHistory: _h, ...header } = file;
    return { summary: plan.summary, header };
  }

  /** Keep the preview of `key` (the page asks while the reader looks at it). True when it is held. */
  keep(key: string): boolean {
    if (this.held?.key !== key) return false;
    clearTimeout(this.held.release);
    this.held.release = setTimeout(() => this.drop(), HOLD_MS);
    return true;
  }

  /**
   * Import a staged file: with its held preview's plan when nothing was written since, else validated
   * and planned again. The file leaves the inbox in the import's own transaction, or when it is refused.
   */
  async apply(key: string, now = Date.now()): Promise<ImportResult> {
    performance.mark('margins:import-asked');
    // (A preview that fails leaves the file to be read again below, which says what is wrong.)
    if (this.previewing?.key === key) await this.previewing.done.catch(() => undefined);
    const held = this.held?.key === key ? this.held : null;
    try {
      if (held) {
        return await mergeFile(this.db, held.incoming, now, key, { plan: held.plan, seen: held.seen, stillHolds: () => this.writes === held.writes });
      }
      performance.mark('margins:import-start');
      const incoming = stateFromFile(parseStaged(await this.stagedText(key)));
      performance.mark('margins:import-validated');
      return await mergeFile(this.db, incoming, now, key);
    } finally {
      performance.mark('margins:import-done');
      if (held) this.drop();
      await this.removeFromInbox(key, now);
    }
  }

  /** Forget a staged file and its preview (the reader cancelled, or picked another file). */
  async discard(key: string): Promise<void> {
    if (this.held?.key === key) this.drop();
    if (this.previewing?.key === key) this.previewing = null;
    await this.removeFromInbox(key, Date.now());
  }

  private async stagedText(key: string): Promise<{ text: string; validated: boolean }> {
    const entry = await this.db.inbox.get(key);
    if (!entry) throw new ImportError('The file to import was not found (was it imported already?). Nothing was imported.');
    if (!entry.blob) return { text: entry.text ?? '', validated: entry.validated === true };
    try {
      return { text: await entry.blob.text(), validated: false };
    } catch (err) {
      await this.discard(key);
      throw new ImportError(`The file could not be read (${err instanceof Error ? err.message : String(err)}); pick it again. Nothing was imported.`);
    }
  }

  /** Remove `key` and any file left behind long ago; the inbox is empty otherwise. */
  private async removeFromInbox(key: string, now: number): Promise<void> {
    await this.db.inbox
      .filter((e) => e.key === key || e.at < now - INBOX_STALE_MS)
      .delete()
      .catch(() => undefined);
  }

  private drop(): void {
    if (!this.held) return;
    clearTimeout(this.held.release);
    this.held = null;
  }
}

/** A staged file's records: validated here unless the page that staged it validated them already. */
function parseStaged(staged: { text: string; validated: boolean }): ExportFile {
  return staged.validated ? parseValidatedText(staged.text) : parseExportText(staged.text);
}

const stagedImports = new WeakMap<MarginsDB, StagedImports>();

/** The staged imports of a database (one per database, for the background's whole life). */
export function stagedImportsOf(db: MarginsDB): StagedImports {
  let staged = stagedImports.get(db);
  if (!staged) stagedImports.set(db, (staged = new StagedImports(db)));
  return staged;
}
