/** BibTeX out, read back by a real BibTeX parser (the one behind Better BibTeX for Zotero). */
import { type Creator, parse } from '@retorquere/bibtex-parser';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBibtex } from '@/lib/sync/bibtex';
import type { ReadingEntry } from '@/lib/sync/export';
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
      links: id.startsWith('arxiv:') ? { abs: `https://arxiv.org/abs/${id.slice(6)}` } : {},
      site: 'arxiv',
      firstSeen: 1,
      lastSeen: 1,
      ...(category ? { category } : {}),
    },
    starred: false,
    tags: [],
    note: '',
    createdAt: 1,
    updatedAt: 1,
    ...rest,
  };
}

/** What the parser gives back for a note: LaTeX line and paragraph breaks as <br> and <p>. */
function noteFromParser(annote: string): string {
  return annote.replace(/<br>/g, '\n').replace(/<p>/g, '\n\n');
}

/** The differences a BibTeX round trip is allowed: runs of spaces become one, line ends are LF. */
function normalizeNote(note: string): string {
  return note
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u0000-\u0008\u000b-\u001f\u007f]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function nameOf(c: Creator): string {
  return c.name ?? [c.firstName, c.prefix, c.lastName, c.suffix].filter(Boolean).join(' ');
}

/** Sentence-casing titles is a reading choice of the parser (Zotero's style), not part of the data. */
function parseOk(bib: string) {
  const lib = parse(bib, { sentenceCase: false });
  expect(lib.errors).toEqual([]);
  return lib;
}

describe('BibTeX export', () => {
  it('writes arXiv entries with eprint, archivePrefix and primaryClass, tags as keywords, the note as annote', () => {
    const bib = toBibtex([
      entry('arxiv:1706.03762', { title: 'Attention Is All You Need', authors: ['Ashish Vaswani', 'Noam Shazeer'], tags: ['transformers', 'to-read'], note: 'Read section 3.\nThen 4.' }),
      entry('arxiv:hep-th/9901001', { title: 'Old style', authors: ['Ed Witten'] }),
      entry('doi:10.1145/3368089.3409741', { title: 'A DOI paper' }),
      entry('acl:2021.naacl-main.208', { title: 'An ACL paper' }),
    ]);
    const { entries } = parseOk(bib);
    expect(entries.map((e) => [e.type, e.key])).toEqual([
      ['misc', 'vaswani2017attention'],
      ['misc', 'witten1999old'],
      ['misc', 'lovelacedoi'], // no year in a DOI
      ['misc', 'lovelace2021acl'],
    ]);
    const [vaswani, witten, doi, acl] = entries;
    expect(vaswani.fields).toMatchObject({
      title: 'Attention Is All You Need',
      eprint: '1706.03762',
      archiveprefix: 'arXiv',
      year: '2017',
      url: 'https://arxiv.org/abs/1706.03762',
      annote: 'Read section 3.<br>Then 4.',
    });
    expect(vaswani.fields.keywords?.sort()).toEqual(['to-read', 'transformers']);
    expect(vaswani.fields.author?.map(nameOf)).toEqual(['Ashish Vaswani', 'Noam Shazeer']);
    expect(vaswani.fields.primaryclass).toBeUndefined(); // a new-style id does not say its category, and none was stored
    expect(witten.fields).toMatchObject({ eprint: 'hep-th/9901001', archiveprefix: 'arXiv', primaryclass: 'hep-th', year: '1999' });
    expect(doi.fields).toMatchObject({ doi: '10.1145/3368089.3409741' });
    expect(doi.fields.eprint).toBeUndefined();
    expect(acl.fields).toMatchObject({ year: '2021' });
  });

  it('writes primaryClass from the category an arXiv page showed; an old-style id keeps the archive it names', () => {
    const bib = toBibtex([
      entry('arxiv:2301.00001', { title: 'Seen on arXiv', category: 'cond-mat.mes-hall' }),
      entry('arxiv:2301.00002', { title: 'Seen only on Hugging Face' }),
      entry('arxiv:hep-th/9901001', { title: 'Old and reclassified', category: 'gr-qc' }),
      entry('arxiv:math/0309136', { title: 'Old with its subject class', category: 'math.GT' }),
      entry('arxiv:solv-int/9701001', { title: 'Old archive renamed since', category: 'nlin.SI' }),
      entry('doi:10.1145/3368089.3409741', { title: 'Not arXiv', category: 'cs.CL' }),
    ]);
    const [seen, unseen, reclassified, subject, renamed, doi] = parseOk(bib).entries.map((e) => e.fields);
    expect(seen).toMatchObject({ eprint: '2301.00001', archiveprefix: 'arXiv', primaryclass: 'cond-mat.mes-hall' });
    expect(unseen.eprint).toBe('2301.00002');
    expect(unseen.primaryclass).toBeUndefined(); // never shown a category: none guessed
    expect(reclassified).toMatchObject({ eprint: 'hep-th/9901001', primaryclass: 'hep-th' }); // the id's archive wins
    expect(subject).toMatchObject({ eprint: 'math/0309136', primaryclass: 'math.GT' }); // the same archive, more precise
    expect(renamed).toMatchObject({ eprint: 'solv-int/9701001', primaryclass: 'solv-int' });
    expect(doi.primaryclass).toBeUndefined();
    expect(doi.eprint).toBeUndefined();
  });

  it('escapes LaTeX specials and braces so titles, authors and notes read back as written', () => {
    const title = String.raw`50% of {GPUs} & $\alpha$-nets_v2 #1 ~ ^ \ back <b> | -- ''quoted'' ?${'`'} done`;
    const note = 'Line one\nline two with } brace and [1] ref\n[2] starts a line\n\nNew paragraph: 100% sure, costs $5 & more';
    const authors = ['José Müller', 'Research and Development Team', 'Li, Wei', "Conan O'Brien"];
    const tags = ['q&a', 'c++', '50%', 'to_read', 'x{y}', 'a,b'];
    const { entries } = parseOk(toBibtex([entry('arxiv:2301.00001', { title, authors, tags, note })]));
    const f = entries[0].fields;
    expect(f.title).toBe(title);
    expect(noteFromParser(f.annote)).toBe(normalizeNote(note));
    expect(f.author?.map(nameOf)).toEqual(['José Müller', 'Research and Development Team', 'Wei Li', "Conan O'Brien"]);
    // Keywords are verbatim: braces come back escaped, a comma (no escape exists) as a hyphen.
    expect(f.keywords?.sort()).toEqual(['50%', 'a-b', 'c++', 'q&a', 'to_read', String.raw`x\{y\}`].sort());
  });

  it('gives every entry a unique key', () => {
    const same = Array.from({ length: 30 }, (_, i) => entry(`arxiv:2301.${String(i + 1).padStart(5, '0')}`, { title: 'Same Title', authors: ['Same Author'] }));
    const keys = parseOk(toBibtex(same)).entries.map((e) => e.key);
    expect(new Set(keys).size).toBe(30);
    expect(keys.slice(0, 3)).toEqual(['author2023same', 'author2023samea', 'author2023sameb']);
  });

  it('round-trips any title and note through the parser (property)', () => {
    const chars = [...'abcXYZ 019-\'`?!{}\\$&%#_^~<>|"@,;.:()[]=+*/é日📄\n\t'];
    const text = fc.string({ unit: fc.constantFrom(...chars), maxLength: 60 });
    fc.assert(
      fc.property(text, text, (rawTitle, note) => {
        // Titles come from pages: one line, trimmed, spaces collapsed (what the adapters store).
        const title = rawTitle.replace(/\s+/g, ' ').trim() || 'x';
        const { entries } = parseOk(toBibtex([entry('arxiv:2301.00001', { title, note })]));
        expect(entries[0].fields.title).toBe(title);
        const expected = normalizeNote(note);
        if (expected) expect(noteFromParser(entries[0].fields.annote)).toBe(expected);
        else expect(entries[0].fields.annote).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  }, LONG);
});
