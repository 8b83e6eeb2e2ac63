/**
 * The questions the library asks of its annotations beyond "the record of this id": what v2's per-row
 * indexes answered. Each reads the packs' directory (one row of numbers) or their summaries (with the
 * tags; 1,024 small rows at most) first, and then only the packs that can hold an answer.
 */
import type { Annotation } from '@/lib/model';
import { isBlank } from '@/lib/model';
import { PACK_COUNT, type PacksSeen } from './packs';
import {
  type AnnotationSummary,
  DIRECTORY_FIELDS,
  DirectoryField,
  type MarginsDB,
  emptyDirectoryNumbers,
  summaryMayHaveTag,
  summaryTags,
} from './schema';

function summaries(db: MarginsDB): Promise<AnnotationSummary[]> {
  return db.annotationStore.summaryList();
}

/** The directory's numbers: DIRECTORY_FIELDS per pack (see schema.ts). */
async function directory(db: MarginsDB): Promise<Float64Array> {
  return (await db.packDirectory.get('annotations'))?.numbers ?? emptyDirectoryNumbers();
}

/** How many papers are starred. */
export async function starredCount(db: MarginsDB): Promise<number> {
  const numbers = await directory(db);
  let n = 0;
  for (let at = 0; at < numbers.length; at += DIRECTORY_FIELDS) n += numbers[at + DirectoryField.Starred];
  return n;
}

/** Every tag present on some paper, with how many papers carry it. */
export async function tagCounts(db: MarginsDB): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const s of await summaries(db)) for (const [tag, n] of summaryTags(s)) counts.set(tag, (counts.get(tag) ?? 0) + n);
  return counts;
}

/** The annotations that carry any of `tags` now. `seen` collects the packs read (see PackedTable.bulkGet). */
export function withAnyTag(db: MarginsDB, tags: readonly string[], seen?: PacksSeen<Annotation>): Promise<Annotation[]> {
  const wanted = new Set(tags);
  return db.transaction('r', db.annotationStore.tables, async () => {
    const packs = (await summaries(db)).filter((s) => tags.some((t) => summaryMayHaveTag(s, t))).map((s) => s.pack);
    return (await db.annotationStore.inPacks(packs, seen)).filter((a) => a.tagList.some((t) => wanted.has(t)));
  });
}

/** The starred annotations. */
export function starredAnnotations(db: MarginsDB): Promise<Annotation[]> {
  return db.transaction('r', db.annotationStore.tables, async () => {
    const packs = (await summaries(db)).filter((s) => s.starred > 0).map((s) => s.pack);
    return (await db.annotationStore.inPacks(packs)).filter((a) => a.starred === 1);
  });
}

/** The oldest and newest `updatedAt` of any annotation (0 and 0 for an empty library). */
export async function updatedRange(db: MarginsDB): Promise<{ oldest: number; newest: number }> {
  const numbers = await directory(db);
  let oldest = Infinity;
  let newest = 0;
  for (let at = 0; at < numbers.length; at += DIRECTORY_FIELDS) {
    if (!numbers[at + DirectoryField.Count]) continue;
    oldest = Math.min(oldest, numbers[at + DirectoryField.Oldest]);
    newest = Math.max(newest, numbers[at + DirectoryField.Newest]);
  }
  return { oldest: oldest === Infinity ? 0 : oldest, newest };
}

/**
 * The `count` most recently changed annotations that are not blank, newest first. Reads packs in the
 * order of their newest such record, and stops once no unread pack can hold a newer one than the
 * `count`th found: usually `count` packs or fewer of the 1,024.
 */
export function newestShown(db: MarginsDB, count: number): Promise<Annotation[]> {
  return db.transaction('r', db.annotationStore.tables, async () => {
    const numbers = await directory(db);
    const order: { pack: number; newestShown: number }[] = [];
    for (let pack = 0; pack < PACK_COUNT; pack++) {
      const newestShown = numbers[pack * DIRECTORY_FIELDS + DirectoryField.NewestShown];
      if (newestShown > 0) order.push({ pack, newestShown });
    }
    order.sort((a, b) => b.newestShown - a.newestShown);
    const found: Annotation[] = [];
    let next = 0;
    while (next < order.length) {
      // Enough found, and nothing unread is newer than the last of them: done.
      if (found.length >= count && found[count - 1].updatedAt >= order[next].newestShown) break;
      const batch = order.slice(next, next + Math.max(count, 8)).map((s) => s.pack);
      next += batch.length;
      for (const a of await db.annotationStore.inPacks(batch)) if (!isBlank(a)) found.push(a);
      found.sort((a, b) => b.updatedAt - a.updatedAt);
    }
    return found.slice(0, count);
  });
}
