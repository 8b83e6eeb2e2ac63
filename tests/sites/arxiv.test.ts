import { describe, expect, it } from 'vitest';
import { arxivAdapter } from '@/lib/sites/arxiv';
import { describeTable } from './contract';
import { loadFixture, loadHandmade, parsePage } from './load';

describeTable('arxiv', arxivAdapter);

const RECENT = ['arxiv/list-astro-ph.CO-recent-2026-07-24-raw.html', 'https://arxiv.org/list/astro-ph.CO/recent?show=1000'] as const;
const LEGACY = ['arxiv/list-astro-ph.CO-pastweek-2024-03-14-legacy-layout-raw.html', 'https://arxiv.org/list/astro-ph.CO/pastweek?show=1000'] as const;
const SEARCH = ['arxiv/search-abstract-distributed-systems-size200-2025-12.html', 'https://arxiv.org/search/?searchtype=abstract&query=distributed+systems&abstracts=show&size=200'] as const;
const ABS_2020 = ['arxiv/abs_2004.10162_2020-04_browse0.3.0.html', 'https://arxiv.org/abs/2004.10162'] as const;
const EMPTY = ['arxiv/list_cs_1991-01_empty_2024-06_newlayout_reformatted.html', 'https://arxiv.org/list/cs/1991-01'] as const;

function detect(doc: Document, url: string) {
  return arxivAdapter.detect(doc, new URL(url));
}

describe('arXiv listing, current layout (2026-07 /recent)', () => {
  const [file, url] = RECENT;
  const doc = loadFixture(file, url);
  const cards = detect(doc, url);

  it('gives each entry the id its own abs link carries, in page order', () => {
    // Independent of the adapter's parsing: the abs link's id attribute, entry by entry.
    const expected = [...doc.querySelectorAll('dl#articles > dt a[title="Abstract"]')].map((a) => `arxiv:${a.getAttribute('id')}`);
    expect(expected).toHaveLength(111);
    expect(cards.map((c) => c.id)).toEqual(expected);
    expect(cards.every((c) => /^arxiv:\d{4}\.\d{5}$/.test(c.id))).toBe(true);
  });

  it('reads clean titles, TeX kept as arXiv stores it, and authors', () => {
    expect(cards[24].title).toBe('The road towards precision measurements of $H_0$ with bright sirens in the Einstein Telescope era');
    expect(cards[17].title).toBe(
      'The Stellar Mass Function of Gas-Rich Galaxies and the Underlying $M_{\\rm HI}-M_{\\rm star}$ Scaling Relation in the Local Universe',
    );
    expect(cards[0].authors).toEqual(['Jia-Qi Wang', 'Zong-Kuan Guo']);
    expect(cards.every((c) => c.authors.length > 0)).toBe(true);
  });

  it('takes the version from the html link and shows no abstract (/recent has none)', () => {
    expect(cards[0].version).toBe('v1');
    expect(cards[0].links).toEqual({
      abs: 'https://arxiv.org/abs/2607.21497',
      pdf: 'https://arxiv.org/pdf/2607.21497v1',
      hf: 'https://huggingface.co/papers/2607.21497',
      html: 'https://arxiv.org/html/2607.21497v1',
    });
    expect(cards.some((c) => c.abstract)).toBe(false);
  });

  it('roots each card on its dd and mounts the controls in its dt', () => {
    expect(cards.every((c) => c.root.tagName === 'DD' && c.mount.anchor.tagName === 'DT')).toBe(true);
    expect(arxivAdapter.isListing(new URL(url))).toBe(true);
  });
});

describe('arXiv listing, pre-2024 layout (2024-03 /pastweek)', () => {
  const [file, url] = LEGACY;
  const doc = loadFixture(file, url);
  const cards = detect(doc, url);

  it('finds the entries of plain dl lists with span.list-identifier', () => {
    const expected = [...doc.querySelectorAll('dt span.list-identifier a[title="Abstract"]')].map((a) => `arxiv:${a.textContent!.trim().replace(/^arXiv:/, '')}`);
    expect(expected).toHaveLength(76);
    expect(cards.map((c) => c.id)).toEqual(expected);
  });

  it('reads titles and authors without their descriptors', () => {
    expect(cards[6].title).toBe('The 3D Lyman-$α$ Forest Power Spectrum from eBOSS DR16');
    expect(cards[24].title).toBe('$α$-Generalized No-Scale Inflation');
    expect(cards[0].authors.slice(0, 3)).toEqual(['M. S. Cagliari', 'B. R. Granett', 'L. Guzzo']);
    expect(cards.flatMap((c) => c.authors).some((a) => /Authors:/.test(a))).toBe(false);
  });
});

describe('arXiv search results (2025-12)', () => {
  const [file, url] = SEARCH;
  const cards = detect(loadFixture(file, url), url);

  it('reads the full abstract without the More/Less toggles', () => {
    expect(cards.every((c) => c.abstract && c.abstract.length > 100)).toBe(true);
    expect(cards[0].abstract).toMatch(/^In this letter I quantify the effects of varying the top Yukawa coupling/);
    expect(cards[0].abstract).toMatch(/and other global observables\.$/);
    expect(cards.some((c) => /[△▽]|More$|Less$/.test(c.abstract!))).toBe(false);
  });

  it('keeps the journal DOI a result shows as an alias', () => {
    const withDoi = cards.filter((c) => c.aliases.length);
    expect(withDoi).toHaveLength(9);
    expect(cards.find((c) => c.id === 'arxiv:2512.10701')!.aliases).toEqual(['doi:10.1145/3773274.3774931']);
    expect(cards.find((c) => c.id === 'arxiv:2512.17826')!.aliases).toEqual(['doi:10.1007/s40840-023-01514-1']);
  });

  it('reads titles with TeX and authors', () => {
    expect(cards[30].title).toBe('Generalized Beth--Uhlenbeck entropy formula from the $Φ-$derivable approach');
    expect(cards[0].authors).toEqual(['Luca Panizzi']);
    expect(arxivAdapter.isListing(new URL(url))).toBe(true);
  });
});

describe('arXiv abs pages', () => {
  it('reads the 2020 layout: title, authors, abstract, the version shown', () => {
    const [file, url] = ABS_2020;
    const [card] = detect(loadFixture(file, url), url);
    expect(card.authors).toEqual(['Sanchari Sen', 'Balaraman Ravindran', 'Anand Raghunathan']);
    expect(card.abstract).toMatch(/^Ensuring robustness of Deep Neural Networks \(DNNs\) is crucial/);
    expect(card.abstract).toMatch(/without sacrificing accuracy on the unperturbed inputs\.$/);
    expect(card.version).toBe('v1');
    expect(card.links.pdf).toBe('https://arxiv.org/pdf/2004.10162v1');
    expect(card.root.id).toBe('abs');
    expect(card.mount).toEqual({ anchor: card.root.querySelector('h1.title'), position: 'afterend' });
    expect(arxivAdapter.isListing(new URL(url))).toBe(false);
  });

  it('reads the current layout: version from "this version", HTML link, the journal DOI as alias', () => {
    const url = 'https://arxiv.org/abs/2501.12948';
    const [card] = detect(loadHandmade('arxiv-abs-current.html', url), url);
    expect(card.id).toBe('arxiv:2501.12948');
    expect(card.version).toBe('v2');
    expect(card.aliases).toEqual(['doi:10.1038/s41586-025-09422-z']);
    expect(card.links.html).toBe('https://arxiv.org/html/2501.12948v2');
    expect(card.links.pdf).toBe('https://arxiv.org/pdf/2501.12948v2');
    expect(card.authors).toEqual(['DeepSeek-AI', 'Daya Guo']);
    expect(card.abstract).toBe('We introduce our first-generation reasoning models, DeepSeek-R1-Zero and DeepSeek-R1.');
  });

  it('takes the version in the URL over the page, and the unlinked history entry when nothing else says', () => {
    const versioned = 'https://arxiv.org/abs/2501.12948v1';
    expect(detect(loadHandmade('arxiv-abs-current.html', versioned), versioned)[0].version).toBe('v1');
    const doc = loadHandmade('arxiv-abs-current.html', 'https://arxiv.org/abs/2501.12948');
    doc.querySelector('.arxividv')!.remove();
    doc.querySelector('.dateline')!.textContent = '[Submitted on 22 Jan 2025]';
    expect(detect(doc, 'https://arxiv.org/abs/2501.12948')[0].version).toBe('v2');
  });
});

describe('arXiv /new: new, cross-list and replacement sections (hand-made, current layout)', () => {
  const url = 'https://arxiv.org/list/cs.CL/new';
  const cards = detect(loadHandmade('arxiv-new-current.html', url), url);

  it('finds every section, in order', () => {
    expect(cards.map((c) => c.id)).toEqual([
      'arxiv:2501.12948',
      'arxiv:2501.12599',
      'arxiv:2501.13011',
      'arxiv:2501.12370',
      'arxiv:2501.11873',
      'arxiv:2412.19437',
      'arxiv:1706.03762',
      'arxiv:cs/0112017',
    ]);
  });

  it('reads the abstract of every entry and the replaced versions', () => {
    expect(cards.every((c) => c.abstract && !/^\s|\s$/.test(c.abstract))).toBe(true);
    expect(cards[0].abstract).toMatch(/^We introduce our first-generation reasoning models/);
    expect(cards[2].abstract).toBe('We show that a transformer with $L=2$ layers sorts $n$ tokens.');
    expect(cards.map((c) => c.version)).toEqual(['v1', undefined, undefined, 'v1', undefined, 'v2', 'v7', undefined]);
  });

  it('keeps TeX titles and old-style ids (no Hugging Face link for those)', () => {
    expect(cards[2].title).toBe('Sorting in $O(n \\log n)$ steps with a $2$-layer transformer');
    expect(cards[7].links).toEqual({ abs: 'https://arxiv.org/abs/cs/0112017', pdf: 'https://arxiv.org/pdf/cs/0112017' });
    expect(cards[3].authors).toEqual(['Samira Abnar', 'Harshay Shah']);
  });
});

describe('arXiv /catchup (hand-made)', () => {
  it('is a listing with abstracts', () => {
    const url = new URL('https://arxiv.org/catchup/cs.CL/2025-01-20?abs=True');
    const cards = arxivAdapter.detect(loadHandmade('arxiv-catchup.html', url.href), url);
    expect(arxivAdapter.isListing(url)).toBe(true);
    expect(arxivAdapter.isListing(new URL('https://arxiv.org/catchup?smonth=1&group=grp_cs&sday=20&num=50&archive=cs&method=with&syear=2025'))).toBe(true);
    expect(cards.every((c) => c.abstract)).toBe(true);
    expect(cards[2].title).toBe('PaSa: An LLM Agent for Comprehensive Academic Paper Search');
  });
});

describe('browser-saved titles: MathJax output is not the title', () => {
  const url = 'https://arxiv.org/list/hep-th/recent';
  const cards = detect(loadHandmade('arxiv-list-mathjax-saved.html', url), url);

  it('puts the TeX source back between dollars (MathJax v2, inline and display, HTML-CSS and CommonHTML)', () => {
    expect(cards[0].title).toBe('The road towards precision measurements of $H_0$ with bright sirens');
    expect(cards[1].title).toBe('An action $$\\int d^4x$$ for $\\alpha$-attractors');
  });

  it('reads MathJax v3 (no TeX kept) as its assistive text, never the rendered glyph soup twice', () => {
    expect(cards[2].title).toBe('Constraints on H0 from time-delay lenses');
    expect(cards[1].authors).toEqual(['Richard Roe', 'Jane Doe']);
    expect(cards[0].version).toBe('v3');
  });
});

describe('arXiv health: which pages must show cards', () => {
  it('the empty month gives no card, no error, and is not reported as broken', () => {
    const [file, url] = EMPTY;
    const doc = loadFixture(file, url);
    expect(() => detect(doc, url)).not.toThrow();
    expect(detect(doc, url)).toEqual([]);
    expect(arxivAdapter.expectsCards(new URL(url), doc)).toBe(false);
    expect(arxivAdapter.isListing(new URL(url))).toBe(true);
  });

  it('a /new page whose cross-list section is empty still expects cards; one with no update at all does not', () => {
    const partly = parsePage(
      `<div id="dlpage"><dl id="articles"><h3>New submissions (showing 1 of 1 entries)</h3>
       <dt><a href="/abs/2501.00001" title="Abstract" id="2501.00001">arXiv:2501.00001</a></dt>
       <dd><div class="meta"><div class="list-title mathjax">A</div></div></dd></dl>
       <dl id="articles"><h3>Cross submissions (showing 0 of 0 entries)</h3><p>No updates for this time period.</p></dl></div>`,
      'https://arxiv.org/list/cs.CL/new',
    );
    expect(arxivAdapter.expectsCards(new URL('https://arxiv.org/list/cs.CL/new'), partly)).toBe(true);
    const none = parsePage('<div id="dlpage"><h3>Showing new listings</h3><p>No updates today.</p></div>', 'https://arxiv.org/list/cs.CL/new');
    expect(arxivAdapter.expectsCards(new URL('https://arxiv.org/list/cs.CL/new'), none)).toBe(false);
  });

  it('expects cards on listings, searches with a query and abs pages only', () => {
    const blank = parsePage('<main></main>', 'https://arxiv.org/');
    const expects = (u: string) => arxivAdapter.expectsCards(new URL(u), blank);
    expect(expects('https://arxiv.org/list/cs.LG/recent')).toBe(true);
    expect(expects('https://arxiv.org/abs/2301.00001')).toBe(true);
    expect(expects('https://arxiv.org/search/?query=x&searchtype=all')).toBe(true);
    expect(expects('https://arxiv.org/search/')).toBe(false);
    expect(expects('https://arxiv.org/')).toBe(false);
    expect(expects('https://arxiv.org/help/api')).toBe(false);
    expect(arxivAdapter.isListing(new URL('https://arxiv.org/abs/2301.00001'))).toBe(false);
  });
});

describe('arXiv primary category (what BibTeX needs for primaryClass)', () => {
  it('reads it from the subjects line of both listing layouts, first and last entry', () => {
    const [recentFile, recentUrl] = RECENT;
    const recent = detect(loadFixture(recentFile, recentUrl), recentUrl);
    expect(recent[0].category).toBe('astro-ph.CO');
    expect(recent[recent.length - 1].category).toBe('astro-ph.GA');
    // Cross-listed papers keep their own primary category, not the listing's.
    const counts: Record<string, number> = {};
    for (const c of recent) counts[c.category ?? 'none'] = (counts[c.category ?? 'none'] ?? 0) + 1;
    expect(counts).toEqual({ 'astro-ph.CO': 68, 'astro-ph.GA': 12, 'hep-ph': 12, 'gr-qc': 8, 'hep-th': 4, 'astro-ph.IM': 4, 'astro-ph.HE': 2, 'hep-ex': 1 });

    const [legacyFile, legacyUrl] = LEGACY;
    const legacy = detect(loadFixture(legacyFile, legacyUrl), legacyUrl);
    expect(legacy[0].category).toBe('astro-ph.CO');
    expect(legacy[legacy.length - 1].category).toBe('hep-ph');
    expect(legacy.every((c) => c.category)).toBe(true);
  });

  it('reads it on /new, in every section (hand-made)', () => {
    const url = 'https://arxiv.org/list/cs.CL/new';
    const cards = detect(loadHandmade('arxiv-new-current.html', url), url);
    expect(cards.map((c) => c.category)).toEqual(['cs.CL', 'cs.AI', 'cs.CL', 'cs.LG', 'cs.LG', 'cs.CL', 'cs.CL', 'cs.CL']);
  });

  it('reads it from the first category tag of a search result, not from a cross-list or the DOI tag', () => {
    const [file, url] = SEARCH;
    const cards = detect(loadFixture(file, url), url);
    expect(cards[0].category).toBe('hep-ph');
    expect(cards[1].category).toBe('quant-ph'); // cross-listed to cond-mat.stat-mech
    expect(cards[cards.length - 1].category).toBe('cs.AI');
    expect(cards.find((c) => c.id === 'arxiv:2512.10701')!.category).not.toBe('doi');
    expect(cards.every((c) => c.category)).toBe(true);
  });

  it('reads it from the abs page metatable (2020 layout and current layout)', () => {
    const [file, url] = ABS_2020;
    expect(detect(loadFixture(file, url), url)[0].category).toBe('cs.LG');
    const current = 'https://arxiv.org/abs/2501.12948';
    expect(detect(loadHandmade('arxiv-abs-current.html', current), current)[0].category).toBe('cs.CL');
  });

  it('drops a subject without a code in parentheses, or with anything that is not a category (hand-made)', () => {
    // Hand-made: a listing whose subjects lines are odd in every way we could think of.
    const subjects = [
      'Cosmology and Nongalactic Astrophysics',
      'Cosmology (and more)',
      'Cosmology (astro-ph.CO) (<script>)',
      `Long (${'a'.repeat(41)})`,
      'Nested ((cs.CL))',
      'Cosmology and Nongalactic Astrophysics (astro-ph.CO) ',
    ];
    const entries = subjects
      .map(
        (s, i) => `<dt><a href="/abs/2501.0000${i + 1}" title="Abstract" id="2501.0000${i + 1}">arXiv:2501.0000${i + 1}</a></dt>
        <dd><div class="meta"><div class="list-title mathjax">Paper ${i + 1}</div>
        <div class="list-subjects"><span class="descriptor">Subjects:</span> <span class="primary-subject">${s.replace(/</g, '&lt;')}</span></div></div></dd>`,
      )
      .join('');
    const noSubjects = `<dt><a href="/abs/2501.00009" title="Abstract" id="2501.00009">arXiv:2501.00009</a></dt><dd><div class="list-title">No subjects</div></dd>`;
    const url = 'https://arxiv.org/list/astro-ph.CO/recent';
    const doc = parsePage(`<div id="dlpage"><dl id="articles">${entries}${noSubjects}</dl></div>`, url);
    let cards: ReturnType<typeof detect> = [];
    expect(() => (cards = detect(doc, url))).not.toThrow();
    expect(cards.map((c) => c.id)).toHaveLength(7);
    expect(cards.map((c) => c.category)).toEqual([undefined, undefined, undefined, undefined, undefined, 'astro-ph.CO', undefined]);
    expect(cards.map((c) => c.title)).toEqual(['Paper 1', 'Paper 2', 'Paper 3', 'Paper 4', 'Paper 5', 'Paper 6', 'No subjects']);
  });
});
