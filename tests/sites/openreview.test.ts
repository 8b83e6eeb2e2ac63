import { describe, expect, it } from 'vitest';
import { openreviewAdapter as or } from '@/lib/sites/openreview';
import { contractViolations, describeTable } from './contract';
import { loadFixture, loadHandmade, parsePage } from './load';

describeTable('openreview', or);

const GROUP_2017 = ['openreview/group_ICLR.cc-2018-Conference_2017-12_browser-saved.html', 'https://openreview.net/group?id=ICLR.cc/2018/Conference'] as const;

function detect(doc: Document, url: string) {
  return or.detect(doc, new URL(url));
}

describe('OpenReview venue page, 2017 jQuery UI (ICLR 2018)', () => {
  const [file, url] = GROUP_2017;
  const doc = loadFixture(file, url);
  const cards = detect(doc, url);

  it('finds the 980 submitted and 16 withdrawn papers, each on its li.note with its own data-id', { timeout: 60_000 }, () => {
    expect(cards.filter((c) => c.root.closest('#all-submitted-papers'))).toHaveLength(980);
    expect(cards.filter((c) => c.root.closest('#withdrawn-papers'))).toHaveLength(16);
    expect(cards.map((c) => c.id)).toEqual([...doc.querySelectorAll('li.note[data-id]')].map((li) => `openreview:${li.getAttribute('data-id')}`));
    expect(cards.every((c) => c.root.matches('li.note') && !c.root.matches('.invitation-link'))).toBe(true);
  });

  it('reads titles (TeX kept), authors (blind ones empty) and abstracts', () => {
    const mach = cards.find((c) => c.id === 'openreview:r1RQdCg0W')!;
    expect(mach.title).toBe('MACH: Embarrassingly parallel $K$-class classification in $O(d\\log{K})$ memory and $O(K\\log{K} + d\\log{K})$ time, instead of $O(Kd)$');
    expect(cards.find((c) => c.id === 'openreview:HyyHX4gZM')!.authors).toEqual(['Davi Geiger', 'Zvi Kedem']);
    expect(cards[0].authors).toEqual([]);
    expect(cards.filter((c) => c.authors.length)).toHaveLength(16);
    expect(cards[0].abstract).toMatch(/^Training Artificial Neural Networks to generate better images is a hard problem to solve/);
    expect(cards.filter((c) => c.abstract).length).toBeGreaterThan(990);
  });

  it('observes the notes container only', () => {
    expect(or.observeRoot!(doc)).toBe(doc.querySelector('#notes'));
  });

  it('links the forum and the PDF, mounts after the title heading', () => {
    expect(cards[0].links).toEqual({ openreview: 'https://openreview.net/forum?id=SyBPtQfAZ', pdf: 'https://openreview.net/pdf?id=SyBPtQfAZ' });
    expect(cards.every((c) => c.mount.anchor.tagName === 'H4' && c.mount.position === 'afterend')).toBe(true);
    expect(or.isListing(new URL(url))).toBe(true);
  });
});

describe("OpenReview, today's React UI (hand-made)", () => {
  it('venue page: cards from forum links (no data-id), reply links are not cards', () => {
    const url = 'https://openreview.net/group?id=ICLR.cc/2025/Conference#tab-accept-oral';
    const cards = detect(loadHandmade('openreview-venue-react.html', url), url);
    expect(cards.every((c) => c.root.tagName === 'LI' && c.root.closest('#accept-oral'))).toBe(true);
    expect(cards[0].authors).toEqual(['Lvmin Zhang', 'Anyi Rao', 'Maneesh Agrawala']);
    expect(cards[3].authors).toEqual([]);
    expect(cards[2].title).toBe('MACH: Embarrassingly parallel $K$-class classification in $O(d\\log{K})$ memory');
    expect(cards[4].abstract).toMatch(/^Language Model \(LM\) agents for cybersecurity/);
    expect(cards[1].links.pdf).toBe('https://openreview.net/pdf?id=3Hy00Wvabi');
  });

  it('forum page: the paper note only, with authors, abstract and PDF', () => {
    const url = 'https://openreview.net/forum?id=odjMSBSWRt';
    const doc = loadHandmade('openreview-forum-react.html', url);
    const cards = detect(doc, url);
    expect(cards).toHaveLength(1);
    expect(cards[0].root).toBe(doc.querySelector('.forum-note'));
    expect(cards[0].mount).toEqual({ anchor: doc.querySelector('h2.citation_title'), position: 'afterend' });
    expect(cards[0].authors).toEqual(['Lvmin Zhang', 'Anyi Rao', 'Maneesh Agrawala']);
    expect(cards[0].abstract).toBe('Diffusion-based image generators are becoming unique methods for illumination harmonization and editing.');
    expect(cards[0].links.pdf).toBe('https://openreview.net/pdf?id=odjMSBSWRt');
    expect(or.isListing(new URL(url))).toBe(false);
    expect(or.expectsCards(new URL(url), doc)).toBe(true);
  });

  it('a forum link to another host, or without a usable id, is never a card', () => {
    const url = 'https://openreview.net/group?id=X';
    const doc = parsePage(
      `<main id="content"><ul>
        <li><h4><a href="https://evil.example/forum?id=abcdefghij">Elsewhere</a></h4></li>
        <li><h4><a href="/forum?id=">Empty</a></h4></li>
        <li><h4><a href="/forum?id=a%20b%3Cc">Bad characters</a></h4></li>
        <li><h4><a href="/forum?id=GoodId1234">Good</a></h4></li></ul></main>`,
      url,
    );
    const cards = detect(doc, url);
    expect(cards.map((c) => c.id)).toEqual(['openreview:GoodId1234']);
    expect(contractViolations(cards)).toEqual([]);
  });
});

describe('OpenReview: which pages must show cards', () => {
  it('a group listing venues (no submissions) expects none; a forum page without an id expects none', { timeout: 60_000 }, () => {
    const venues = parsePage('<main id="content"><ul><li><a href="/group?id=ICLR.cc/2025/Conference">2025</a></li></ul></main>', 'https://openreview.net/group?id=ICLR.cc');
    expect(or.expectsCards(new URL('https://openreview.net/group?id=ICLR.cc'), venues)).toBe(false);
    expect(or.detect(venues, new URL('https://openreview.net/group?id=ICLR.cc'))).toEqual([]);
    expect(or.expectsCards(new URL('https://openreview.net/forum'), venues)).toBe(false);
    const [file, url] = GROUP_2017;
    expect(or.expectsCards(new URL(url), loadFixture(file, url))).toBe(true);
  });
});
