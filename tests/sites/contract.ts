/**
 * What every adapter owes every page, checked the same way for all sites: the table's count, ids and
 * titles, and the adapter contract (canonical unique ids, one root per card, controls never inside a
 * link and inside the card, detection repeatable once our controls are in the page).
 */
import { describe, expect, it } from 'vitest';
import { isCanonicalId } from '@/lib/ids';
import { adapterFor } from '@/lib/sites/registry';
import type { DetectedCard, SiteAdapter } from '@/lib/sites/types';
import { FIXTURE_PAGES, HANDMADE_PAGES, type PageExpectation } from './fixture-expectations';
import { loadExpected } from './load';

/** The element our controls would be inserted into. */
export function mountParent(card: DetectedCard): Element | null {
  const { anchor, position } = card.mount;
  return position === 'beforebegin' || position === 'afterend' ? anchor.parentElement : anchor;
}

/** Everything a card list must satisfy on any page, as readable failures (empty when all hold). */
export function contractViolations(cards: DetectedCard[], opts: { uniqueIds?: boolean; mountInRoot?: boolean } = {}): string[] {
  const out: string[] = [];
  const roots = new Set<Element>();
  const ids = new Set<string>();
  for (const [i, c] of cards.entries()) {
    if (!isCanonicalId(c.id)) out.push(`card ${i}: id ${c.id} is not canonical`);
    for (const a of c.aliases) if (!isCanonicalId(a) || a === c.id) out.push(`card ${i}: bad alias ${a}`);
    if (roots.has(c.root)) out.push(`card ${i}: root shared with another card`);
    roots.add(c.root);
    if (opts.uniqueIds !== false && ids.has(c.id)) out.push(`card ${i}: duplicate id ${c.id}`);
    ids.add(c.id);
    const parent = mountParent(c);
    if (!parent) out.push(`card ${i}: mount has no parent`);
    else {
      if (parent.closest('a')) out.push(`card ${i}: controls would sit inside a link`);
      // Inside the card; an arXiv listing entry is a dt + dd pair whose dd is the root: its dt counts.
      const head = c.root.tagName === 'DD' ? c.root.previousElementSibling : null;
      const inCard = parent === c.root || c.root.contains(parent) || (head?.tagName === 'DT' && (parent === head || head.contains(parent)));
      if (opts.mountInRoot !== false && !inCard) out.push(`card ${i}: controls outside the card`);
    }
    if (c.title !== c.title.trim() || /\s{2}/.test(c.title)) out.push(`card ${i}: title not clean: ${JSON.stringify(c.title)}`);
    if (/^Title:/.test(c.title)) out.push(`card ${i}: title keeps its descriptor`);
    for (const l of Object.values(c.links)) if (l && !/^https?:\/\//.test(l)) out.push(`card ${i}: link ${l}`);
  }
  return out;
}

/**
 * Insert a stand-in for our controls at each card's mount point, as the content runtime does (a span
 * marked data-margins-ui; ours has its text in a shadow root, the stand-in in plain sight, which is
 * harder). Returns the function that removes them again.
 */
export function mountStandIns(cards: DetectedCard[]): () => void {
  const hosts: Element[] = [];
  for (const c of cards) {
    const host = c.root.ownerDocument.createElement('span');
    host.setAttribute('data-margins-ui', '');
    host.textContent = '★ tag note';
    c.mount.anchor.insertAdjacentElement(c.mount.position, host);
    hosts.push(host);
  }
  return () => {
    for (const h of hosts) h.remove();
  };
}

export function pagesOf(site: string): { page: PageExpectation; handmade: boolean }[] {
  return [
    ...FIXTURE_PAGES.filter((p) => p.site === site).map((page) => ({ page, handmade: false })),
    ...HANDMADE_PAGES.filter((p) => p.site === site).map((page) => ({ page, handmade: true })),
  ];
}

/** The standard table-driven tests for one site's pages. */
export function describeTable(site: string, adapter: SiteAdapter): void {
  describe(`${site}: every page in the expectation table`, () => {
    for (const { page, handmade } of pagesOf(site)) {
      it(`${handmade ? 'hand-made ' : ''}${page.file}: ${page.count} cards, ids, titles`, () => {
        const url = new URL(page.url);
        const doc = loadExpected(page, handmade);
        expect(adapterFor(url)?.name).toBe(adapter.name);
        expect(adapter.serves(url)).toBe(true);
        const cards = adapter.detect(doc, url);
        expect(cards).toHaveLength(page.count);
        const ids = cards.map((c) => c.id);
        for (const id of page.someIds) expect(ids).toContain(id);
        expect(contractViolations(cards)).toEqual([]);
        expect(cards[0]?.title ?? null).toBe(page.firstTitle);
        expect(cards.at(-1)?.title ?? null).toBe(page.lastTitle);
        expect(cards.every((c) => c.title.length > 0)).toBe(true);
        expect(adapter.expectsCards(url, doc)).toBe(page.count > 0);
        if (adapter.detectEach) {
          // Found one at a time, the same cards in the same order.
          const each = [...adapter.detectEach(doc, url)];
          expect(each.map((c) => c.id)).toEqual(ids);
          expect(each.every((c, i) => c.root === cards[i].root && c.title === cards[i].title)).toBe(true);
        }

        // With our controls in the page, detection finds the same cards again (a rescan adds nothing).
        const unmount = mountStandIns(cards);
        try {
          const again = adapter.detect(doc, url);
          expect(again.map((c) => c.id)).toEqual(ids);
          expect(again.every((c, i) => c.root === cards[i].root && c.title === cards[i].title)).toBe(true);
        } finally {
          unmount();
        }
      }, 120_000);
    }
  });
}
