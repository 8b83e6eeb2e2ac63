import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTERS, dayBounds, filtersToSearch, isFiltered, parseFilters } from '@/lib/library/filters';

describe('filters in the URL', () => {
  it('reads every parameter of a bookmarked view', () => {
    const f = parseFilters('?q=graph%20neural&tags=nlp,To%20Read&mode=any&starred=1&site=arxiv&note=0&date=added&from=2024-01-01&to=2024-06-30&sort=title');
    expect(f).toEqual({
      q: 'graph neural',
      tags: ['nlp', 'to-read'],
      mode: 'any',
      starred: true,
      site: 'arxiv',
      note: false,
      date: 'added',
      from: '2024-01-01',
      to: '2024-06-30',
      sort: 'title',
    });
  });

  it('writes only what differs from the defaults, and reads back the same view', () => {
    expect(filtersToSearch(DEFAULT_FILTERS)).toBe('');
    const f = { ...DEFAULT_FILTERS, q: 'a&b=c', tags: ['nlp', 'cv'], starred: false, sort: 'added' as const };
    const s = filtersToSearch(f);
    expect(s).toBe('q=a%26b%3Dc&tags=nlp,cv&starred=0&sort=added');
    expect(parseFilters(s)).toEqual(f);
  });

  it('falls back to defaults on malformed values', () => {
    const f = parseFilters('sort=random&mode=some&starred=yes&from=2024-13-45&to=tomorrow&site=<script>&date=x');
    expect(f).toEqual({ ...DEFAULT_FILTERS, site: 'script' });
  });

  it('drops duplicate and empty tags, and says when a view is filtered', () => {
    expect(parseFilters('tags=a,,A,%20b%20').tags).toEqual(['a', 'b']);
    expect(isFiltered(parseFilters('sort=title'))).toBe(false);
    expect(isFiltered(parseFilters('note=1'))).toBe(true);
    expect(isFiltered(parseFilters('q=%20%20'))).toBe(false);
  });

  it('bounds whole days in local time', () => {
    const [lo, hi] = dayBounds({ from: '2024-03-01', to: '2024-03-01' });
    expect(new Date(lo).getHours()).toBe(0);
    expect(hi - lo).toBe(86_400_000 - 1);
    expect(dayBounds({ from: '', to: '' })).toEqual([-Infinity, Infinity]);
  });
});
