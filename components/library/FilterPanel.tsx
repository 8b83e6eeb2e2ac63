import { memo } from 'react';
import { siteName } from '@/components/PopupParts';
import type { LibraryFilters, SortKey } from '@/lib/library/filters';

export interface FilterPanelProps {
  filters: LibraryFilters;
  sites: { site: string; count: number }[];
  starredCount: number;
  noteCount: number;
  onChange(patch: Partial<LibraryFilters>): void;
}

const triValue = (v: boolean | null) => (v === null ? '' : v ? '1' : '0');
const triParse = (s: string) => (s === '' ? null : s === '1');
const num = (n: number) => n.toLocaleString('en-US');

/** Star, note, site, date range and sort controls. Presentational. */
export const FilterPanel = memo(function FilterPanel({ filters, sites, starredCount, noteCount, onChange }: FilterPanelProps) {
  return (
    <section className="panel filters" aria-labelledby="filters-heading">
      <h2 id="filters-heading">Filter and sort</h2>
      <label className="field">
        <span>Star</span>
        <select value={triValue(filters.starred)} onChange={(e) => onChange({ starred: triParse(e.target.value) })}>
          <option value="">Any</option>
          <option value="1">Starred ({num(starredCount)})</option>
          <option value="0">Not starred</option>
        </select>
      </label>
      <label className="field">
        <span>Note</span>
        <select value={triValue(filters.note)} onChange={(e) => onChange({ note: triParse(e.target.value) })}>
          <option value="">Any</option>
          <option value="1">With a note ({num(noteCount)})</option>
          <option value="0">Without a note</option>
        </select>
      </label>
      <label className="field">
        <span>Site</span>
        <select value={filters.site} onChange={(e) => onChange({ site: e.target.value })}>
          <option value="">Any site</option>
          {sites.map((s) => (
            <option key={s.site} value={s.site}>
              {siteName(s.site)} ({num(s.count)})
            </option>
          ))}
          {filters.site && !sites.some((s) => s.site === filters.site) && <option value={filters.site}>{siteName(filters.site)} (0)</option>}
        </select>
      </label>
      <fieldset className="field dates">
        <legend>
          <label>
            <span>Dates</span>
            <select aria-label="Dates: which date the range applies to" value={filters.date} onChange={(e) => onChange({ date: e.target.value as LibraryFilters['date'] })}>
              <option value="updated">Updated</option>
              <option value="added">Added</option>
            </select>
          </label>
        </legend>
        <label>
          <span>from</span>
          <input type="date" value={filters.from} max={filters.to || undefined} onChange={(e) => onChange({ from: e.target.value })} />
        </label>
        <label>
          <span>to</span>
          <input type="date" value={filters.to} min={filters.from || undefined} onChange={(e) => onChange({ to: e.target.value })} />
        </label>
      </fieldset>
      <label className="field">
        <span>Sort by</span>
        <select value={filters.sort} onChange={(e) => onChange({ sort: e.target.value as SortKey })}>
          <option value="updated">Recently updated</option>
          <option value="added">Recently added</option>
          <option value="title">Title, A to Z</option>
        </select>
      </label>
    </section>
  );
});
