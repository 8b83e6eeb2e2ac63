/**
 * The one writer. Every change to the database goes through these functions, which the background
 * calls after validating a message. Each public function runs in one transaction: all or nothing.
 */
import Dexie from 'dexie';
import type { PacksSeen } from './packs';
import { tagCounts, withAnyTag } from './queries';
import type { MarginsDB } from './schema';
import {
  type Annotation,
  type AnnotationEdit,
  type AnnotationView,
  type Clock,
  type Paper,
  type PaperInput,
  deriveAnnotation,
  isBlank,
  normalizeTag,
  viewOf,
} from '@/lib/model';

const DEVICE_KEY = 'deviceId';
const CLOCK_KEY = 'clock';
const SEEN_SINCE_KEY = 'seenSince';

function randomDeviceId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** This database's device id, created on first use. */
export async function deviceId(db: MarginsDB): Promise<string> {
  return db.transaction('rw', db.meta, async () => {
    const found = await db.meta.get(DEVICE_KEY);
    if (typeof found?.value === 'string') return found.value;
    const id = randomDeviceId();
    await db.meta.put({ key: DEVICE_KEY, value: id });
    return id;
  });
}

/**
 * The next clock stamp: never behind the wall clock, always past every stamp seen before (the last
 * stamp is stored, so a stopped service worker or a skewed clock cannot make time go backwards).
 * Must be called inside a transaction that includes `db.meta`.
 */
export async function tick(db: MarginsDB, atLeast = 0): Promise<Clock> {
  const d = await deviceId(db);
  const last = (await db.meta.get(CLOCK_KEY))?.value;
  const t = Math.max(Date.now(), (typeof last === 'number' ? last : 0) + 1, atLeast + 1);
  await db.meta.put({ key: CLOCK_KEY, value: t });
  return { t, d };
}

/** Make sure later local stamps pass `t` (after an import brought newer clocks). Inside a meta tx. */
export async function observeClock(db: MarginsDB, t: number): Promise<void> {
  const last = (await db.meta.get(CLOCK_KEY))?.value;
  if (typeof last !== 'number' || last < t) await db.meta.put({ key: CLOCK_KEY, value: t });
}

function emptyAnnotation(id: string, now: number): Annotation {
  return deriveAnnotation({ id, tags: {}, createdAt: now });
}

/** Merge what a page says about a paper into the stored record (newer non-empty values win). */
function mergePaper(existing: Paper | undefined, input: PaperInput, now: number): Paper {
  if (!existing) {
    return { ...input, aliases: input.aliases ?? [], firstSeen: now, lastSeen: now };
  }
  return {
    ...existing,
    title: input.title || existing.title,
    authors: input.authors.length ? input.authors : existing.authors,
    links: { ...existing.links, ...input.links },
    version: input.version ?? existing.version,
    abstract: input.abstract || existing.abstract,
    // A page that shows a category is newer than the stored one; a page that shows none keeps it.
    category: input.category ?? existing.category,
    site: existing.site || input.site,
    aliases: [...new Set([...existing.aliases, ...(input.aliases ?? [])])],
    lastSeen: now,
  };
}

/**
 * Map each id (a card's canonical id or one of its aliases) to the record id it belongs to. A paper
 * seen first as `doi:10.18653/v1/...` and later as `acl:2021.naacl-main.208` is one record.
 */
export async function resolveIds(db: MarginsDB, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const found = await db.aliases.bulkGet(unique);
  const out = new Map<string, string>();
  unique.forEach((id, i) => out.set(id, found[i]?.id ?? id));
  return out;
}

/** Record ids that a card (id + aliases) belongs to: an alias already known wins over a fresh id. */
async function recordIdFor(db: MarginsDB, id: string, aliases: string[] = []): Promise<string> {
  const known = await db.aliases.bulkGet([id, ...aliases]);
  const hit = known.find((k) => k);
  if (hit) return hit.id;
  if (aliases.length) {
    const existing = await db.annotationStore.bulkGet(aliases);
    const a = existing.find((x) => x);
    if (a) return a.id;
  }
  return id;
}

async function storeAliases(db: MarginsDB, recordId: string, ids: string[]): Promise<void> {
  const rows = ids.filter((a) => a !== recordId).map((alias) => ({ alias, id: recordId }));
  if (rows.length) await db.aliases.bulkPut(rows);
}

/**
 * Apply the reader's edits (star, tags, note, paper metadata) in one transaction and return the new
 * views. Tags are normalised; an empty tag is ignored. Removing a tag keeps a tombstone.
 */
export async function applyEdits(db: MarginsDB, edits: AnnotationEdit[]): Promise<AnnotationView[]> {
  return db.transaction('rw', [...db.annotationStore.tables, ...db.paperStore.tables, db.meta, db.aliases], async () => {
    const clock = await tick(db);
    const now = clock.t;
    const views: AnnotationView[] = [];
    // Written together at the end (one read-modify-write per pack); a later edit of the same paper
    // in this batch starts from the earlier one's result.
    const annotations = new Map<string, Annotation>();
    const papers = new Map<string, Paper>();
    for (const edit of edits) {
      const id = await recordIdFor(db, edit.id, edit.paper?.aliases);
      const current = annotations.get(id) ?? (await db.annotationStore.get(id)) ?? emptyAnnotation(id, now);
      const tags = { ...current.tags };
      for (const raw of edit.addTags ?? []) {
        const tag = normalizeTag(raw);
        if (tag && !tags[tag]?.v) tags[tag] = { v: true, c: clock };
      }
      for (const raw of edit.removeTags ?? []) {
        const tag = normalizeTag(raw);
        if (tag && tags[tag]?.v) tags[tag] = { v: false, c: clock };
      }
      const star =
        edit.star !== undefined && edit.star !== (current.star?.v ?? false) ? { v: edit.star, c: clock } : current.star;
      const note =
        edit.note !== undefined && edit.note !== (current.note?.v ?? '') ? { v: edit.note, c: clock } : current.note;
      const next = deriveAnnotation({ ...current, tags, star, note });
      annotations.set(id, next);
      if (edit.paper) {
        const input = { ...edit.paper, id };
        papers.set(id, mergePaper(papers.get(id) ?? (await db.paperStore.get(id)), input, now));
        await storeAliases(db, id, [edit.paper.id, ...(edit.paper.aliases ?? [])]);
      }
      views.push(viewOf(next, id));
    }
    await db.annotationStore.bulkPut([...annotations.values()]);
    await db.paperStore.bulkPut([...papers.values()]);
    return views;
  });
}

/** Current views for the given ids (resolving aliases), keyed by the ids asked for. */
export async function getViews(db: MarginsDB, ids: string[]): Promise<Record<string, AnnotationView>> {
  return db.transaction('r', [...db.annotationStore.tables, db.aliases], async () => {
    const resolved = await resolveIds(db, ids);
    const recordIds = [...new Set(resolved.values())];
    const found = await db.annotationStore.bulkGet(recordIds);
    const byId = new Map(recordIds.map((id, i) => [id, found[i]]));
    const out: Record<string, AnnotationView> = {};
    for (const [asked, rid] of resolved) out[asked] = { ...viewOf(byId.get(rid), rid), id: asked };
    return out;
  });
}

/**
 * Record that the reader was shown these papers on a listing. Returns each id's first-seen time and when
 * this database started recording (so that nothing counts as "new" on the very first visit).
 */
export async function recordSeen(db: MarginsDB, ids: string[]): Promise<{ firstSeen: Record<string, number>; since: number }> {
  return db.transaction('rw', [db.seen, db.meta], async () => {
    const unique = [...new Set(ids)];
    const found = await db.seen.bulkGet(unique);
    const now = Date.now();
    const stored = (await db.meta.get(SEEN_SINCE_KEY))?.value;
    const since = typeof stored === 'number' ? stored : now;
    if (since !== stored) await db.meta.put({ key: SEEN_SINCE_KEY, value: since });
    const fresh = unique.filter((_, i) => !found[i]).map((id) => ({ id, firstSeen: now }));
    if (fresh.length) await db.seen.bulkPut(fresh);
    const firstSeen: Record<string, number> = {};
    unique.forEach((id, i) => (firstSeen[id] = found[i]?.firstSeen ?? now));
    return { firstSeen, since };
  });
}

/** Whether a failed write failed because the disk (or the browser's quota) is full. */
export function isQuotaError(err: unknown): boolean {
  // Dexie wraps the browser's error (AbortError -> inner QuotaExceededError): look through the chain.
  const chain: unknown[] = [];
  for (let e: unknown = err; e && chain.length < 5; e = (e as { inner?: unknown }).inner) chain.push(e);
  return chain.some((e) => e instanceof Dexie.QuotaExceededError || (e as { name?: string }).name === 'QuotaExceededError');
}

/** Turn the database's errors into a sentence for the reader. */
export function describeDbError(err: unknown): string {
  if (isQuotaError(err)) {
    return 'Your browser is out of storage space for Margins; nothing was saved. Free some disk space and try again.';
  }
  if (err instanceof Dexie.DexieError) return `Could not save: ${err.message}`;
  return err instanceof Error ? `Could not save: ${err.message}` : 'Could not save.';
}

/** Write changed annotations; `after` (when given) receives what each now shows. */
async function putAnnotations(db: MarginsDB, rows: Annotation[], after?: AnnotationView[], seen?: PacksSeen<Annotation>): Promise<void> {
  await db.annotationStore.bulkPut(rows, seen);
  if (after) for (const a of rows) after.push(viewOf(a, a.id));
}

/**
 * Change one tag on every paper that has it, in one transaction. Renaming and merging are a removal
 * (tombstone) of the old tag plus an addition of the new one, so that other devices learn both.
 */
async function retag(db: MarginsDB, from: string[], into: string | null, before?: AnnotationView[], after?: AnnotationView[]): Promise<number> {
  const sources = [...new Set(from.map(normalizeTag).filter(Boolean))];
  const target = into === null ? null : normalizeTag(into);
  if (!sources.length || target === '') return 0;
  return db.transaction('rw', [...db.annotationStore.tables, db.meta, db.tagMeta], async () => {
    const clock = await tick(db);
    const seen: PacksSeen<Annotation> = new Map();
    const affected = await withAnyTag(db, sources, seen);
    // What each paper showed before, so the library can undo the change.
    if (before) for (const a of affected) before.push(viewOf(a, a.id));
    const updated = affected.map((a) => {
      const tags = { ...a.tags };
      for (const s of sources) if (s !== target && tags[s]?.v) tags[s] = { v: false, c: clock };
      if (target && !tags[target]?.v) tags[target] = { v: true, c: clock };
      return deriveAnnotation({ ...a, tags });
    });
    await putAnnotations(db, updated, after, seen);
    // The colour follows a renamed tag when the target has none.
    if (target) {
      const metas = await db.tagMeta.bulkGet([target, ...sources]);
      const color = metas[0]?.color ?? metas.slice(1).find((m) => m?.color)?.color;
      if (color && !metas[0]?.color) await db.tagMeta.put({ name: target, color, c: clock });
    }
    return updated.length;
  });
}

/**
 * `before`, when given, receives the view of every affected paper as it was (for undo); `after`, the
 * view each shows now (for the tabs).
 */
export function renameTag(db: MarginsDB, from: string, to: string, before?: AnnotationView[], after?: AnnotationView[]): Promise<number> {
  return retag(db, [from], to, before, after);
}

export function mergeTags(db: MarginsDB, from: string[], into: string, before?: AnnotationView[], after?: AnnotationView[]): Promise<number> {
  return retag(db, from, into, before, after);
}

export function deleteTag(db: MarginsDB, tag: string, before?: AnnotationView[], after?: AnnotationView[]): Promise<number> {
  return retag(db, [tag], null, before, after);
}

export async function setTagColor(db: MarginsDB, tag: string, color: string | null): Promise<void> {
  const name = normalizeTag(tag);
  if (!name) return;
  await db.transaction('rw', [db.tagMeta, db.meta], async () => {
    const c = await tick(db);
    await db.tagMeta.put(color ? { name, color, c } : { name, c });
  });
}

/**
 * "Delete" papers from the library: every field is cleared with a fresh clock (a tombstone), so the
 * deletion travels to other devices instead of the paper coming back with the next import.
 */
export async function deletePapers(db: MarginsDB, ids: string[], before?: AnnotationView[], after?: AnnotationView[]): Promise<number> {
  return db.transaction('rw', [...db.annotationStore.tables, db.meta], async () => {
    const clock = await tick(db);
    const found = (await db.annotationStore.bulkGet([...new Set(ids)])).filter((a): a is Annotation => !!a);
    if (before) for (const a of found) if (!isBlank(a)) before.push(viewOf(a, a.id));
    const cleared = found.map((a) => {
      const tags = Object.fromEntries(
        Object.entries(a.tags).map(([k, t]) => [k, t.v ? { v: false, c: clock } : t]),
      );
      return deriveAnnotation({
        ...a,
        tags,
        star: a.star?.v ? { v: false, c: clock } : a.star,
        note: a.note?.v ? { v: '', c: clock } : a.note,
      });
    });
    await putAnnotations(db, cleared, after);
    return cleared.length;
  });
}

/** Every tag in use with its count and colour, most used first (ties: alphabetical). */
export async function listTags(db: MarginsDB): Promise<{ name: string; count: number; color?: string }[]> {
  return db.transaction('r', [...db.annotationStore.tables, db.tagMeta], async () => {
    const counts = await tagCounts(db);
    const names = [...counts.keys()];
    const metas = await db.tagMeta.bulkGet(names);
    return names
      .map((name, i) => ({ name, count: counts.get(name)!, ...(metas[i]?.color ? { color: metas[i]!.color } : {}) }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  });
}

/** One change applied to many papers at once (the library's bulk actions). */
export interface BulkChange {
  star?: boolean;
  addTags?: string[];
  removeTags?: string[];
}

/**
 * Apply one change to many papers in one transaction, with one clock. Only papers that exist and
 * actually change are written; `before` receives their previous views, so the change can be undone.
 */
export async function bulkEdit(db: MarginsDB, ids: string[], change: BulkChange, before?: AnnotationView[], after?: AnnotationView[]): Promise<number> {
  const add = [...new Set((change.addTags ?? []).map(normalizeTag).filter(Boolean))];
  const remove = [...new Set((change.removeTags ?? []).map(normalizeTag).filter(Boolean))];
  return db.transaction('rw', [...db.annotationStore.tables, db.meta], async () => {
    const clock = await tick(db);
    const found = (await db.annotationStore.bulkGet([...new Set(ids)])).filter((a): a is Annotation => !!a);
    const updated: Annotation[] = [];
    for (const a of found) {
      let changed = false;
      const tags = { ...a.tags };
      for (const t of add) {
        if (!tags[t]?.v) {
          tags[t] = { v: true, c: clock };
          changed = true;
        }
      }
      for (const t of remove) {
        if (tags[t]?.v) {
          tags[t] = { v: false, c: clock };
          changed = true;
        }
      }
      let star = a.star;
      if (change.star !== undefined && change.star !== (a.star?.v ?? false)) {
        star = { v: change.star, c: clock };
        changed = true;
      }
      if (!changed) continue;
      before?.push(viewOf(a, a.id));
      updated.push(deriveAnnotation({ ...a, tags, star }));
    }
    await putAnnotations(db, updated, after);
    return updated.length;
  });
}

/**
 * Put papers back to the views they had (undo in the library). Each field that differs is set with a
 * fresh clock, so the undo is an ordinary change that syncs like any other; a tag that must go away
 * is removed with a tombstone. Returns how many papers changed.
 */
export async function restoreViews(db: MarginsDB, views: AnnotationView[], after?: AnnotationView[]): Promise<number> {
  return db.transaction('rw', [...db.annotationStore.tables, db.meta], async () => {
    const clock = await tick(db);
    const found = await db.annotationStore.bulkGet(views.map((v) => v.id));
    const updated: Annotation[] = [];
    views.forEach((view, i) => {
      const a = found[i] ?? emptyAnnotation(view.id, clock.t);
      const wanted = new Set(view.tags.map(normalizeTag).filter(Boolean));
      const tags = { ...a.tags };
      for (const t of wanted) if (!tags[t]?.v) tags[t] = { v: true, c: clock };
      for (const t of Object.keys(tags)) if (tags[t].v && !wanted.has(t)) tags[t] = { v: false, c: clock };
      const star = view.starred !== (a.star?.v ?? false) ? { v: view.starred, c: clock } : a.star;
      const note = view.note !== (a.note?.v ?? '') ? { v: view.note, c: clock } : a.note;
      const changed = star !== a.star || note !== a.note || Object.keys(tags).some((t) => tags[t] !== a.tags[t]);
      if (changed) updated.push(deriveAnnotation({ ...a, tags, star, note }));
    });
    await putAnnotations(db, updated, after);
    return updated.length;
  });
}

/** An earlier text of a note, as the note history keeps it (newest first in `noteVersions`). */
export interface NoteVersion {
  text: string;
  /** When the text was written, and on which device (its clock). */
  writtenAt: number;
  device: string;
  /** 'import': it lost a merge with another device's note; 'local': a restore replaced it here. */
  reason: 'import' | 'local';
  /** When this device kept it. */
  keptAt: number;
}

/** The earlier texts of a paper's note, newest first; each text once, and not the note as it is now. */
export async function noteVersions(db: MarginsDB, id: string): Promise<NoteVersion[]> {
  return db.transaction('r', [...db.annotationStore.tables, db.aliases, ...db.history.tables], async () => {
    const recordId = (await resolveIds(db, [id])).get(id)!;
    const [current, entries] = await Promise.all([db.annotationStore.get(recordId), db.history.forIds([recordId])]);
    const now = current?.note?.v ?? '';
    const byText = new Map<string, NoteVersion>();
    for (const e of entries) {
      if (e.text === now || e.text === '') continue;
      const had = byText.get(e.text);
      if (!had || had.writtenAt < e.c.t) byText.set(e.text, { text: e.text, writtenAt: e.c.t, device: e.c.d, reason: e.reason, keptAt: e.savedAt });
    }
    return [...byText.values()].sort((a, b) => b.writtenAt - a.writtenAt || a.text.localeCompare(b.text));
  });
}

/**
 * Make an earlier text the note again. The text it replaces is kept in the note history first (so a
 * restore loses nothing either, and the replaced text travels to other devices with the history);
 * the restored text gets a new clock, like any edit. One transaction. Refused when `text` is not in
 * the paper's history (the history is where restores come from).
 */
export async function restoreNote(db: MarginsDB, id: string, text: string): Promise<AnnotationView> {
  return db.transaction('rw', [...db.annotationStore.tables, db.meta, db.aliases, ...db.history.tables], async () => {
    const recordId = (await resolveIds(db, [id])).get(id)!;
    const entries = await db.history.forIds([recordId]);
    if (!entries.some((e) => e.text === text)) throw new Error('That earlier note is not in this paper\'s history any more; nothing was changed.');
    const stored = await db.annotationStore.get(recordId);
    if (stored?.note?.v === text) return viewOf(stored, id);
    const clock = await tick(db);
    const current = stored ?? emptyAnnotation(recordId, clock.t);
    const replaced = current.note;
    if (replaced && replaced.v !== '' && !entries.some((e) => e.text === replaced.v && e.c.t === replaced.c.t && e.c.d === replaced.c.d)) {
      await db.history.add([{ id: recordId, text: replaced.v, c: replaced.c, reason: 'local', savedAt: clock.t }]);
    }
    const next = deriveAnnotation({ ...current, note: { v: text, c: clock } });
    await db.annotationStore.put(next);
    return viewOf(next, id);
  });
}
