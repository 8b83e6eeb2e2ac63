import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, toCsv } from '@/lib/sync/csv';
import type { ReadingEntry } from '@/lib/sync/export';
import { toMarkdown } from '@/lib/sync/markdown';
import { LONG, RUNS } from './helpers';

function entry(id: string, over: Partial<ReadingEntry> & { title?: string; authors?: string[]; category?: string } = {}): ReadingEntry {
  const { title = 'A title', authors = ['Ada Lovelace'], category, ...rest } = over;
  return {
    id,
    paper: {
      id,
      aliases: [],
      title,
      authors,
      links: { abs: `https://arxiv.org/abs/${id.slice(6)}` },
      site: 'arxiv',
      firstSeen: 1,
      lastSeen: 1,
      ...(category ? { category } : {}),
    },
    starred: false,
    tags: [],
    note: '',
    createdAt: Date.UTC(2024, 0, 2, 3, 4, 5),
    updatedAt: Date.UTC(2024, 5, 6, 7, 8, 9),
    ...rest,
  };
}

function parseCsv(text: string) {
  const result = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  expect(result.errors).toEqual([]);
  return result;
}

/** What a cell reads back as: the value, with the apostrophe added before a would-be formula. */
const cell = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

describe('CSV export (RFC 4180)', () => {
  it('has a header, CRLF line ends, quoted fields where needed, and reads back with an RFC 4180 parser', () => {
    const tricky = entry('arxiv:2301.00001', {
      title: 'Commas, "quotes" and\nline breaks',
      authors: ['Li, Wei', 'José Müller'],
      starred: true,
      tags: ['ml', 'to-read'],
      note: 'Line one\r\nline two, with "quotes"',
      category: 'cond-mat.mes-hall',
    });
    const text = toCsv([tricky, entry('arxiv:2301.00002')]);
    expect(text.startsWith('\uFEFFid,title,authors,starred,tags,note,url,added,updated,category\r\n')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    // Every line break outside quotes is CRLF.
    expect(text.replace(/"(?:[^"]|"")*"/g, '').match(/(?<!\r)\n/g)).toBeNull();
    const { data, meta } = parseCsv(text);
    expect(meta.fields).toEqual([...CSV_COLUMNS]);
    expect(data[0]).toEqual({
      id: 'arxiv:2301.00001',
      title: 'Commas, "quotes" and\nline breaks',
      authors: 'Li, Wei; José Müller',
      starred: 'yes',
      tags: 'ml; to-read',
      note: 'Line one\r\nline two, with "quotes"',
      url: 'https://arxiv.org/abs/2301.00001',
      added: '2024-01-02T03:04:05.000Z',
      updated: '2024-06-06T07:08:09.000Z',
      category: 'cond-mat.mes-hall',
    });
    expect(data[1].starred).toBe('no');
    expect(data[1].category).toBe(''); // no arXiv page seen: no category
  });

  it('defuses spreadsheet formulas in cells that come from web pages or notes', () => {
    const { data } = parseCsv(toCsv([entry('arxiv:2301.00001', { title: '=HYPERLINK("http://evil","x")', authors: ['@me'], note: '-1+2' })]));
    expect([data[0].title, data[0].authors, data[0].note]).toEqual(['\'=HYPERLINK("http://evil","x")', "'@me", "'-1+2"]);
  });

  it('round-trips any text (property)', () => {
    const text = fc.string({ unit: fc.constantFrom(...'ab ,;"\'\r\n=+-@\t日📄é'), maxLength: 40 });
    fc.assert(
      fc.property(text, text, fc.array(fc.constantFrom('ml', 'q&a', 'x"y'), { maxLength: 3 }), (title, note, tags) => {
        const { data } = parseCsv(toCsv([entry('arxiv:2301.00001', { title, note, tags })]));
        expect(data).toHaveLength(1);
        expect([data[0].title, data[0].note, data[0].tags]).toEqual([cell(title), cell(note), cell(tags.join('; '))]);
      }),
      { numRuns: RUNS },
    );
  }, LONG);
});

describe('Markdown export', () => {
  it('groups papers by tag (a paper under each of its tags), then untagged ones, with notes as quotes', () => {
    const md = toMarkdown(
      [
        entry('arxiv:2301.00001', { title: 'Zebra [draft] *bold* <script>', tags: ['ml', 'vision'], starred: true, note: 'First line\n\nSecond # para' }),
        entry('arxiv:2301.00002', { title: 'Alpha', tags: ['ml'] }),
        entry('arxiv:2301.00003', { title: 'Untagged one', note: 'n' }),
      ],
      { filter: { kind: 'all' }, exportedAt: Date.UTC(2024, 0, 2) },
    );
    expect(md).toBe(
      [
        '# Reading list',
        '',
        'All papers · 3 papers · exported from Margins on 2024-01-02',
        '',
        '## ml (2)',
        '',
        '- [Alpha](<https://arxiv.org/abs/2301.00002>) — Ada Lovelace (`arxiv:2301.00002`)',
        '- ★ [Zebra \\[draft\\] \\*bold\\* \\<script\\>](<https://arxiv.org/abs/2301.00001>) — Ada Lovelace (`arxiv:2301.00001`)',
        '  > First line',
        '  >',
        '  > Second # para',
        '',
        '## vision (1)',
        '',
        '- ★ [Zebra \\[draft\\] \\*bold\\* \\<script\\>](<https://arxiv.org/abs/2301.00001>) — Ada Lovelace (`arxiv:2301.00001`)',
        '  > First line',
        '  >',
        '  > Second # para',
        '',
        '## No tag (1)',
        '',
        '- [Untagged one](<https://arxiv.org/abs/2301.00003>) — Ada Lovelace (`arxiv:2301.00003`)',
        '  > n',
        '',
      ].join('\n'),
    );
  });

  it('puts the exported tag first', () => {
    const md = toMarkdown([entry('arxiv:2301.00001', { tags: ['a', 'z'] })], { filter: { kind: 'tag', tag: 'z' }, exportedAt: 0 });
    expect(md.indexOf('## z (1)')).toBeLessThan(md.indexOf('## a (1)'));
    expect(md).toContain('Papers tagged z · 1 paper');
  });
});
