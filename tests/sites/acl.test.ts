import { describe, expect, it } from 'vitest';
import { aclAdapter as acl } from '@/lib/sites/acl';
import { describeTable } from './contract';
import { loadFixture, loadHandmade, parsePage } from './load';

describeTable('acl', acl);

function detect(doc: Document, url: string) {
  return acl.detect(doc, new URL(url));
}

describe('ACL Anthology author page, 2023 layout', () => {
  const url = 'https://aclanthology.org/people/a/andreas-madsack/';
  const doc = loadFixture('acl/author_andreas-madsack_2023-01.html', url);
  const cards = detect(doc, url);

  it('one card per entry, rooted on the entry, ids from the title links', () => {
    expect(cards.map((c) => c.root)).toEqual([...doc.querySelectorAll('p.d-sm-flex')]);
    expect(cards.map((c) => c.id)).toEqual(['acl:2022.in2writing-1.1', 'acl:W19-4201', 'acl:K18-3004', 'acl:W18-3607', 'acl:W18-6560', 'acl:W17-3524']);
  });

  it('reads titles (fixed-case spans kept as text), authors, and the abstract the badge opens', () => {
    expect(cards[1].title).toBe('AX Semantics’ Submission to the SIGMORPHON 2019 Shared Task');
    expect(cards[0].authors).toEqual(['Adela Schneider', 'Andreas Madsack', 'Johanna Heininger', 'Ching-Yi Chen', 'Robert Weißgraeber']);
    expect(cards[0].abstract).toMatch(/^Today, data-to-text systems are used as commercial solutions/);
    expect(cards[1].abstract).toMatch(/^This paper describes the AX Semantics’ submission to the SIGMORPHON 2019 shared task/);
    expect(cards[2].abstract).toBeUndefined(); // K18-3004 has none
    expect(cards.filter((c) => c.abstract)).toHaveLength(5);
  });

  it('mounts after the bold title, links the page and the PDF', () => {
    expect(cards[0].mount).toEqual({ anchor: cards[0].root.querySelector('strong'), position: 'afterend' });
    expect(cards[0].links).toEqual({ acl: 'https://aclanthology.org/2022.in2writing-1.1/', pdf: 'https://aclanthology.org/2022.in2writing-1.1.pdf' });
    expect(acl.isListing(new URL(url))).toBe(true);
  });
});

describe('ACL Anthology paper pages', () => {
  it('2021.naacl-main.208: id, DOI alias, authors as shown, abstract', () => {
    const url = 'https://aclanthology.org/2021.naacl-main.208/';
    const doc = loadFixture('acl/papis_ACL_2021.naacl-main.208.html', url);
    const [card] = detect(doc, url);
    expect(card.id).toBe('acl:2021.naacl-main.208');
    expect(card.aliases).toEqual(['doi:10.18653/v1/2021.naacl-main.208']);
    expect(card.authors).toEqual(['Teven Le Scao', 'Alexander Rush']);
    expect(card.abstract).toMatch(/^When fine-tuning pretrained models for classification, researchers either use a generic model head/);
    expect(card.abstract).not.toMatch(/^Abstract/);
    expect(card.links).toEqual({
      acl: 'https://aclanthology.org/2021.naacl-main.208/',
      pdf: 'https://aclanthology.org/2021.naacl-main.208.pdf',
      doi: 'https://doi.org/10.18653/v1/2021.naacl-main.208',
    });
    expect(card.root).toBe(doc.querySelector('#title')!.parentElement);
    expect(card.mount).toEqual({ anchor: doc.querySelector('#title'), position: 'afterend' });
    expect(acl.isListing(new URL(url))).toBe(false);
  });

  it('N04-1001: no DOI, no abstract, old-style id, with or without the trailing slash', () => {
    for (const url of ['https://aclanthology.org/N04-1001/', 'https://aclanthology.org/N04-1001']) {
      const [card] = detect(loadFixture('acl/papis_ACL_N04-1001_2023-09.html', url), url);
      expect(card).toMatchObject({ id: 'acl:N04-1001', aliases: [] });
      expect(card.abstract).toBeUndefined();
      expect(card.authors).toEqual(['R. Florian', 'H. Hassan', 'A. Ittycheriah', 'H. Jing', 'N. Kambhatla', 'X. Luo', 'N. Nicolov', 'S. Roukos']);
    }
  });

  it('2026 redesign: h1 title in an article, DOI alias from the metas, authors not the editors', () => {
    const url = 'https://aclanthology.org/2026.acl-long.12/';
    const doc = loadHandmade('acl-paper-2026.html', url);
    const [card] = detect(doc, url);
    expect(card.aliases).toEqual(['doi:10.18653/v1/2026.acl-long.12']);
    expect(card.authors).toEqual(['Jane Doe', 'John Roe']);
    expect(card.abstract).toBe('We show that how numbers are split into tokens decides whether models can add them.');
    expect(card.root.tagName).toBe('ARTICLE');
    expect(card.mount).toEqual({ anchor: doc.querySelector('h1'), position: 'afterend' });
  });
});

describe('ACL Anthology listings, hand-made', () => {
  it('2026 author page: cards are the list items, a lone paper under its year heading included, abstracts via data-bs-target', () => {
    const url = 'https://aclanthology.org/people/jane-doe/';
    const cards = detect(loadHandmade('acl-author-2026.html', url), url);
    for (const c of cards) expect(c.root.getAttribute('data-test-card')).toBe(c.id.slice('acl:'.length));
    expect(cards[0].abstract).toBe('We show that how numbers are split into tokens decides whether models can add them.');
    expect(cards[1].abstract).toBeUndefined();
    expect(cards[2].authors).toEqual(['Ada Lee', 'Jane Doe']);
    expect(cards[0].mount.anchor.tagName).toBe('H3');
  });

  it('2026 volume page: div cards, front matter first, absolute links, abstract inside the card', () => {
    const url = 'https://aclanthology.org/volumes/2026.acl-long/';
    const cards = detect(loadHandmade('acl-volume-2026.html', url), url);
    for (const c of cards) expect(c.root.getAttribute('data-test-card')).toBe(c.id.slice('acl:'.length));
    expect(cards[1]).toMatchObject({ title: 'Scaling Laws for Multilingual Speech Models', authors: ['Ana Silva', 'Li Wei'], abstract: 'We fit scaling laws across 120 languages.' });
    expect(cards[2].authors).toEqual(['Omar Haddad']);
  });

  it('2023 volume and event pages: the volume headings and contents are not cards', () => {
    const vol = 'https://aclanthology.org/volumes/2022.in2writing-1/';
    const volCards = detect(loadHandmade('acl-volume-2023.html', vol), vol);
    expect(volCards[0].authors).toEqual(["Ting-Hao 'Kenneth' Huang", 'Vipul Raheja', 'Dongyeop Kang']);
    expect(volCards[1].abstract).toBe('Today, data-to-text systems are used as commercial solutions for automated text production.');
    expect(volCards.every((c) => c.root.matches('p.d-sm-flex'))).toBe(true);
    const ev = 'https://aclanthology.org/events/in2writing-2022/';
    const evCards = detect(loadHandmade('acl-event-2023.html', ev), ev);
    expect(evCards.every((c) => c.root.matches('p.d-sm-flex'))).toBe(true);
  });

  it('the same entries without their 2023 classes are still found, each on its own entry', () => {
    const url = 'https://aclanthology.org/people/a/andreas-madsack/';
    const doc = loadFixture('acl/author_andreas-madsack_2023-01.html', url, { fresh: true });
    for (const el of doc.querySelectorAll('[class]')) el.removeAttribute('class');
    const cards = detect(doc, url);
    expect(cards.map((c) => c.id)).toEqual(['acl:2022.in2writing-1.1', 'acl:W19-4201', 'acl:K18-3004', 'acl:W18-3607', 'acl:W18-6560', 'acl:W17-3524']);
    expect(cards.every((c) => c.root.tagName === 'P')).toBe(true);
    expect(cards[0].abstract).toMatch(/^Today, data-to-text systems/);
  });
});

describe('ACL Anthology: which pages are served and must show cards', () => {
  const blank = parsePage('<section id="main"></section>', 'https://aclanthology.org/');
  it('listings are people, volumes and events; a paper page is not a listing; other pages expect nothing', () => {
    for (const u of ['https://aclanthology.org/people/a/andreas-madsack/', 'https://aclanthology.org/volumes/2022.acl-long/', 'https://aclanthology.org/events/acl-2022/']) {
      expect(acl.isListing(new URL(u)), u).toBe(true);
      expect(acl.expectsCards(new URL(u), blank), u).toBe(true);
    }
    expect(acl.expectsCards(new URL('https://aclanthology.org/2021.naacl-main.208/'), blank)).toBe(true);
    for (const u of ['https://aclanthology.org/', 'https://aclanthology.org/venues/acl/', 'https://aclanthology.org/faq/', 'https://aclanthology.org/2021.naacl-main.208.pdf']) {
      expect(acl.expectsCards(new URL(u), blank), u).toBe(false);
      expect(acl.detect(blank, new URL(u)), u).toEqual([]);
    }
    expect(acl.serves(new URL('https://aclanthology.org/'))).toBe(true);
    expect(acl.serves(new URL('https://aclanthology.org.evil.example/'))).toBe(false);
  });
});
