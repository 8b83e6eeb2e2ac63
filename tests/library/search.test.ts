import { describe, expect, it } from 'vitest';
import { fold, matchesTerms, narrows, searchTerms, searchTextOf } from '@/lib/library/search';
import { DEFAULT_FILTERS } from '@/lib/library/filters';
import { countTags, createQueryRunner, filterPredicate, itemFrom, sortItems } from '@/lib/library/query';
import { deriveAnnotation } from '@/lib/model';

describe('search text', () => {
  it('folds case and accents', () => {
    expect(fold('Schrödinger ÉQUATION')).toBe('schrodinger equation');
    expect(fold('ASCII Only')).toBe('ascii only');
  });

  it('splits terms and keeps quoted phrases', () => {
    expect(searchTerms('  Graph   "Neural  Networks" gödel ')).toEqual(['graph', 'neural networks', 'godel']);
    expect(searchTerms('"unclosed phrase')).toEqual(['unclosed phrase']);
    expect(searchTerms('""')).toEqual([]);
  });

  it('finds partial words in any field but never across two fields', () => {
    const text = searchTextOf({ id: 'arxiv:2301.00001', title: 'Attention Is All You Need', authors: ['Ashish Vaswani', 'Noam Shazeer'], tags: ['transformers'], note: 'Read §3 twice' });
    expect(matchesTerms(text, searchTerms('atten vaswa'))).toBe(true);
    expect(matchesTerms(text, searchTerms('transf §3'))).toBe(true);
    expect(matchesTerms(text, searchTerms('2301.00001'))).toBe(true);
    expect(matchesTerms(text, searchTerms('attention bert'))).toBe(false);
    expect(matchesTerms(text, searchTerms('"need ashish"'))).toBe(false);
  });

  it('finds a paper by the arXiv category a page showed', () => {
    const base = { id: 'arxiv:2301.00001', title: 'T', authors: [], tags: [], note: '' };
    expect(matchesTerms(searchTextOf({ ...base, category: 'cond-mat.mes-hall' }), searchTerms('Cond-Mat.Mes'))).toBe(true);
    expect(matchesTerms(searchTextOf(base), searchTerms('cond-mat'))).toBe(false);
    const a = deriveAnnotation({ id: base.id, createdAt: 1, tags: { ml: { v: true, c: { t: 1, d: 'dev' } } } });
    const withCategory = itemFrom(a, { ...base, links: {}, site: 'arxiv', aliases: [], firstSeen: 0, lastSeen: 0, category: 'cs.CL' });
    expect(withCategory.category).toBe('cs.CL');
    expect(matchesTerms(withCategory.text, searchTerms('cs.cl ml'))).toBe(true);
  });

  it('knows when a query narrows another', () => {
    expect(narrows(['graphs'], ['graph'])).toBe(true);
    expect(narrows(['graph', 'neural'], ['graph'])).toBe(true);
    expect(narrows(['grap'], ['graph'])).toBe(false);
    expect(narrows(['x'], [])).toBe(true);
  });
});

function item(id: string, title: string, o: { star?: boolean; tags?: string[]; note?: string; t?: number; site?: string } = {}) {
  const c = { t: o.t ?? 1, d: 'dev' };
  const a = deriveAnnotation({
    id,
    createdAt: 1000 - (o.t ?? 1),
    star: o.star ? { v: true, c } : undefined,
    tags: Object.fromEntries((o.tags ?? []).map((t) => [t, { v: true, c }])),
    note: o.note ? { v: o.note, c } : undefined,
  });
  return itemFrom(a, { id, title, authors: ['A. Author'], links: {}, site: o.site ?? 'arxiv', aliases: [], firstSeen: 0, lastSeen: 0 });
}

describe('views', () => {
  const items = [
    item('arxiv:2301.00001', 'Zebra finches', { star: true, tags: ['bio', 'nlp'], t: 5 }),
    item('arxiv:2301.00002', 'Apples and oranges', { tags: ['nlp'], note: 'a note', t: 9 }),
    item('arxiv:2301.00003', 'éclairs', { tags: ['cv'], t: 7, site: 'huggingface' }),
    item('arxiv:2301.00004', '', { star: true, t: 3 }),
  ];

  it('sorts by updated (newest first), added (newest first) and title (A to Z, untitled last)', () => {
    expect(sortItems(items, 'updated').map((i) => i.id.slice(-1))).toEqual(['2', '3', '1', '4']);
    expect(sortItems(items, 'added').map((i) => i.id.slice(-1))).toEqual(['4', '1', '3', '2']);
    expect(sortItems(items, 'title').map((i) => i.id.slice(-1))).toEqual(['2', '3', '1', '4']);
  });

  it('filters by tags (all / any), star, note and site', () => {
    const ids = (f: Partial<typeof DEFAULT_FILTERS>) => items.filter(filterPredicate({ ...DEFAULT_FILTERS, ...f })).map((i) => i.id.slice(-1));
    expect(ids({ tags: ['nlp', 'bio'] })).toEqual(['1']);
    expect(ids({ tags: ['bio', 'cv'], mode: 'any' })).toEqual(['1', '3']);
    expect(ids({ starred: true })).toEqual(['1', '4']);
    expect(ids({ starred: false, note: false })).toEqual(['3']);
    expect(ids({ note: true })).toEqual(['2']);
    expect(ids({ site: 'huggingface' })).toEqual(['3']);
  });

  it('narrows the last results when a letter is typed, and starts over when a filter changes', () => {
    const run = createQueryRunner();
    const sorted = sortItems(items, 'updated');
    expect(run(sorted, { ...DEFAULT_FILTERS, q: 'e' }).map((i) => i.id.slice(-1))).toEqual(['2', '3', '1']);
    expect(run(sorted, { ...DEFAULT_FILTERS, q: 'es' }).map((i) => i.title)).toEqual(['Apples and oranges', 'Zebra finches']);
    expect(run(sorted, { ...DEFAULT_FILTERS, q: 'es ap' }).map((i) => i.title)).toEqual(['Apples and oranges']);
    expect(run(sorted, { ...DEFAULT_FILTERS, q: 'e' }).length).toBe(3);
    expect(run(sorted, { ...DEFAULT_FILTERS, q: 'e', tags: ['nlp'] }).map((i) => i.id.slice(-1))).toEqual(['2', '1']);
    expect(run(sorted, { ...DEFAULT_FILTERS, q: 'ecl' }).map((i) => i.id.slice(-1))).toEqual(['3']);
  });

  it('counts tags, most used first', () => {
    expect(countTags(items)).toEqual([
      { name: 'nlp', count: 2 },
      { name: 'bio', count: 1 },
      { name: 'cv', count: 1 },
    ]);
  });
});
