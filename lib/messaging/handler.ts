/**
 * Receiving side of the protocol, run by the background: validate, write through the repository,
 * answer, and tell the tabs what changed. Kept free of `browser` so tests can drive it directly.
 */
import type { MarginsDB } from '@/lib/db/schema';
import * as repo from '@/lib/db/repository';
import { ImportError } from '@/lib/sync/format';
import { applyImport, stagedImportsOf } from '@/lib/sync/import';
import type { AnnotationView } from '@/lib/model';
import type { Settings } from '@/lib/settings';
import {
  type PrivilegedRequest,
  type PublicRequest,
  type Reply,
  privilegedRequestSchema,
  publicRequestSchema,
} from './protocol';

export interface SenderInfo {
  /** True when the sender is one of our own pages (popup, library), not a content script. */
  fromExtensionPage: boolean;
}

export interface HandlerDeps {
  db: MarginsDB;
  /** Tell every open tab of a supported site about changed annotations. */
  broadcast(states: AnnotationView[]): void;
  /** The reader's settings, defaults filled in (pages get them with their cards' states). Never rejects. */
  readSettings(): Promise<Settings>;
}

/** Largest message we even try to parse (a content script could send anything). */
const MAX_MESSAGE_CHARS = 12_000_000;

function describeIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const first = error.issues[0];
  const where = first?.path.length ? ` at ${first.path.map(String).join('.')}` : '';
  return `Rejected a malformed message${where}: ${first?.message ?? 'invalid'}`;
}

function roughSize(message: unknown): number {
  try {
    return JSON.stringify(message)?.length ?? 0;
  } catch {
    return Infinity;
  }
}

export async function handleMessage(deps: HandlerDeps, message: unknown, sender: SenderInfo): Promise<Reply<unknown>> {
  // Our own pages may send more (an import file of up to 64 MB); Chrome itself caps a message at 64 MiB.
  if (!sender.fromExtensionPage && roughSize(message) > MAX_MESSAGE_CHARS) {
    return { ok: false, error: 'Rejected a message that is too large.' };
  }
  const type = (message as { type?: unknown } | null)?.type;
  const publicParse = publicRequestSchema.safeParse(message);
  if (publicParse.success) return run(() => handlePublic(deps, publicParse.data));
  const privilegedParse = privilegedRequestSchema.safeParse(message);
  if (privilegedParse.success) {
    if (!sender.fromExtensionPage) return { ok: false, error: `"${String(type)}" is only allowed from Margins' own pages.` };
    return run(() => handlePrivileged(deps, privilegedParse.data));
  }
  const isPrivilegedType = privilegedRequestSchema.def.options.some((o) => o.shape.type.def.values.includes(type as never));
  return { ok: false, error: describeIssues((isPrivilegedType ? privilegedParse : publicParse).error!) };
}

async function run<T>(fn: () => Promise<T>): Promise<Reply<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (err) {
    // A rejected import file already says what is wrong with it, for the reader.
    if (err instanceof ImportError) return { ok: false, error: err.message };
    return { ok: false, error: repo.describeDbError(err) };
  }
}

async function handlePublic(deps: HandlerDeps, req: PublicRequest) {
  const { db } = deps;
  switch (req.type) {
    case 'cards.report': {
      const ids = req.cards.map((c) => c.id);
      const [states, seen, settings] = await Promise.all([
        repo.getViews(db, ids),
        req.listing ? repo.recordSeen(db, ids) : Promise.resolve({ firstSeen: {}, since: 0 }),
        deps.readSettings(),
      ]);
      // A card whose own id is unknown may still be a known paper under one of its aliases.
      for (const card of req.cards) {
        if (!card.aliases?.length || isSet(states[card.id])) continue;
        const byAlias = await repo.getViews(db, card.aliases);
        const hit = Object.values(byAlias).find(isSet);
        if (hit) states[card.id] = { ...hit, id: card.id };
      }
      // Only the papers with something on them: a 2,000-entry listing's answer used to carry 2,000 empty
      // views for the page to read and apply as it loads.
      const annotated: typeof states = {};
      for (const [id, view] of Object.entries(states)) if (isSet(view)) annotated[id] = view;
      return { states: annotated, firstSeen: seen.firstSeen, seenSince: seen.since, settings };
    }
    case 'tags.list':
      return { tags: await repo.listTags(db) };
    case 'annotations.edit': {
      const states = await repo.applyEdits(db, req.edits);
      // Tell tabs under every id a card may carry: the record id and the ids the edit named.
      const pushed = states.flatMap((s, i) => (req.edits[i].id === s.id ? [s] : [s, { ...s, id: req.edits[i].id }]));
      deps.broadcast(pushed);
      return { states };
    }
  }
}

function isSet(v: AnnotationView | undefined): v is AnnotationView {
  return !!v && (v.starred || v.tags.length > 0 || v.note !== '');
}

async function handlePrivileged(deps: HandlerDeps, req: PrivilegedRequest) {
  const { db } = deps;
  let result: unknown;
  // What each changed paper showed before (for undo), and shows now (pushed to the tabs).
  const before: AnnotationView[] = [];
  const after: AnnotationView[] = [];
  switch (req.type) {
    case 'tags.rename':
      result = { changed: await repo.renameTag(db, req.from, req.to, before, after), before };
      break;
    case 'tags.merge':
      result = { changed: await repo.mergeTags(db, req.from, req.into, before, after), before };
      break;
    case 'tags.delete':
      result = { changed: await repo.deleteTag(db, req.tag, before, after), before };
      break;
    case 'tags.setColor':
      await repo.setTagColor(db, req.tag, req.color);
      result = { ok: true };
      break;
    case 'papers.delete':
      result = { deleted: await repo.deletePapers(db, req.ids, before, after), before };
      break;
    case 'papers.bulkEdit': {
      const { ids, star, addTags, removeTags } = req;
      result = { changed: await repo.bulkEdit(db, ids, { star, addTags, removeTags }, before, after), before };
      break;
    }
    case 'annotations.restore':
      result = { changed: await repo.restoreViews(db, req.views, after) };
      break;
    case 'notes.versions':
      return { versions: await repo.noteVersions(db, req.id) };
    case 'notes.restore': {
      const state = await repo.restoreNote(db, req.id, req.text);
      deps.broadcast([state]);
      return { state };
    }
    case 'sync.import': {
      // Merges the file with the current database in one transaction (with the plan of its preview
      // when nothing was written since; see StagedImports).
      const { summary, changedViews } = req.staged !== undefined ? await stagedImportsOf(db).apply(req.staged) : await applyImport(db, req.file);
      if (changedViews.length) deps.broadcast(changedViews);
      return summary;
    }
    case 'sync.preview':
      return stagedImportsOf(db).preview(req.staged);
    case 'sync.keep':
      return { held: stagedImportsOf(db).keep(req.staged) };
    case 'sync.discard':
      await stagedImportsOf(db).discard(req.staged);
      return { ok: true };
  }
  if (after.length) deps.broadcast(after);
  return result;
}
