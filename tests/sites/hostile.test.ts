/**
 * Hostile pages, built here: cards without titles or links, bogus links, duplicated ids, markup in
 * titles, 10,000 cards, deep nesting, elements removed while detection runs. For every adapter: no
 * exception escapes, and no card ever carries an id other than the one its page gives it (each
 * generated card root says which in data-truth).
 */
import { describe, expect, it } from 'vitest';
import { aclAdapter } from '@/lib/sites/acl';
import { arxivAdapter } from '@/lib/sites/arxiv';
import { huggingfaceAdapter } from '@/lib/sites/huggingface';
import { openreviewAdapter } from '@/lib/sites/openreview';
import { scholarAdapter } from '@/lib/sites/scholar';
import type { DetectedCard, SiteAdapter } from '@/lib/sites/types';
import { contractViolations } from './contract';
import { parsePage } from './load';

/** A card of each site's current markup, for paper number `n`, whose title is the given HTML. */
interface Site {
  adapter: SiteAdapter;
  url: string;
  id(n: number): string;
  card(n: number, titleHtml: string): string;
  page(cards: string): string;
}

const arxivId = (n: number) => `2301.${String(10000 + n).padStart(5, '0')}`;
const orId = (n: number) => `Hx${String(n).padStart(8, '0')}`;
const aclId = (n: number) => `2026.acl-long.${n + 1}`;

const SITES: Record<string, Site> = {
  arxiv: {
    adapter: arxivAdapter,
    url: 'https://arxiv.org/list/cs.LG/recent?show=2000',
    id: (n) => `arxiv:${arxivId(n)}`,
    card: (n, t) =>
      `<dt><a name="item${n}">[${n}]</a> <a href ="/abs/${arxivId(n)}" title="Abstract" id="${arxivId(n)}">arXiv:${arxivId(n)}</a></dt>
       <dd data-truth="arxiv:${arxivId(n)}"><div class='meta'><div class='list-title mathjax'><span class='descriptor'>Title:</span> ${t}</div>
       <div class='list-authors'><a href="/a">Author ${n}</a></div></div></dd>`,
    page: (cards) => `<div id="dlpage"><dl id="articles">${cards}</dl></div>`,
  },
  huggingface: {
    adapter: huggingfaceAdapter,
    url: 'https://huggingface.co/papers/date/2025-01-22',
    id: (n) => `arxiv:${arxivId(n)}`,
    card: (n, t) =>
      `<div><article data-truth="arxiv:${arxivId(n)}"><a href="/papers/${arxivId(n)}"><img src="x.png" alt=""></a>
       <div><h3><a href="/papers/${arxivId(n)}">${t}</a></h3><a href="/papers/${arxivId(n)}#community">3</a></div></article></div>`,
    page: (cards) => `<main><section><h1>Daily Papers</h1><div class="grid">${cards}</div></section></main>`,
  },
  openreview: {
    adapter: openreviewAdapter,
    url: 'https://openreview.net/group?id=ICLR.cc/2025/Conference',
    id: (n) => `openreview:${orId(n)}`,
    card: (n, t) =>
      `<li data-truth="openreview:${orId(n)}"><div class="note"><h4><a href="/forum?id=${orId(n)}">${t}</a> <a href="/pdf?id=${orId(n)}" class="pdf-link">pdf</a></h4>
       <div class="note-authors"><a href="/profile?id=~A${n}">Author ${n}</a></div></div></li>`,
    page: (cards) => `<main id="content"><div class="submissions-list"><ul class="list-unstyled">${cards}</ul></div></main>`,
  },
  scholar: {
    adapter: scholarAdapter,
    url: 'https://scholar.google.com/scholar?q=x',
    id: (n) => `doi:10.1000/paper.${n}`,
    card: (n, t) =>
      `<div class="gs_r gs_or gs_scl" data-truth="doi:10.1000/paper.${n}"><div class="gs_ri"><h3 class="gs_rt"><a href="https://doi.org/10.1000/paper.${n}">${t}</a></h3>
       <div class="gs_a">A Author${n} - Journal, 2020 - example.org</div></div></div>`,
    page: (cards) => `<div id="gs_res_ccl_mid">${cards}</div>`,
  },
  acl: {
    adapter: aclAdapter,
    url: 'https://aclanthology.org/volumes/2026.acl-long/',
    id: (n) => `acl:${aclId(n)}`,
    card: (n, t) =>
      `<div class="paper" data-truth="acl:${aclId(n)}"><a href="https://aclanthology.org/${aclId(n)}.pdf">PDF</a>
       <h5><a href="/${aclId(n)}/">${t}</a></h5><a href="/people/a${n}/">Author ${n}</a></div>`,
    page: (cards) => `<main id="main"><h1>Proceedings</h1><div class="list">${cards}</div></main>`,
  },
};

/** No exception, and every card's id is the one its root was generated with. */
function detectSafely(site: Site, doc: Document): DetectedCard[] {
  let cards: DetectedCard[] = [];
  expect(() => (cards = site.adapter.detect(doc, new URL(site.url)))).not.toThrow();
  for (const c of cards) {
    const truth = c.root.closest('[data-truth]')?.getAttribute('data-truth') ?? c.root.querySelector('[data-truth]')?.getAttribute('data-truth');
    expect(c.id, `card rooted on <${c.root.tagName.toLowerCase()}>`).toBe(truth);
  }
  return cards;
}

for (const [name, site] of Object.entries(SITES)) {
  describe(`${name}: hostile pages`, () => {
    it('titles are text: markup meant to run script is read as nothing more than its text', () => {
      const doc = parsePage(
        site.page(
          site.card(0, `<img src=x onerror="document.title='pwned'"> Real <b>title</b> <script>alert(1)</script><style>*{}</style>`) +
            site.card(1, '&lt;img src=x onerror=alert(2)&gt; escaped markup stays text'),
        ),
        site.url,
      );
      const cards = detectSafely(site, doc);
      expect(cards.map((c) => c.title)).toEqual(['Real title', '<img src=x onerror=alert(2)> escaped markup stays text']);
      expect(contractViolations(cards)).toEqual([]);
    });

    it('a card without a title still gets its id; empty and bogus links give no card', () => {
      const bogus =
        name === 'arxiv'
          ? `<dt><a href="/abs/">x</a></dt><dd data-truth="none">a</dd><dt><a href="/abs/9913.00001">x</a></dt><dd>b</dd><dt><a href="javascript:alert(1)//abs/2301.00002">x</a></dt><dd>c</dd><dt><a href="http://[bad/abs/2301.00003">x</a></dt><dd>d</dd><dt></dt><dd>no link</dd>`
          : name === 'huggingface'
            ? `<div><article><a href="/papers/not-an-id">x</a></article></div><div><article><a href="javascript:alert(1)//huggingface.co/papers/2301.00002">x</a></article></div><div><article><a href="https://evil.example/papers/2301.00003">x</a></article></div><div><article><h3>No link at all</h3></article></div>`
            : name === 'openreview'
              ? `<li><h4><a href="/forum?id=">x</a></h4></li><li><h4><a href="javascript:alert(1)//openreview.net/forum?id=Abcdefghij">x</a></h4></li><li><h4><a href="https://evil.example/forum?id=Abcdefghij">x</a></h4></li><li><h4>No link</h4></li>`
              : name === 'scholar'
                ? `<div class="gs_r" data-cid="!!!"><h3 class="gs_rt">No link, bad cluster id</h3></div><div class="gs_r"><h3><a href="javascript:alert(1)">x</a></h3></div><div class="gs_r" data-cid=""><h3>x</h3></div>`
                : `<div><a href="/2026.acl-long.99.bib">bib only</a></div><div><a href="/people/a/">a person</a></div><div><a href="https://evil.example/2026.acl-long.98/">elsewhere</a></div><div><a href="/volumes/2026.acl-long/">a volume</a></div>`;
      const doc = parsePage(site.page(bogus + site.card(0, '') + site.card(1, 'Has a title')), site.url);
      const cards = detectSafely(site, doc);
      expect(cards.map((c) => c.id)).toEqual([site.id(0), site.id(1)]);
      expect(cards[1].title).toBe('Has a title');
      expect(contractViolations(cards.slice(1))).toEqual([]);
    });

    it('the same paper twice: two cards with the same id, each on its own root', () => {
      const doc = parsePage(site.page(site.card(7, 'First copy') + site.card(3, 'Between') + site.card(7, 'Second copy')), site.url);
      const cards = detectSafely(site, doc);
      expect(cards.map((c) => c.id)).toEqual([site.id(7), site.id(3), site.id(7)]);
      expect(cards[0].root).not.toBe(cards[2].root);
      expect(contractViolations(cards, { uniqueIds: false })).toEqual([]);
    });

    it('10,000 cards: all found, in order, ids right', { timeout: 300_000 }, () => {
      const parts: string[] = [];
      for (let n = 0; n < 10_000; n++) parts.push(site.card(n, `Paper number ${n}`));
      const doc = parsePage(site.page(parts.join('')), site.url);
      const cards = detectSafely(site, doc);
      expect(cards).toHaveLength(10_000);
      expect(cards[9_999]).toMatchObject({ id: site.id(9_999), title: 'Paper number 9999' });
      expect(new Set(cards.map((c) => c.root)).size).toBe(10_000);
    });

    it('cards removed while detection runs: no exception, no card left behind with a wrong id', () => {
      const parts: string[] = [];
      for (let n = 0; n < 40; n++) parts.push(site.card(n, `Paper ${n}`));
      const doc = parsePage(site.page(parts.join('')), site.url);
      const roots = [...doc.querySelectorAll('[data-truth]')];
      // Reading any link of card 5 removes cards 6 to 20 and empties card 30, as a re-render would.
      const card5 = roots[5];
      for (const a of [card5, ...card5.querySelectorAll('a'), ...(name === 'arxiv' ? card5.previousElementSibling!.querySelectorAll('a') : [])]) {
        const original = a.getAttribute.bind(a);
        (a as unknown as { getAttribute: (n: string) => string | null }).getAttribute = (attr: string) => {
          for (const r of roots.slice(6, 21)) {
            if (name === 'arxiv') r.previousElementSibling?.remove();
            r.remove();
          }
          roots[30].replaceChildren();
          return original(attr);
        };
      }
      const cards = detectSafely(site, doc);
      expect(cards.every((c) => c.root.isConnected)).toBe(true);
      expect(cards.length).toBeGreaterThanOrEqual(20);
      expect(cards.length).toBeLessThanOrEqual(40);
    });

    // For the adapters that find cards one at a time (detectEach).
    if (site.adapter.detectEach) it('cards found one at a time: cards removed between two asks are not found, the rest are', () => {
      const parts: string[] = [];
      for (let n = 0; n < 40; n++) parts.push(site.card(n, `Paper ${n}`));
      const doc = parsePage(site.page(parts.join('')), site.url);
      const roots = [...doc.querySelectorAll('[data-truth]')];
      const found: DetectedCard[] = [];
      // As the content runtime does: it hands the page its main thread between slices, and the page may
      // re-render meanwhile (here, right after card 5 was found).
      for (const card of site.adapter.detectEach!(doc, new URL(site.url))) {
        found.push(card);
        if (found.length === 6) {
          for (const r of roots.slice(6, 21)) {
            if (name === 'arxiv') r.previousElementSibling?.remove();
            r.remove();
          }
        }
      }
      expect(found.map((c) => c.id)).toEqual([...roots.slice(0, 6), ...roots.slice(21)].map((r) => r.getAttribute('data-truth')));
      expect(found.every((c) => c.root.isConnected)).toBe(true);
    });

    it('a title nested 2,000 levels deep is read without blowing the stack', { timeout: 120_000 }, () => {
      const deep = `${'<span>'.repeat(2_000)}Deep title${'</span>'.repeat(2_000)}`;
      const doc = parsePage(site.page(site.card(0, deep)), site.url);
      const cards = detectSafely(site, doc);
      expect(cards).toHaveLength(1);
      expect(cards[0].title).toBe('Deep title');
    });
  });
}

describe('embedded data a page controls', () => {
  it('Hugging Face: broken, hostile or misleading hydration data never changes an id, and titles stay text', () => {
    const site = SITES.huggingface;
    const props = (o: unknown) => JSON.stringify(o).replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    const doc = parsePage(
      `<main><div class="SVELTE_HYDRATER" data-props="{not json"></div>
       <div class="SVELTE_HYDRATER" data-props="${props({ __proto__: { polluted: true }, dailyPapers: [{ paper: { id: arxivId(1), title: { toString: 1 } } }, { paper: { id: arxivId(2), title: '<img src=x onerror=alert(1)>Data title' } }, { paper: { id: 'not-an-id', title: 'Orphan' } }] })}"></div>
       <div class="grid">${site.card(1, 'Markup title 1')}${site.card(2, 'Markup title 2')}</div></main>`,
      site.url,
    );
    const cards = detectSafely(site, doc);
    expect(cards.map((c) => c.id)).toEqual([site.id(1), site.id(2)]);
    expect(cards[0].title).toBe('Markup title 1'); // the data's title was not a string
    expect(cards[1].title).toBe('<img src=x onerror=alert(1)>Data title'); // text, as the page shows it
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('card details read on first access', () => {
  it('are read once, when asked, and a failing read gives an empty card, never an exception', () => {
    const doc = parsePage(SITES.arxiv.page(SITES.arxiv.card(0, 'First') + SITES.arxiv.card(1, 'Second')), SITES.arxiv.url);
    const cards = arxivAdapter.detect(doc, new URL(SITES.arxiv.url));
    // Changing the page after detection but before the first read: the card reads the page as it is then...
    cards[0].root.querySelector('.list-title')!.textContent = 'Changed';
    expect(cards[0].title).toBe('Changed');
    // ...and keeps what it read.
    cards[0].root.querySelector('.list-title')!.textContent = 'Changed again';
    expect(cards[0].title).toBe('Changed');
    // A root whose contents make reading fail (a hostile getter) still keeps its id and gives no exception.
    Object.defineProperty(cards[1].root, 'querySelector', { value: () => { throw new Error('hostile'); } });
    expect(() => cards[1].title).not.toThrow();
    expect(cards[1]).toMatchObject({ id: SITES.arxiv.id(1), title: '', authors: [], links: {} });
  });
});
