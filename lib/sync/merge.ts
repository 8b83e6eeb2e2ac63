/**
 * The merge: pure functions from two states to one. No database, no clock, no randomness.
 *
 * Every field merges as the maximum of a total order, so the merge is commutative, associative and
 * idempotent (a join-semilattice), and devices that exchange files in any order end equal:
 *   - star, each tag, the note, a tag's colour: the value with the newest clock (compareClocks: time,
 *     then device id); equal clocks (only in damaged or hand-made files) fall back to the value;
 *   - a note that loses is not dropped: its text joins the note history, which is a set (union);
 *   - paper metadata has no clocks (it is what the sites showed, not what the reader wrote), so each
 *     field converges to its most complete value: the longer title and abstract, the longer author
 *     list, the higher arXiv version, every link, every alias, the arXiv category (the larger string
 *     when two differ, as links); first seen is the earliest sighting
 *     (with the site of that sighting), last seen the latest. "Newest title" would need a clock per
 *     field: picking by the record's last-seen time is not associative once empty values fall back.
 *   - an alias claimed by two papers goes to the smaller id.
 */
import { type Clock, type Stamped, compareClocks } from '@/lib/model';
import type {
  ExportFile,
  FileAlias,
  FileAnnotation,
  FileHistoryEntry,
  FilePaper,
  FileTagMeta,
} from './format';

/** The whole synced state, keyed for merging. Records are in canonical form (see `canonical*`). */
export interface SyncState {
  papers: Map<string, FilePaper>;
  annotations: Map<string, FileAnnotation>;
  /** alias -> record id */
  aliases: Map<string, string>;
  tagMeta: Map<string, FileTagMeta>;
  /** historyKey(entry) -> entry */
  noteHistory: Map<string, FileHistoryEntry>;
}

export function emptyState(): SyncState {
  return { papers: new Map(), annotations: new Map(), aliases: new Map(), tagMeta: new Map(), noteHistory: new Map() };
}

// ---------------------------------------------------------------------------------------------------
// Canonical forms: one representation per value (sorted keys and lists, no undefined properties), so
// that equal states serialise to equal JSON.

const LINK_KINDS = ['abs', 'pdf', 'html', 'hf', 'openreview', 'acl', 'doi', 'scholar', 'url'] as const;

export function canonicalPaper(p: FilePaper): FilePaper {
  const links: FilePaper['links'] = {};
  for (const k of LINK_KINDS) if (typeof p.links?.[k] === 'string') links[k] = p.links[k];
  // (Most papers have no alias: no Set, no sort. Exports and imports do this 50,000 times.)
  const aliases = p.aliases ?? [];
  const out: FilePaper = {
    id: p.id,
    aliases: aliases.length < 2 ? aliases.slice() : [...new Set(aliases)].sort(),
    title: p.title ?? '',
    authors: p.authors ? p.authors.slice() : [],
    links,
    site: p.site ?? '',
    firstSeen: p.firstSeen,
    lastSeen: p.lastSeen,
  };
  if (p.version !== undefined) out.version = p.version;
  if (p.abstract !== undefined) out.abstract = p.abstract;
  if (p.category !== undefined) out.category = p.category;
  return out;
}

/** The synced part of an annotation (derived fields dropped, tags in key order). */
export function canonicalAnnotation(a: Pick<FileAnnotation, 'id' | 'star' | 'tags' | 'note' | 'createdAt'>): FileAnnotation {
  const tags: FileAnnotation['tags'] = {};
  const names = Object.keys(a.tags);
  if (names.length > 1) names.sort();
  for (const k of names) tags[k] = stamp(a.tags[k]);
  // Written out rather than spread: the same key order (id, star, tags, note, createdAt) without
  // a temporary object per optional field.
  const { id, createdAt } = a;
  const star = a.star && stamp(a.star);
  const note = a.note && stamp(a.note);
  if (star) return note ? { id, star, tags, note, createdAt } : { id, star, tags, createdAt };
  return note ? { id, tags, note, createdAt } : { id, tags, createdAt };
}

/** Only v and c {t, d}: a stored record's stamps are copied so the state shares nothing with it. */
function stamp<T>(s: Stamped<T>): Stamped<T> {
  return { v: s.v, c: { t: s.c.t, d: s.c.d } };
}

export function canonicalTagMeta(m: FileTagMeta): FileTagMeta {
  return m.color ? { name: m.name, color: m.color, c: { t: m.c.t, d: m.c.d } } : { name: m.name, c: { t: m.c.t, d: m.c.d } };
}

export function canonicalHistory(h: FileHistoryEntry): FileHistoryEntry {
  return { id: h.id, text: h.text, c: { t: h.c.t, d: h.c.d }, reason: h.reason };
}

/** A history entry is identified by the paper, the text and the clock it had: the same lost text is kept once. */
export function historyKey(h: Pick<FileHistoryEntry, 'id' | 'text' | 'c'>): string {
  return `${h.id}\u0000${h.c.t}\u0000${h.c.d}\u0000${h.text}`;
}

/** The state a file holds. */
export function stateFromFile(file: Pick<ExportFile, 'papers' | 'annotations' | 'aliases' | 'tagMeta' | 'noteHistory'>): SyncState {
  const state = emptyState();
  for (const p of file.papers) state.papers.set(p.id, canonicalPaper(p));
  for (const a of file.annotations) state.annotations.set(a.id, canonicalAnnotation(a));
  for (const a of file.aliases) state.aliases.set(a.alias, a.id);
  for (const m of file.tagMeta) state.tagMeta.set(m.name, canonicalTagMeta(m));
  for (const h of file.noteHistory) {
    const entry = canonicalHistory(h);
    const key = historyKey(entry);
    const existing = state.noteHistory.get(key);
    state.noteHistory.set(key, existing ? mergeHistoryEntry(existing, entry) : entry);
  }
  return state;
}

/** The records of a state in a fixed order (what an export file lists, and what tests compare). */
export function stateToRecords(state: SyncState): Pick<ExportFile, 'papers' | 'annotations' | 'aliases' | 'tagMeta' | 'noteHistory'> {
  const byKey = <T>(m: Map<string, T>) => [...m.keys()].sort().map((k) => m.get(k)!);
  return {
    papers: byKey(state.papers),
    annotations: byKey(state.annotations),
    aliases: [...state.aliases.keys()].sort().map((alias): FileAlias => ({ alias, id: state.aliases.get(alias)! })),
    tagMeta: byKey(state.tagMeta),
    noteHistory: byKey(state.noteHistory),
  };
}

// ---------------------------------------------------------------------------------------------------
// Field merges

/** Strings and booleans in a fixed order, for the (damaged-file-only) case of two values under one clock. */
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a ? 1 : -1;
  return String(a) < String(b) ? -1 : 1;
}

/** Compare two stamped values: newer clock wins; under one clock, the larger value. */
export function compareStamped<T>(a: Stamped<T>, b: Stamped<T>): number {
  return compareClocks(a.c, b.c) || compareValues(a.v, b.v);
}

/** Last writer wins, for one clocked field. An absent field is older than any set one. */
export function lww<T>(a: Stamped<T> | undefined, b: Stamped<T> | undefined): Stamped<T> | undefined {
  if (!a) return b;
  if (!b) return a;
  return compareStamped(a, b) >= 0 ? a : b;
}

export function sameStamp<T>(a: Stamped<T> | undefined, b: Stamped<T> | undefined): boolean {
  if (!a || !b) return a === b;
  return a.v === b.v && a.c.t === b.c.t && a.c.d === b.c.d;
}

/** Equal synced content (canonical records). Cheaper than comparing JSON, which an import does 100,000 times. */
export function sameAnnotation(a: FileAnnotation, b: FileAnnotation): boolean {
  if (a.id !== b.id || a.createdAt !== b.createdAt || !sameStamp(a.star, b.star) || !sameStamp(a.note, b.note)) return false;
  let n = 0;
  for (const k in a.tags) {
    if (!Object.hasOwn(b.tags, k) || !sameStamp(a.tags[k], b.tags[k])) return false;
    n++;
  }
  return n === Object.keys(b.tags).length;
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function samePaper(a: FilePaper, b: FilePaper): boolean {
  if (
    a.id !== b.id ||
    a.title !== b.title ||
    a.site !== b.site ||
    a.firstSeen !== b.firstSeen ||
    a.lastSeen !== b.lastSeen ||
    a.version !== b.version ||
    a.abstract !== b.abstract ||
    a.category !== b.category ||
    !sameList(a.aliases, b.aliases) ||
    !sameList(a.authors, b.authors)
  ) {
    return false;
  }
  return LINK_KINDS.every((k) => a.links[k] === b.links[k]);
}

export function sameTagMeta(a: FileTagMeta, b: FileTagMeta): boolean {
  return a.name === b.name && (a.color ?? '') === (b.color ?? '') && a.c.t === b.c.t && a.c.d === b.c.d;
}

export interface AnnotationMerge {
  merged: FileAnnotation;
  /** Note texts that lost (as history entries): kept so no words are lost. */
  lostNotes: FileHistoryEntry[];
}

/** Merge two annotations of one paper, field by field. Either side may be absent. */
export function mergeAnnotation(a: FileAnnotation | undefined, b: FileAnnotation | undefined): AnnotationMerge {
  if (!a || !b) {
    const only = (a ?? b)!;
    return { merged: only, lostNotes: [] };
  }
  const tags: FileAnnotation['tags'] = {};
  const names = Object.keys(a.tags);
  for (const name of Object.keys(b.tags)) if (!Object.hasOwn(a.tags, name)) names.push(name);
  if (names.length > 1) names.sort();
  for (const name of names) {
    tags[name] = lww(own(a.tags, name), own(b.tags, name))!;
  }
  const star = lww(a.star, b.star);
  const note = lww(a.note, b.note);
  const lostNotes: FileHistoryEntry[] = [];
  for (const candidate of [a.note, b.note]) {
    if (candidate && candidate.v !== '' && !sameStamp(candidate, note)) {
      lostNotes.push({ id: a.id, text: candidate.v, c: { t: candidate.c.t, d: candidate.c.d }, reason: 'import' });
    }
  }
  const id = a.id;
  const createdAt = Math.min(a.createdAt, b.createdAt);
  // Key order as canonicalAnnotation's, without a temporary object per optional field.
  const merged: FileAnnotation = star
    ? note
      ? { id, star, tags, note, createdAt }
      : { id, star, tags, createdAt }
    : note
      ? { id, tags, note, createdAt }
      : { id, tags, createdAt };
  return { merged, lostNotes };
}

/** A record's own property only: a tag named "constructor" must not find Object's constructor. */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function longerText(a: string, b: string): string {
  if (a.length !== b.length) return a.length > b.length ? a : b;
  return a >= b ? a : b;
}

function longerOptional(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return longerText(a, b);
}

function longerList(a: string[], b: string[]): string[] {
  if (a.length !== b.length) return a.length > b.length ? a : b;
  return a.join('\u0000') >= b.join('\u0000') ? a : b;
}

function higherVersion(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const na = Number(a.slice(1));
  const nb = Number(b.slice(1));
  if (na !== nb) return na > nb ? a : b;
  return a >= b ? a : b;
}

/** Merge what two devices know about one paper (see the module comment for why each rule). */
export function mergePaper(a: FilePaper | undefined, b: FilePaper | undefined): FilePaper {
  if (!a || !b) return (a ?? b)!;
  const links: FilePaper['links'] = {};
  for (const k of LINK_KINDS) {
    const x = a.links[k];
    const y = b.links[k];
    const v = x === undefined ? y : y === undefined ? x : x >= y ? x : y;
    if (v !== undefined) links[k] = v;
  }
  const firstSide = a.firstSeen !== b.firstSeen ? (a.firstSeen < b.firstSeen ? a : b) : a.site <= b.site ? a : b;
  const out: FilePaper = {
    id: a.id,
    aliases: [...new Set([...a.aliases, ...b.aliases])].sort(),
    title: longerText(a.title, b.title),
    authors: longerList(a.authors, b.authors),
    links,
    site: firstSide.site,
    firstSeen: firstSide.firstSeen,
    lastSeen: Math.max(a.lastSeen, b.lastSeen),
  };
  const version = higherVersion(a.version, b.version);
  if (version !== undefined) out.version = version;
  const abstract = longerOptional(a.abstract, b.abstract);
  if (abstract !== undefined) out.abstract = abstract;
  // No clock says which category is newer (arXiv rarely reclassifies a paper): the larger string,
  // as for links, so that every device picks the same one.
  const category = a.category === undefined ? b.category : b.category === undefined || a.category >= b.category ? a.category : b.category;
  if (category !== undefined) out.category = category;
  return out;
}

/** A tag's colour: newest clock wins; a colour removed later stays removed. */
export function mergeTagMeta(a: FileTagMeta | undefined, b: FileTagMeta | undefined): FileTagMeta {
  if (!a || !b) return (a ?? b)!;
  const order = compareClocks(a.c, b.c) || compareValues(a.color ?? '', b.color ?? '');
  return order >= 0 ? a : b;
}

/** One lost text kept twice (say once from each device) is one entry; 'import' sorts before 'local'. */
export function mergeHistoryEntry(a: FileHistoryEntry, b: FileHistoryEntry): FileHistoryEntry {
  return a.reason <= b.reason ? a : b;
}

export function mergeAliasTarget(a: string | undefined, b: string | undefined): string {
  if (a === undefined) return b!;
  if (b === undefined) return a;
  return a <= b ? a : b;
}

// ---------------------------------------------------------------------------------------------------
// Whole states

/** Merge two whole states. Pure: neither input is changed. */
export function mergeStates(a: SyncState, b: SyncState): SyncState {
  const out: SyncState = {
    papers: new Map(a.papers),
    annotations: new Map(a.annotations),
    aliases: new Map(a.aliases),
    tagMeta: new Map(a.tagMeta),
    noteHistory: new Map(a.noteHistory),
  };
  for (const [id, p] of b.papers) out.papers.set(id, mergePaper(out.papers.get(id), p));
  for (const [alias, id] of b.aliases) out.aliases.set(alias, mergeAliasTarget(out.aliases.get(alias), id));
  for (const [name, m] of b.tagMeta) out.tagMeta.set(name, mergeTagMeta(out.tagMeta.get(name), m));
  for (const [key, h] of b.noteHistory) {
    const existing = out.noteHistory.get(key);
    out.noteHistory.set(key, existing ? mergeHistoryEntry(existing, h) : h);
  }
  for (const [id, ann] of b.annotations) {
    const { merged, lostNotes } = mergeAnnotation(out.annotations.get(id), ann);
    out.annotations.set(id, merged);
    for (const h of lostNotes) {
      const key = historyKey(h);
      const existing = out.noteHistory.get(key);
      out.noteHistory.set(key, existing ? mergeHistoryEntry(existing, h) : h);
    }
  }
  return out;
}

/** Largest clock time anywhere in a state: the import pushes the local clock past it. */
export function latestClock(state: SyncState): number {
  let max = 0;
  const see = (c: Clock | undefined) => {
    if (c && c.t > max) max = c.t;
  };
  for (const a of state.annotations.values()) {
    see(a.star?.c);
    see(a.note?.c);
    for (const t of Object.values(a.tags)) see(t.c);
  }
  for (const m of state.tagMeta.values()) see(m.c);
  return max;
}

/** Canonical JSON of a state: equal states give equal strings. */
export function stateFingerprint(state: SyncState): string {
  return JSON.stringify(stateToRecords(state));
}
