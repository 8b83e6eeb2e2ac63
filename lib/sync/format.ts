/**
 * The Margins export file: one versioned JSON format, defined here once (zod/mini, because the
 * background and the library page both bundle it), with the upgrade path from every older version.
 * docs/export-format.md documents it for people; this file is the definition.
 *
 * The file is untrusted input (it may be damaged, edited by hand, or made by someone else), so every
 * string and array is bounded, ids must be canonical, links must be http(s), and unknown fields are
 * rejected rather than silently dropped.
 *
 * The format version evolves separately from the database schema version (lib/db/schema.ts): a new
 * field in the database needs a new format version only when it should travel between devices.
 */
import * as z from 'zod/mini';
import { isArxivCategory, isCanonicalId } from '@/lib/ids';
import { LIMITS } from '@/lib/messaging/protocol';
import type { Clock, Paper, Stamped } from '@/lib/model';
import { normalizeTag } from '@/lib/model';
import type { Settings } from '@/lib/settings';

export const FORMAT_NAME = 'margins-export';
export const FORMAT_VERSION = 3;

/**
 * Largest file we read: a bound on the memory one import holds at once (the text, the parsed file and
 * the plan). A whole library of 50,000 papers exports to about 28 MB. Checked on the file's size
 * before anything is read.
 */
export const MAX_IMPORT_BYTES = 64_000_000;

/** Bounds for what a file may hold (beyond the per-message LIMITS that also bound what pages send). */
export const FILE_LIMITS = {
  records: 1_000_000,
  aliasesPerPaper: 100,
  tagsPerAnnotation: 1_000,
  historyEntries: 1_000_000,
  deviceId: 64,
} as const;

/** Keys that would change an object's prototype if used as a property name. Never accepted as tags. */
const FORBIDDEN_KEYS = new Set(['__proto__']);

// ---------------------------------------------------------------------------------------------------
// Building blocks

/** Milliseconds since the epoch, up to the largest Date. Integers, so clocks compare exactly. */
const time = z.number().check(
  z.refine((n) => Number.isSafeInteger(n) && n >= 0 && n <= 8.64e15, 'must be a whole number of milliseconds since 1970'),
);

const deviceIdSchema = z
  .string()
  .check(z.minLength(1), z.maxLength(FILE_LIMITS.deviceId), z.regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, - or _'));

const clockSchema = z.strictObject({ t: time, d: deviceIdSchema });

const canonicalId = z.string().check(
  z.maxLength(LIMITS.id),
  z.refine((s) => isCanonicalId(s), 'is not a paper id Margins knows (arxiv:, doi:, openreview:, acl:, url:)'),
);

const httpUrl = z.string().check(
  z.maxLength(LIMITS.url),
  z.refine((s) => /^https?:\/\/[^\s]+$/i.test(s), 'must be an http(s) link'),
);

/** A tag as stored: already normalised (lower case, no spaces), never a prototype key. */
const tagName = z.string().check(
  z.minLength(1),
  z.maxLength(LIMITS.tag),
  z.refine((s) => !FORBIDDEN_KEYS.has(s), 'is not allowed as a tag name'),
  z.refine((s) => normalizeTag(s) === s, 'is not a normalised tag name (lower case, no spaces)'),
);

const linksSchema = z.strictObject({
  abs: z.optional(httpUrl),
  pdf: z.optional(httpUrl),
  html: z.optional(httpUrl),
  hf: z.optional(httpUrl),
  openreview: z.optional(httpUrl),
  acl: z.optional(httpUrl),
  doi: z.optional(httpUrl),
  scholar: z.optional(httpUrl),
  url: z.optional(httpUrl),
});

const paperSchema = z.strictObject({
  id: canonicalId,
  aliases: z.array(canonicalId).check(z.maxLength(FILE_LIMITS.aliasesPerPaper)),
  title: z.string().check(z.maxLength(LIMITS.title)),
  authors: z.array(z.string().check(z.maxLength(LIMITS.author))).check(z.maxLength(LIMITS.authors)),
  links: linksSchema,
  version: z.optional(z.string().check(z.regex(/^v\d{1,4}$/, 'must look like v1, v2, ...'))),
  abstract: z.optional(z.string().check(z.maxLength(LIMITS.abstract))),
  site: z.string().check(z.maxLength(40)),
  firstSeen: time,
  lastSeen: time,
});

/** Version 3's paper: version 2's plus the arXiv primary category the site showed. */
const paperSchemaV3 = z.extend(paperSchema, {
  category: z.optional(z.string().check(z.refine(isArxivCategory, 'must be an arXiv category like cs.CL or hep-th'))),
});

const stampedBoolean = z.strictObject({ v: z.boolean(), c: clockSchema });
const stampedNote = z.strictObject({ v: z.string().check(z.maxLength(LIMITS.note)), c: clockSchema });

const tagsRecord = z
  .record(tagName, stampedBoolean)
  .check(z.refine((r) => Object.keys(r).length <= FILE_LIMITS.tagsPerAnnotation, 'has too many tags'));

const annotationSchema = z.strictObject({
  id: canonicalId,
  star: z.optional(stampedBoolean),
  tags: tagsRecord,
  note: z.optional(stampedNote),
  createdAt: time,
});

const tagMetaSchema = z.strictObject({
  name: tagName,
  color: z.optional(z.string().check(z.regex(/^#[0-9a-f]{6}$/i, 'must be a colour like #1f6feb'))),
  c: clockSchema,
});

const historySchema = z.strictObject({
  id: canonicalId,
  text: z.string().check(z.maxLength(LIMITS.note)),
  c: clockSchema,
  reason: z.enum(['import', 'local']),
});

const aliasSchema = z.strictObject({ alias: canonicalId, id: canonicalId });

/** Reader settings worth carrying to another device (all of them today; device state is not a setting). */
export const CARRIED_SETTINGS = ['shortcuts', 'starredOnListings', 'seenOnListings', 'markNew', 'exportReminderDays'] as const;
const listingMode = z.enum(['show', 'dim', 'hide']);
const settingsSchema = z.strictObject({
  shortcuts: z.optional(z.boolean()),
  starredOnListings: z.optional(listingMode),
  seenOnListings: z.optional(listingMode),
  markNew: z.optional(z.boolean()),
  exportReminderDays: z.optional(z.number().check(z.int(), z.gte(0), z.lte(3650))),
});

const filterSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('starred') }),
  z.strictObject({ kind: z.literal('tag'), tag: tagName }),
]);

const records = <T extends z.core.SomeType>(item: T, max: number = FILE_LIMITS.records) =>
  z.array(item).check(z.maxLength(max));

// ---------------------------------------------------------------------------------------------------
// The versions

/**
 * Version 2: the whole state, each table its own list.
 *   papers       what the sites showed (metadata, no clocks; merged to the most complete value)
 *   annotations  the reader's star, tags and note, each with its clock; removals as `v: false` / ''
 *   aliases      other ids of the same paper (a DOI of an ACL paper)
 *   tagMeta      tag colours, clocked
 *   noteHistory  note texts that lost a merge or were replaced, so no words are lost
 *   settings     reader settings (only in whole-library exports)
 *   filter       what the file holds: everything, the starred papers, or one tag
 */
export const exportFileV2Schema = z.strictObject({
  format: z.literal(FORMAT_NAME),
  version: z.literal(2),
  exportedAt: time,
  device: deviceIdSchema,
  /** The database schema version of the exporting build: for diagnosis only, never interpreted. */
  schemaVersion: z.optional(z.number().check(z.int(), z.gte(1))),
  /** The exporting build, e.g. "Margins 0.1.0": for diagnosis only. */
  app: z.optional(z.string().check(z.maxLength(100))),
  filter: filterSchema,
  papers: records(paperSchema),
  annotations: records(annotationSchema),
  aliases: records(aliasSchema),
  tagMeta: records(tagMetaSchema, 100_000),
  noteHistory: records(historySchema, FILE_LIMITS.historyEntries),
  settings: z.optional(settingsSchema),
});

/**
 * Version 3 (current): version 2 with papers that may carry `category`, the arXiv primary category
 * (BibTeX's primaryClass; a new-style arXiv id does not name it). Version 2 stays strict: a version 2
 * file with `category` has a field its version does not define.
 */
export const exportFileV3Schema = z.extend(exportFileV2Schema, {
  version: z.literal(3),
  papers: records(paperSchemaV3),
});

/**
 * Version 1: the first draft of this format, written by development builds before the first
 * release: one entry per paper with its metadata inline, no tag colours, no note history, no
 * settings. It stays readable as the first step of the upgrade chain, so that chain is exercised by
 * tests from the start and the next version only has to add its step.
 */
const entryV1Schema = z.strictObject({
  id: canonicalId,
  paper: z.optional(
    z.strictObject({
      aliases: z.optional(z.array(canonicalId).check(z.maxLength(FILE_LIMITS.aliasesPerPaper))),
      title: z.string().check(z.maxLength(LIMITS.title)),
      authors: z.array(z.string().check(z.maxLength(LIMITS.author))).check(z.maxLength(LIMITS.authors)),
      links: linksSchema,
      version: z.optional(z.string().check(z.regex(/^v\d{1,4}$/, 'must look like v1, v2, ...'))),
      abstract: z.optional(z.string().check(z.maxLength(LIMITS.abstract))),
      site: z.string().check(z.maxLength(40)),
      firstSeen: time,
      lastSeen: time,
    }),
  ),
  star: z.optional(stampedBoolean),
  tags: tagsRecord,
  note: z.optional(stampedNote),
  createdAt: time,
});

export const exportFileV1Schema = z.strictObject({
  format: z.literal(FORMAT_NAME),
  version: z.literal(1),
  exportedAt: time,
  device: deviceIdSchema,
  entries: records(entryV1Schema),
});

export type ExportFileV1 = z.infer<typeof exportFileV1Schema>;
export type ExportFileV2 = z.infer<typeof exportFileV2Schema>;
export type ExportFile = z.infer<typeof exportFileV3Schema>;
export type ExportFilter = ExportFile['filter'];
export type FilePaper = ExportFile['papers'][number];
export type FileAnnotation = ExportFile['annotations'][number];
export type FileTagMeta = ExportFile['tagMeta'][number];
export type FileHistoryEntry = ExportFile['noteHistory'][number];
export type FileAlias = ExportFile['aliases'][number];
export type CarriedSettings = NonNullable<ExportFile['settings']>;

// Compile-time guards: when the model or the settings gain a field, these fail until the format
// (and its version) is updated, so a new field can never silently stay behind on one device.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
export type _PaperMatchesModel = Assert<Equals<keyof FilePaper, keyof Paper>>;
export type _ClockMatchesModel = Assert<Equals<z.infer<typeof clockSchema>, Clock>>;
export type _StampMatchesModel = Assert<Equals<z.infer<typeof stampedBoolean>, Stamped<boolean>>>;
export type _SettingsCarried = Assert<Equals<keyof CarriedSettings, (typeof CARRIED_SETTINGS)[number]>>;
export type _SettingsExist = Assert<(typeof CARRIED_SETTINGS)[number] extends keyof Settings ? true : false>;

/** Each step turns version N into version N + 1. The last step's output is the current version. */
const UPGRADES: Record<number, (file: unknown) => unknown> = {
  1: (input) => upgradeV1ToV2(input as ExportFileV1),
  2: (input) => upgradeV2ToV3(input as ExportFileV2),
};

const SCHEMAS: Record<number, z.core.$ZodType> = {
  1: exportFileV1Schema,
  2: exportFileV2Schema,
  3: exportFileV3Schema,
};

export function upgradeV1ToV2(v1: ExportFileV1): ExportFileV2 {
  return {
    format: FORMAT_NAME,
    version: 2,
    exportedAt: v1.exportedAt,
    device: v1.device,
    filter: { kind: 'all' },
    papers: v1.entries.flatMap((e) =>
      e.paper ? [{ ...e.paper, id: e.id, aliases: [...new Set(e.paper.aliases ?? [])] }] : [],
    ),
    annotations: v1.entries.map((e) => ({
      id: e.id,
      ...(e.star ? { star: e.star } : {}),
      tags: e.tags,
      ...(e.note ? { note: e.note } : {}),
      createdAt: e.createdAt,
    })),
    // Version 1 kept aliases only inside each paper; the alias table is rebuilt from them.
    aliases: v1.entries.flatMap((e) =>
      (e.paper?.aliases ?? []).filter((a) => a !== e.id).map((alias) => ({ alias, id: e.id })),
    ),
    tagMeta: [],
    noteHistory: [],
  };
}

/** Version 3 only adds an optional field: a version 2 file is a version 3 file with no categories. */
export function upgradeV2ToV3(v2: ExportFileV2): ExportFile {
  return { ...v2, version: 3 };
}

// ---------------------------------------------------------------------------------------------------
// Reading a file

/** A file that cannot be imported, with a message for the reader saying what is wrong. */
export class ImportError extends Error {
  override name = 'ImportError';
}

function formatBytes(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)} MB` : `${Math.ceil(n / 1000)} kB`;
}

/** Reject a file by its size alone, before reading a byte of it. */
export function checkFileSize(size: number): void {
  if (size > MAX_IMPORT_BYTES) {
    throw new ImportError(
      `This file is ${formatBytes(size)}; Margins imports files of up to ${formatBytes(MAX_IMPORT_BYTES)}. ` +
        'Nothing was imported. Export one tag or the starred papers on the other device to make a smaller file.',
    );
  }
  if (size === 0) throw new ImportError('This file is empty. Nothing was imported.');
}

/** Read a picked file: size first (a 100 MB file is never read into memory), then its text. */
export async function readImportFile(file: Pick<Blob, 'size' | 'text'>): Promise<ExportFile> {
  checkFileSize(file.size);
  return parseExportText(await file.text());
}

/** Parse and validate the text of an export file, upgrading older versions. Throws ImportError. */
export function parseExportText(text: string): ExportFile {
  // A size check on the text too, for callers that did not have a File (UTF-16 length bounds UTF-8 / 3).
  if (text.length > MAX_IMPORT_BYTES) checkFileSize(text.length);
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    // V8 names the position; an error at the very end means the text stops in the middle of the data.
    const at = /position (\d+)/.exec(detail);
    const atEnd = at ? Number(at[1]) >= text.trimEnd().length - 1 : /end of (JSON )?(input|data)/i.test(detail);
    const cut = atEnd ? ' It looks cut short (an incomplete download or copy?).' : '';
    throw new ImportError(`This file is not valid JSON, so it is not a complete Margins export.${cut} (${detail}) Nothing was imported.`);
  }
  return validateExport(data, mayHaveProtoKey(text));
}

/**
 * The text of a file an extension page validated with this module already and handed to the background
 * (folder sync's file: see InboxEntry.validated): parsed without validating every record again (when
 * every one of 50,000 papers changed, validating took 0.5-1.1 s in the background and parsing alone
 * 0.2-0.5 s). Still checked: that it is JSON of the current format and version (anything else is
 * validated in full) and that no record appears twice. Only for text from the extension's own storage,
 * which neither sites nor content scripts can write.
 */
export function parseValidatedText(text: string): ExportFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return parseExportText(text);
  }
  const header = data as { format?: unknown; version?: unknown } | null;
  if (typeof data !== 'object' || header === null || Array.isArray(data) || header.format !== FORMAT_NAME || header.version !== FORMAT_VERSION) {
    return validateExport(data, true);
  }
  const file = data as ExportFile;
  checkConsistency(file);
  return file;
}

/** Validate already-parsed data (what the background receives) and upgrade it to the current version. */
export function parseExportData(data: unknown): ExportFile {
  return validateExport(data, true);
}

/**
 * Whether JSON text can hold a "__proto__" key at all: a JSON string that reads "__proto__" is
 * written either as those very characters or with a \u escape (no other JSON escape gives a letter or
 * "_"). Most files have neither, and then the walk over every object (findProtoKey) is not needed.
 */
function mayHaveProtoKey(text: string): boolean {
  return text.includes('__proto__') || text.includes('\\u');
}

function validateExport(data: unknown, checkProtoKeys: boolean): ExportFile {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ImportError('This is not a Margins export file (it is not a JSON object). Nothing was imported.');
  }
  const header = data as { format?: unknown; version?: unknown };
  if (header.format !== FORMAT_NAME) {
    throw new ImportError(
      `This is not a Margins export file: it should say "format": "${FORMAT_NAME}"` +
        (typeof header.format === 'string' ? `, but says "${header.format.slice(0, 60)}"` : '') +
        '. Nothing was imported.',
    );
  }
  const version = header.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ImportError(`This Margins file has no valid format version (found ${JSON.stringify(version)?.slice(0, 40)}). Nothing was imported.`);
  }
  if (version > FORMAT_VERSION) {
    throw new ImportError(
      `This file was written by a newer version of Margins (export format ${version}); this version reads formats up to ${FORMAT_VERSION}. ` +
        'Update Margins on this device, then import it again. Nothing was imported.',
    );
  }
  const proto = checkProtoKeys ? findProtoKey(data) : null;
  if (proto !== null) {
    throw new ImportError(
      `This file has a "__proto__" key at ${proto}. No Margins export has one (it is a known way to attack programs that read JSON). Nothing was imported.`,
    );
  }
  // reportInput: the messages quote what was found ("should be a boolean but is text").
  const parsed = z.safeParse(SCHEMAS[version], data, { reportInput: true });
  if (!parsed.success) throw new ImportError(describeIssues(parsed.error.issues));
  let file: unknown = parsed.data;
  for (let v = version; v < FORMAT_VERSION; v++) file = UPGRADES[v](file);
  const current = file as ExportFile;
  checkConsistency(current);
  return current;
}

/**
 * Where the first own "__proto__" key is (JSON.parse makes it an ordinary own property, which
 * copying code would turn into a prototype). zod drops such keys silently; we refuse the file.
 * Iterative, so a deeply nested hostile file cannot overflow the stack.
 */
function findProtoKey(root: unknown): string | null {
  const stack: unknown[] = [root];
  let found = false;
  while (stack.length) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    if (!Array.isArray(v) && Object.hasOwn(v, '__proto__')) {
      found = true;
      break;
    }
    for (const child of Object.values(v)) if (typeof child === 'object' && child !== null) stack.push(child);
  }
  if (!found) return null;
  // Second pass, only for the message: the path to the key.
  const paths: [unknown, PropertyKey[]][] = [[root, []]];
  while (paths.length) {
    const [v, path] = paths.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (!Array.isArray(v) && Object.hasOwn(v, '__proto__')) return pathOf(path);
    for (const [k, child] of Object.entries(v)) paths.push([child, [...path, Array.isArray(v) ? Number(k) : k]]);
  }
  return 'the top level';
}

type Issue = z.core.$ZodIssue;

function pathOf(path: PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || 'the top level';
}

function describeIssue(issue: Issue): string {
  const where = pathOf(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${where} has ${issue.keys.length > 1 ? 'fields' : 'a field'} Margins does not know: ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_type':
      return `${where} should be ${article(issue.expected)}${issue.input === undefined ? ' but is missing' : ` but is ${describeValue(issue.input)}`}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `${where} is too long (${(issue.input as string)?.length?.toLocaleString('en') ?? '?'} characters; at most ${Number(issue.maximum).toLocaleString('en')})`
        : issue.origin === 'array'
          ? `${where} has too many items (at most ${Number(issue.maximum).toLocaleString('en')})`
          : `${where} is too large (at most ${String(issue.maximum)})`;
    case 'too_small':
      return `${where} is too short or too small`;
    case 'invalid_value':
      return `${where} should be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'invalid_union':
      return `${where} is not any of the shapes Margins accepts`;
    case 'invalid_key':
      return `${where} has a key that ${issue.issues[0]?.message ?? 'is not allowed'}`;
    default:
      return `${where} ${issue.message}`;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `text (${JSON.stringify(v.length > 30 ? `${v.slice(0, 30)}…` : v)})`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

function describeIssues(issues: readonly Issue[]): string {
  if (!issues.length) return 'This Margins file could not be read. Nothing was imported.';
  const shown = issues.slice(0, 3).map(describeIssue);
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more problems)` : '';
  return `This Margins file is damaged or was edited by hand: ${shown.join('; ')}${more}. Nothing was imported.`;
}

/** Checks zod cannot express: each record once. A Margins export never repeats one. */
function checkConsistency(file: ExportFile): void {
  const once = (what: string, keys: Iterable<string>) => {
    const seen = new Set<string>();
    for (const k of keys) {
      if (seen.has(k)) throw new ImportError(`This Margins file is damaged: ${what} "${k}" appears twice. Nothing was imported.`);
      seen.add(k);
    }
  };
  once('paper', file.papers.map((p) => p.id));
  once('annotation of paper', file.annotations.map((a) => a.id));
  once('alias', file.aliases.map((a) => a.alias));
  once('tag colour of', file.tagMeta.map((t) => t.name));
}
