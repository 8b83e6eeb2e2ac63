/**
 * The data model shared by every part of Margins: what a paper is, what a reader's annotation is, and
 * the clocks that let two devices merge annotations field by field.
 */

/**
 * A hybrid logical clock stamp. `t` is milliseconds since the epoch, pushed forward so that it never
 * goes backwards on one device and always passes every stamp the device has seen (imports included);
 * `d` is the device id, which breaks ties deterministically.
 */
export interface Clock {
  t: number;
  d: string;
}

/** A value with the clock of its last change. */
export interface Stamped<T> {
  v: T;
  c: Clock;
}

/** Compare two clocks: newer time wins, then the larger device id. Total order. */
export function compareClocks(a: Clock, b: Clock): number {
  if (a.t !== b.t) return a.t < b.t ? -1 : 1;
  if (a.d === b.d) return 0;
  return a.d < b.d ? -1 : 1;
}

/** Links a site shows for a paper, by kind. Only http(s) URLs are kept. */
export interface PaperLinks {
  abs?: string;
  pdf?: string;
  html?: string;
  hf?: string;
  openreview?: string;
  acl?: string;
  doi?: string;
  scholar?: string;
  url?: string;
}

export type LinkKind = keyof PaperLinks;

/** What a page tells us about a paper (sent by content scripts, untrusted until validated). */
export interface PaperInput {
  id: string;
  aliases?: string[];
  title: string;
  authors: string[];
  links: PaperLinks;
  version?: string;
  abstract?: string;
  /**
   * The arXiv primary category the page shows, e.g. `astro-ph.CO`, `cs.CL`, `cond-mat.mes-hall`,
   * `hep-th` (a new-style arXiv id does not name it; BibTeX's primaryClass needs it).
   */
  category?: string;
  site: string;
}

/** A paper record in the database. */
export interface Paper extends PaperInput {
  aliases: string[];
  firstSeen: number;
  lastSeen: number;
}

/**
 * The reader's annotation on one paper. Each field carries its own clock; a removed tag stays as
 * `{ v: false }` (a tombstone) so that the removal travels to other devices. An absent star or note is
 * the same as an unset one with clock zero.
 */
export interface Annotation {
  id: string;
  star?: Stamped<boolean>;
  tags: Record<string, Stamped<boolean>>;
  note?: Stamped<string>;
  /** Derived, indexed: 1 when starred. */
  starred: 0 | 1;
  /** Derived, indexed (multi-entry): the tags present now. */
  tagList: string[];
  /** Derived: 1 when the note is non-empty. */
  hasNote: 0 | 1;
  /** Derived, indexed: the newest clock time of any field. */
  updatedAt: number;
  /** When this device first saw an annotation for the paper. */
  createdAt: number;
}

/** An annotation as the UI sees it: current values only. */
export interface AnnotationView {
  id: string;
  starred: boolean;
  tags: string[];
  note: string;
}

export const EMPTY_VIEW = (id: string): AnnotationView => ({ id, starred: false, tags: [], note: '' });

export function viewOf(a: Annotation | undefined, id: string): AnnotationView {
  if (!a) return EMPTY_VIEW(id);
  return { id, starred: a.starred === 1, tags: a.tagList, note: a.note?.v ?? '' };
}

/** Recompute the derived, indexed fields of an annotation from its clocked fields. */
export function deriveAnnotation(a: Omit<Annotation, 'starred' | 'tagList' | 'hasNote' | 'updatedAt'> &
  Partial<Annotation>): Annotation {
  const tagList = Object.keys(a.tags)
    .filter((t) => a.tags[t].v)
    .sort();
  let updatedAt = Math.max(a.star?.c.t ?? 0, a.note?.c.t ?? 0);
  for (const t of Object.values(a.tags)) updatedAt = Math.max(updatedAt, t.c.t);
  return {
    id: a.id,
    ...(a.star ? { star: a.star } : {}),
    tags: a.tags,
    ...(a.note ? { note: a.note } : {}),
    starred: a.star?.v ? 1 : 0,
    tagList,
    hasNote: a.note?.v ? 1 : 0,
    updatedAt,
    createdAt: a.createdAt,
  };
}

/** True when the annotation carries nothing the reader set (all fields unset or removed). */
export function isBlank(a: Annotation): boolean {
  return a.starred === 0 && a.tagList.length === 0 && a.hasNote === 0;
}

/** Tag names: trimmed, lower-case, inner whitespace as '-', at most 64 characters. Empty means invalid. */
export const MAX_TAG_LENGTH = 64;
export function normalizeTag(raw: string): string {
  const tag = raw
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .slice(0, MAX_TAG_LENGTH);
  // Tags are keys of plain objects (annotation.tags): `__proto__` would set the object's prototype instead.
  return tag === '__proto__' ? '' : tag;
}

/** One edit of one paper's annotation, as the UI asks for it. */
export interface AnnotationEdit {
  id: string;
  /** Paper metadata to store with the annotation (from the card that was annotated). */
  paper?: PaperInput;
  star?: boolean;
  addTags?: string[];
  removeTags?: string[];
  note?: string;
}
