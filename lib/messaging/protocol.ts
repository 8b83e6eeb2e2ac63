/**
 * The one message protocol. Content scripts and extension pages talk to the background (the only
 * writer) with `Request`s; the background pushes `Push` messages to tabs after a write and when the
 * reader changes a setting; the popup asks a tab's content script for its cards with `PageCardsRequest`.
 *
 * Everything a content script sends is untrusted: it lives inside someone else's page. The background
 * parses each message with these schemas, which bound every string and array, before it touches the
 * database. Schemas use zod/mini to keep the bundles small.
 */
import * as z from 'zod/mini';
import { isArxivCategory, isCanonicalId } from '@/lib/ids';
import type { NoteVersion } from '@/lib/db/repository';
import type { AnnotationView } from '@/lib/model';
import type { Settings } from '@/lib/settings';
import type { ImportSummary, StagedPreview } from '@/lib/sync/import';

export const LIMITS = {
  id: 600,
  title: 2_000,
  author: 300,
  authors: 500,
  abstract: 20_000,
  url: 2_048,
  tag: 64,
  tagsPerEdit: 100,
  note: 100_000,
  cardsPerMessage: 2_000,
  editsPerMessage: 5_000,
  aliases: 10,
} as const;

const canonicalId = z.string().check(
  z.maxLength(LIMITS.id),
  z.refine((s) => isCanonicalId(s), 'not a canonical paper id'),
);
const httpUrl = z.string().check(
  z.maxLength(LIMITS.url),
  z.refine((s) => /^https?:\/\//i.test(s), 'only http(s) links are kept'),
);

export const paperInputSchema = z.strictObject({
  id: canonicalId,
  aliases: z.optional(z.array(canonicalId).check(z.maxLength(LIMITS.aliases))),
  title: z.string().check(z.maxLength(LIMITS.title)),
  authors: z.array(z.string().check(z.maxLength(LIMITS.author))).check(z.maxLength(LIMITS.authors)),
  links: z.strictObject({
    abs: z.optional(httpUrl),
    pdf: z.optional(httpUrl),
    html: z.optional(httpUrl),
    hf: z.optional(httpUrl),
    openreview: z.optional(httpUrl),
    acl: z.optional(httpUrl),
    doi: z.optional(httpUrl),
    scholar: z.optional(httpUrl),
    url: z.optional(httpUrl),
  }),
  version: z.optional(z.string().check(z.regex(/^v\d{1,4}$/))),
  abstract: z.optional(z.string().check(z.maxLength(LIMITS.abstract))),
  category: z.optional(z.string().check(z.refine(isArxivCategory, 'not an arXiv category'))),
  site: z.string().check(z.maxLength(40)),
});

const tagName = z.string().check(z.minLength(1), z.maxLength(LIMITS.tag * 4));
/** The inbox key of a file a page staged for import (a random UUID). */
const stagedKey = z.string().check(z.minLength(1), z.maxLength(100));

export const annotationEditSchema = z.strictObject({
  id: canonicalId,
  paper: z.optional(paperInputSchema),
  star: z.optional(z.boolean()),
  addTags: z.optional(z.array(tagName).check(z.maxLength(LIMITS.tagsPerEdit))),
  removeTags: z.optional(z.array(tagName).check(z.maxLength(LIMITS.tagsPerEdit))),
  note: z.optional(z.string().check(z.maxLength(LIMITS.note))),
});

/** Messages any sender (content script or extension page) may send. */
export const publicRequestSchema = z.discriminatedUnion('type', [
  // One batched message per scan: the cards a page shows. Answers their states and first-seen times.
  z.strictObject({
    type: z.literal('cards.report'),
    cards: z
      .array(z.strictObject({ id: canonicalId, aliases: z.optional(z.array(canonicalId).check(z.maxLength(LIMITS.aliases))) }))
      .check(z.maxLength(LIMITS.cardsPerMessage)),
    /** True on listing pages: the papers are recorded as seen. */
    listing: z.boolean(),
  }),
  // The library's tags for autocomplete and chip colours, most used first.
  z.strictObject({ type: z.literal('tags.list') }),
  z.strictObject({
    type: z.literal('annotations.edit'),
    edits: z.array(annotationEditSchema).check(z.minLength(1), z.maxLength(LIMITS.editsPerMessage)),
  }),
]);

export type PublicRequest = z.infer<typeof publicRequestSchema>;

/** Messages only extension pages (popup, library) may send: they can change many papers at once. */
export const privilegedRequestSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('tags.rename'), from: tagName, to: tagName }),
  z.strictObject({ type: z.literal('tags.merge'), from: z.array(tagName).check(z.minLength(1)), into: tagName }),
  z.strictObject({ type: z.literal('tags.delete'), tag: tagName }),
  z.strictObject({
    type: z.literal('tags.setColor'),
    tag: tagName,
    color: z.nullable(z.string().check(z.regex(/^#[0-9a-f]{6}$/i))),
  }),
  z.strictObject({ type: z.literal('papers.delete'), ids: z.array(canonicalId).check(z.maxLength(100_000)) }),
  // The library's bulk actions: one change to many papers, in one transaction.
  z.strictObject({
    type: z.literal('papers.bulkEdit'),
    ids: z.array(canonicalId).check(z.minLength(1), z.maxLength(100_000)),
    star: z.optional(z.boolean()),
    addTags: z.optional(z.array(tagName).check(z.maxLength(LIMITS.tagsPerEdit))),
    removeTags: z.optional(z.array(tagName).check(z.maxLength(LIMITS.tagsPerEdit))),
  }),
  // Undo in the library: put papers back to the views they had before a change.
  z.strictObject({
    type: z.literal('annotations.restore'),
    views: z
      .array(
        z.strictObject({
          id: canonicalId,
          starred: z.boolean(),
          tags: z.array(tagName).check(z.maxLength(LIMITS.tagsPerEdit * 10)),
          note: z.string().check(z.maxLength(LIMITS.note)),
        }),
      )
      .check(z.minLength(1), z.maxLength(LIMITS.editsPerMessage)),
  }),
  // A note's earlier texts (the note history), and making one of them the note again. Our own pages
  // only: the history is private, and content scripts live inside other sites' pages.
  z.strictObject({ type: z.literal('notes.versions'), id: canonicalId }),
  z.strictObject({ type: z.literal('notes.restore'), id: canonicalId, text: z.string().check(z.maxLength(LIMITS.note)) }),
  // Import an export file: the file itself (or its JSON text), or the key under which the page put
  // it in the database's inbox (a large file crosses much faster that way; see lib/sync/import.ts). lib/sync/format.ts validates the whole file (the one definition of the
  // format) before anything is written, so it is opaque here.
  z.strictObject({
    type: z.literal('sync.import'),
    file: z.optional(z.unknown()),
    staged: z.optional(stagedKey),
  }),
  // A staged file: validate it and say what importing it would do (the background keeps the plan for
  // the confirm); keep that preview while the reader reads it; forget it (cancelled, or another file).
  z.strictObject({ type: z.literal('sync.preview'), staged: stagedKey }),
  z.strictObject({ type: z.literal('sync.keep'), staged: stagedKey }),
  z.strictObject({ type: z.literal('sync.discard'), staged: stagedKey }),
]);

export type PrivilegedRequest = z.infer<typeof privilegedRequestSchema>;
export type Request = PublicRequest | PrivilegedRequest;

/** What the background answers, per request type. */
export interface ResponseMap {
  'cards.report': {
    /** The reported papers that carry a star, tags or a note; the others have nothing to show. */
    states: Record<string, AnnotationView>;
    /** When each paper was first shown on a listing (listings only). */
    firstSeen: Record<string, number>;
    /** When Margins started recording seen papers: nothing is new on the very first visit. */
    seenSince: number;
    /**
     * The reader's settings (listing modes, shortcuts, NEW marks): the page gets them with its cards'
     * states rather than reading storage itself as it loads. Changes follow as `settings.changed`.
     */
    settings: Settings;
  };
  'annotations.edit': { states: AnnotationView[] };
  'tags.list': { tags: TagSummary[] };
  // `before`: each changed paper's view before the change, for undo (annotations.restore).
  'tags.rename': { changed: number; before: AnnotationView[] };
  'tags.merge': { changed: number; before: AnnotationView[] };
  'tags.delete': { changed: number; before: AnnotationView[] };
  'tags.setColor': { ok: true };
  'papers.delete': { deleted: number; before: AnnotationView[] };
  'papers.bulkEdit': { changed: number; before: AnnotationView[] };
  'annotations.restore': { changed: number };
  'notes.versions': { versions: NoteVersion[] };
  'notes.restore': { state: AnnotationView };
  'sync.import': ImportSummary;
  'sync.preview': StagedPreview;
  'sync.keep': { held: boolean };
  'sync.discard': { ok: true };
}

export interface TagSummary {
  name: string;
  count: number;
  color?: string;
}

/** Every answer is either `{ ok: true, data }` or `{ ok: false, error }` with a message for the reader. */
export type Reply<T> = { ok: true; data: T } | { ok: false; error: string };

/** Pushed by the background to every tab of a supported site after a write. */
export interface AnnotationsChangedPush {
  type: 'annotations.changed';
  states: AnnotationView[];
}

/** Pushed by the background to every tab of a supported site when the reader changes a setting. */
export interface SettingsChangedPush {
  type: 'settings.changed';
  settings: Settings;
}

export type Push = AnnotationsChangedPush | SettingsChangedPush;

/** Asked by the popup of the current tab's content script. */
export interface PageCardsRequest {
  type: 'page.cards';
}

export interface PageCard {
  id: string;
  title: string;
  authors: string[];
  isNew: boolean;
  paper: import('@/lib/model').PaperInput;
  /** The card's star, tags and note as the page shows them: the popup's first rows need no database. */
  view: AnnotationView;
}

export interface PageCardsReply {
  site: string;
  url: string;
  cards: PageCard[];
  /** 'ok', or 'no-cards' when the adapter expected cards here and found none (the site may have changed). */
  health: 'ok' | 'no-cards' | 'unsupported';
}
