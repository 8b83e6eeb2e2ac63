import { describe, expect, it } from 'vitest';
import { clusterFromCid, scholarAdapter as scholar } from '@/lib/sites/scholar';
import { contractViolations, describeTable } from './contract';
import { loadFixture, loadHandmade, parsePage } from './load';

describeTable('scholar', scholar);

const SEARCH = [
  'scholar/search_game-theory-software-engineering_2022-12.html',
  'https://scholar.google.com/scholar?as_ylo=2017&as_yhi=2022&q=%22game+theory%22+%22software+engineering%22&hl=en&as_sdt=0,5',
] as const;
const cluster = (n: string) => `url:https://scholar.google.com/scholar?cluster=${n}`;

function detect(doc: Document, url: string) {
  return scholar.detect(doc, new URL(url));
}

describe('Google Scholar results, 2022-12 capture', () => {
  const [file, url] = SEARCH;
  const doc = loadFixture(file, url);
  const cards = detect(doc, url);

  it('identifies each result by a DOI in its links, else by its own URL', () => {
    expect(cards.map((c) => c.id)).toEqual([
      'url:https://ieeexplore.ieee.org/abstract/document/8852726',
      'url:https://ieeexplore.ieee.org/abstract/document/9402242',
      'url:https://ieeexplore.ieee.org/abstract/document/7884627',
      'url:https://www.sciencedirect.com/science/article/pii/S0164121219301980',
      'doi:10.1007/s10664-020-09859-y',
      'doi:10.1145/3378936.3378952',
      'url:https://www.researchgate.net/profile/Marziyeh-Bahrami/publication/340926139_Heart_Attack_Detection_in_Internet_of_Things_Modeling_with_Health_Markov_Game_Theory/links/5ea4a6d192851c1a906f2fe0/Heart-Attack-Detection-in-Internet-of-Things-Modeling-with-Health-Markov-Game-Theory.pdf',
      'url:https://www.iaras.org/iaras/home/cijc/an-overview-of-crowdsourcing-concepts-in-software-engineering',
      'url:https://www.sciencedirect.com/science/article/pii/S1877050919307252',
      'url:https://www.researchgate.net/profile/Sebastian-Lawrenz-2/publication/354380920_Community_Driven_Design_in_Software_Engineering/links/6135d2af0360302a00819d70/Community-Driven-Design-in-Software-Engineering.pdf',
    ]);
    expect(cards.map((c) => c.root)).toEqual([...doc.querySelectorAll('#gs_res_ccl_mid > .gs_r[data-cid]')]);
  });

  it("keeps Scholar's cluster as an alias: data-cid decodes to the cluster its footer links name", () => {
    expect(clusterFromCid('kITI6U4GqEMJ')).toBe('4875153532628010128');
    for (const c of cards) {
      const fromCid = clusterFromCid(c.root.getAttribute('data-cid')!)!;
      expect(c.aliases).toEqual([cluster(fromCid)]);
      const versions = c.root.querySelector('a[href*="cluster="]');
      if (versions) expect(new URL(versions.getAttribute('href')!).searchParams.get('cluster')).toBe(fromCid);
    }
  });

  it('reads titles without [PDF] badges, authors from the byline, the side PDF link', () => {
    expect(cards[6].title).toBe('Heart attack detection in internet of things: modeling with health markov game theory');
    expect(cards[0].authors).toEqual(['C Gavidia-Calderon', 'F Sarro']);
    expect(cards[4].authors).toEqual(['F Feyzi']);
    expect(cards[2].authors).toEqual(['T Dal Sasso', 'A Mocci', 'M Lanza']);
    expect(cards[0].links.pdf).toBe('https://discovery.ucl.ac.uk/id/eprint/10084763/1/priority_inflation.pdf');
    expect(cards[4].links.doi).toBe('https://doi.org/10.1007/s10664-020-09859-y');
    expect(cards.every((c) => c.mount.anchor.tagName === 'H3' && c.mount.position === 'afterend')).toBe(true);
    expect(cards.some((c) => c.abstract)).toBe(false); // snippets are not abstracts
  });
});

describe('Google Scholar results, edge cases (hand-made)', () => {
  const url = 'https://scholar.google.com/scholar?hl=en&q=attention';
  const cards = detect(loadHandmade('scholar-results-edge.html', url), url);

  it('a result linking arXiv gets the arXiv id; an arXiv PDF beside a publisher link too', () => {
    expect(cards[0]).toMatchObject({ id: 'arxiv:1706.03762', aliases: [cluster('2960712678066186980')], title: 'Attention is all you need' });
    expect(cards[1].id).toBe('arxiv:1810.04805');
    expect(cards[1].aliases).toEqual(['url:https://proceedings.neurips.cc/paper/2019/hash/abc.html', cluster('11549838496823449015')]);
    expect(cards[1].links.abs).toBe('https://arxiv.org/abs/1810.04805');
  });

  it('a [CITATION] result with no title link is known by its cluster; one with no identity at all gets no card', () => {
    expect(cards[2]).toMatchObject({ id: cluster('1298287011376404396'), aliases: [], title: 'Deep learning: a citation-only entry' });
    expect(cards).toHaveLength(6);
    expect(cards.some((c) => c.title.includes('no identity'))).toBe(false);
  });

  it('a DOI in a publisher URL, a book, an Anthology page', () => {
    expect(cards[3].id).toBe('doi:10.1002/widm.1249');
    expect(cards[4]).toMatchObject({ id: 'url:https://books.google.com/books?hl=en&id=omivDQAAQBAJ&lr=&oi=fnd&pg=PR5', title: 'Deep learning' });
    expect(cards[5].id).toBe('acl:N19-1423');
    expect(contractViolations(cards)).toEqual([]);
  });
});

describe('Google Scholar author profile (hand-made)', () => {
  const url = 'https://scholar.google.com/citations?user=JicYPdAAAAAJ&hl=en';
  const doc = loadHandmade('scholar-profile.html', url);
  const cards = detect(doc, url);

  it('one card per row, by the citation view it links (href or data-href), whatever the hl= or user=', () => {
    expect(cards.map((c) => c.root)).toEqual([...doc.querySelectorAll('tr.gsc_a_tr')]);
    expect(cards[0].id).toBe('url:https://scholar.google.com/citations?citation_for_view=JicYPdAAAAAJ%3Au5HHmVD_uO8C&view_op=view_citation');
    expect(cards[1].id).toBe('url:https://scholar.google.com/citations?citation_for_view=JicYPdAAAAAJ%3A2osOgNQ5qMEC&view_op=view_citation');
    expect(cards[0].mount).toEqual({ anchor: doc.querySelector('a.gsc_a_at'), position: 'afterend' });
  });

  it('the cluster of "Cited by" is an alias, the same one a result page gives the same work; merged or uncited rows have none', () => {
    expect(cards[1].aliases).toEqual([cluster('1298287011376404396')]);
    const results = detect(loadHandmade('scholar-results-edge.html', 'https://scholar.google.com/scholar?hl=en&q=attention'), 'https://scholar.google.com/scholar?hl=en&q=attention');
    expect(results[2].id).toBe(cards[1].aliases[0]);
    expect(cards[2].aliases).toEqual([]);
    expect(cards[3].aliases).toEqual([]);
  });

  it('reads authors from the grey line', () => {
    expect(cards[0].authors).toEqual(['A Krizhevsky', 'I Sutskever', 'GE Hinton']);
    expect(cards[3].authors).toEqual(['L van der Maaten', 'G Hinton']);
  });

  it('"Show more" appending rows: all found, the first unchanged', () => {
    const fresh = loadHandmade('scholar-profile.html', url);
    const before = detect(fresh, url);
    const tbody = fresh.querySelector('#gsc_a_b')!;
    for (let i = 0; i < 100; i++) {
      const row = tbody.querySelector('tr')!.cloneNode(true) as Element;
      row.querySelector('a.gsc_a_at')!.setAttribute('href', `/citations?view_op=view_citation&hl=en&user=JicYPdAAAAAJ&citation_for_view=JicYPdAAAAAJ:key${i}`);
      row.querySelector('a.gsc_a_at')!.textContent = `Appended ${i}`;
      tbody.append(row);
    }
    const after = detect(fresh, url);
    expect(after).toHaveLength(104);
    expect(after.slice(0, 4).map((c) => c.root)).toEqual(before.map((c) => c.root));
    expect(after.at(-1)!.title).toBe('Appended 99');
    expect(scholar.observeRoot!(fresh)).toBe(tbody);
  });
});

describe('Google Scholar: which pages are served and must show cards', () => {
  const blank = parsePage('<div id="gs_res_ccl_mid"></div>', 'https://scholar.google.com/');
  it('results and profile lists, on any Scholar host', () => {
    for (const u of ['https://scholar.google.com/scholar?q=x', 'https://scholar.google.de/scholar?q=x&hl=de', 'https://scholar.google.com/scholar?cites=123', 'https://scholar.google.com/citations?user=abc&hl=en']) {
      expect(scholar.serves(new URL(u)), u).toBe(true);
      expect(scholar.isListing(new URL(u)), u).toBe(true);
      expect(scholar.expectsCards(new URL(u), blank), u).toBe(true);
    }
    for (const u of ['https://scholar.google.com/', 'https://scholar.google.com/scholar', 'https://scholar.google.com/citations?view_op=view_citation&citation_for_view=a:b']) {
      expect(scholar.expectsCards(new URL(u), blank), u).toBe(false);
      expect(scholar.isListing(new URL(u)), u).toBe(false);
    }
    expect(scholar.serves(new URL('https://www.google.com/scholar?q=x'))).toBe(false);
    expect(scholar.serves(new URL('https://scholar.google.com.evil.example/scholar?q=x'))).toBe(false);
  });

  it('no results, an empty profile, the robot check: not reported as broken', () => {
    const url = new URL('https://scholar.google.com/scholar?q=zzzz');
    expect(scholar.expectsCards(url, parsePage('<div id="gs_res_ccl_mid"><p>Your search - <b>zzzz</b> - did not match any articles.</p></div>', url.href))).toBe(false);
    expect(scholar.expectsCards(url, parsePage('<div id="gs_captcha_ccl"><form id="captcha-form"></form></div>', url.href))).toBe(false);
    const profile = new URL('https://scholar.google.com/citations?user=abc');
    expect(scholar.expectsCards(profile, parsePage('<table id="gsc_a_t"><tbody id="gsc_a_b"><tr><td class="gsc_a_e">There are no articles in this profile.</td></tr></tbody></table>', profile.href))).toBe(false);
  });
});
