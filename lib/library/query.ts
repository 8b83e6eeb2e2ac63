/**
 * The library's rows and how a view (filters + sort) picks and orders them. Pure: the page keeps the
 * rows in memory and runs these per keystroke.
 */
import type { Annotation, AnnotationView, Paper, PaperLinks } from '@/lib/model';
import { type LibraryFilters, type SortKey, dayBounds } from './filters';
import { fold, matchesTerms, narrows, searchTerms, searchTextOf } from './search';

/** One paper of the library as the list shows it, with its precomputed search text. */
export interface LibraryItem {
  id: string;
  title: string;
  authors: string[];
  links: PaperLinks;
  site: string;
  /** The arXiv primary category (`cs.CL`), when an arXiv page showed it. */
  category?: string;
  starred: boolean;
  tags: string[];
  note: string;
  /** When the paper entered this library (its annotation was created). */
  addedAt: number;
  /** The newest change to its star, tags or note. */
  updatedAt: number;
  /** Folded title, authors, tags, note, id and category: what search looks in. */
  text: string;
}

/** Site of a paper without a stored record, guessed from its id's scheme. */
function siteOfId(id: string): string {
  const scheme = id.slice(0, id.indexOf(':'));
  return scheme === 'acl' ? 'acl' : scheme === 'openreview' ? 'openreview' : scheme === 'arxiv' ? 'arxiv' : '';
}

export function itemFrom(a: Annotation, paper: Paper | undefined): LibraryItem {
  const base = {
    id: a.id,
    title: paper?.title ?? '',
    authors: paper?.authors ?? [],
    tags: a.tagList,
    note: a.note?.v ?? '',
    category: paper?.category,
  };
  return {
    ...base,
    links: paper?.links ?? {},
    site: paper?.site || siteOfId(a.id),
    starred: a.starred === 1,
    addedAt: a.createdAt,
    updatedAt: a.updatedAt,
    text: searchTextOf(base),
  };
}

/** The same paper (title, authors, links, site kept) with a changed annotation. */
export function itemWithAnnotation(item: LibraryItem, a: Annotation): LibraryItem {
  const tags = a.tagList;
  const note = a.note?.v ?? '';
  return {
    ...item,
    tags,
    note,
    starred: a.starred === 1,
    addedAt: a.createdAt,
    updatedAt: a.updatedAt,
    text: searchTextOf({ id: item.id, title: item.title, authors: item.authors, tags, note, category: item.category }),
  };
}

export function viewOfItem(item: LibraryItem): AnnotationView {
  return { id: item.id, starred: item.starred, tags: item.tags, note: item.note };
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** A new array in the order of `sort`: newest first for dates, A to Z for titles (untitled last). */
export function sortItems(items: readonly LibraryItem[], sort: SortKey): LibraryItem[] {
  const out = items.slice();
  if (sort === 'title') {
    // Compare precomputed keys: a collator call per comparison would be 10x slower at 50,000.
    const keyed = out.map((it) => ({ it, k: fold(it.title.replace(/^\W+/, '')) }));
    keyed.sort((a, b) => (!a.k !== !b.k ? (a.k ? -1 : 1) : a.k < b.k ? -1 : a.k > b.k ? 1 : collator.compare(a.it.id, b.it.id)));
    return keyed.map((k) => k.it);
  }
  const field = sort === 'added' ? 'addedAt' : 'updatedAt';
  out.sort((a, b) => b[field] - a[field] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out;
}

/** The non-search part of a view as one predicate. */
export function filterPredicate(f: LibraryFilters): (it: LibraryItem) => boolean {
  const [lo, hi] = dayBounds(f);
  const dated = lo !== -Infinity || hi !== Infinity;
  const field = f.date === 'added' ? 'addedAt' : 'updatedAt';
  const tags = f.tags;
  return (it) => {
    if (f.starred !== null && it.starred !== f.starred) return false;
    if (f.note !== null && (it.note !== '') !== f.note) return false;
    if (f.site && it.site !== f.site) return false;
    if (dated && (it[field] < lo || it[field] > hi)) return false;
    if (tags.length) {
      if (f.mode === 'all') {
        for (const t of tags) if (!it.tags.includes(t)) return false;
      } else if (!tags.some((t) => it.tags.includes(t))) return false;
    }
    return true;
  };
}

/** Everything but the search text, as a key: two views with equal keys differ only by their query. */
function restKey(f: LibraryFilters): string {
  return JSON.stringify({ ...f, q: '' });
}

/**
 * Runs views over a sorted list, remembering the last answer: when the reader types one more letter
 * (the new query narrows the last one, nothing else changed), only the last results are scanned again.
 */
export function createQueryRunner() {
  let last: { sorted: readonly LibraryItem[]; rest: string; terms: string[]; result: LibraryItem[] } | null = null;
  return function run(sorted: readonly LibraryItem[], f: LibraryFilters): LibraryItem[] {
    const terms = searchTerms(f.q);
    const rest = restKey(f);
    const reuse = last && last.sorted === sorted && last.rest === rest && narrows(terms, last.terms);
    const source = reuse ? last!.result : sorted;
    const pred = reuse ? null : filterPredicate(f);
    const result: LibraryItem[] = [];
    for (const it of source) {
      if (pred && !pred(it)) continue;
      if (terms.length && !matchesTerms(it.text, terms)) continue;
      result.push(it);
    }
    last = { sorted, rest, terms, result };
    return result;
  };
}

/** How many papers carry each tag, most used first (ties: A to Z). */
export function countTags(items: readonly LibraryItem[]): { name: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const it of items) for (const t of it.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** How many papers came from each site, most first. */
export function countSites(items: readonly LibraryItem[]): { site: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const it of items) if (it.site) counts.set(it.site, (counts.get(it.site) ?? 0) + 1);
  return [...counts].map(([site, count]) => ({ site, count })).sort((a, b) => b.count - a.count);
}

/** The link that opens a paper: its abstract page first, then the other pages a site gave. */
export function primaryLink(item: Pick<LibraryItem, 'links' | 'id'>): string | undefined {
  const l = item.links;
  return l.abs ?? l.hf ?? l.openreview ?? l.acl ?? l.doi ?? l.html ?? l.url ?? l.scholar ?? l.pdf;
}

/** The secondary links a row shows, with short labels, in a fixed order. */
export const LINK_LABELS: [keyof PaperLinks, string][] = [
  ['abs', 'arXiv'],
  ['pdf', 'PDF'],
  ['html', 'HTML'],
  ['hf', 'HF'],
  ['openreview', 'OpenReview'],
  ['acl', 'ACL'],
  ['doi', 'DOI'],
  ['scholar', 'Scholar'],
  ['url', 'Link'],
];
