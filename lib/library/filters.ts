/**
 * The library's view (search, filters, sort) as URL parameters, so that a view can be bookmarked:
 * library.html?q=diffusion&tags=nlp,to-read&mode=all&starred=1&site=arxiv&note=1&date=added&from=2024-01-01&to=2024-06-30&sort=title
 * Parameters at their default are left out; anything malformed falls back to the default.
 */
import { normalizeTag } from '@/lib/model';

export type SortKey = 'updated' | 'added' | 'title';
export const SORT_KEYS: readonly SortKey[] = ['updated', 'added', 'title'];

export interface LibraryFilters {
  /** Search text, as typed. */
  q: string;
  /** Tags the papers must carry (all of them, or any of them, by `mode`). */
  tags: string[];
  mode: 'all' | 'any';
  /** true: starred only; false: not starred; null: either. */
  starred: boolean | null;
  /** Site the paper was found on ('' for any). */
  site: string;
  /** true: with a note; false: without; null: either. */
  note: boolean | null;
  /** Which date `from` and `to` bound. */
  date: 'added' | 'updated';
  /** Inclusive day bounds, YYYY-MM-DD in the reader's time zone ('' for open). */
  from: string;
  to: string;
  sort: SortKey;
}

export const DEFAULT_FILTERS: LibraryFilters = {
  q: '',
  tags: [],
  mode: 'all',
  starred: null,
  site: '',
  note: null,
  date: 'updated',
  from: '',
  to: '',
  sort: 'updated',
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_Q = 500;

function validDay(s: string | null): string {
  if (!s || !DAY.test(s)) return '';
  const d = new Date(`${s}T00:00:00`);
  return Number.isNaN(d.getTime()) ? '' : s;
}

function triState(s: string | null): boolean | null {
  return s === '1' ? true : s === '0' ? false : null;
}

export function parseFilters(search: string | URLSearchParams): LibraryFilters {
  const p = typeof search === 'string' ? new URLSearchParams(search) : search;
  const tags = [...new Set((p.get('tags') ?? '').split(',').map(normalizeTag).filter(Boolean))].slice(0, 50);
  const sort = p.get('sort');
  return {
    q: (p.get('q') ?? '').slice(0, MAX_Q),
    tags,
    mode: p.get('mode') === 'any' ? 'any' : 'all',
    starred: triState(p.get('starred')),
    site: (p.get('site') ?? '').replace(/[^a-z0-9-]/gi, '').slice(0, 40),
    note: triState(p.get('note')),
    date: p.get('date') === 'added' ? 'added' : 'updated',
    from: validDay(p.get('from')),
    to: validDay(p.get('to')),
    sort: SORT_KEYS.includes(sort as SortKey) ? (sort as SortKey) : 'updated',
  };
}

/** The query string (without '?') for these filters; defaults are left out, order is stable. */
export function filtersToSearch(f: LibraryFilters): string {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.tags.length) p.set('tags', f.tags.join(','));
  if (f.tags.length > 1 && f.mode === 'any') p.set('mode', 'any');
  if (f.starred !== null) p.set('starred', f.starred ? '1' : '0');
  if (f.site) p.set('site', f.site);
  if (f.note !== null) p.set('note', f.note ? '1' : '0');
  if ((f.from || f.to) && f.date === 'added') p.set('date', 'added');
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.sort !== 'updated') p.set('sort', f.sort);
  // Tag lists read better with plain commas.
  return p.toString().replace(/%2C/g, ',');
}

/** True when any filter (not the sort) narrows the list. */
export function isFiltered(f: LibraryFilters): boolean {
  return !!(f.q.trim() || f.tags.length || f.starred !== null || f.site || f.note !== null || f.from || f.to);
}

/** The day bounds as epoch milliseconds in the reader's time zone: [start of `from`, end of `to`]. */
export function dayBounds(f: Pick<LibraryFilters, 'from' | 'to'>): [number, number] {
  const lo = f.from ? new Date(`${f.from}T00:00:00`).getTime() : -Infinity;
  const hi = f.to ? new Date(`${f.to}T00:00:00`).getTime() + 86_400_000 - 1 : Infinity;
  return [lo, hi];
}
