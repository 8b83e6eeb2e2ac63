/**
 * Issue 3, end to end: every saved page of ../shared/fixtures and every hand-made page, served at its real
 * address in Chromium with the built extension: the right `data-margins-id` on each card root, exactly one
 * set of controls per card, the right titles in the popup, and the popup's health message. Then a page that
 * rebuilds itself (Svelte-like re-render, client-side navigation, "load more") and cross-site identity.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigArxivListing } from '../bench/content.bench';
import { FIXTURE_PAGES, HANDMADE_PAGES, type PageExpectation } from '../sites/fixture-expectations';
import { type ExtensionBrowser, cardRoots, fixturePath, launchExtension, revealCard, scrollThrough, waitForCards } from './harness';

const handmade = (file: string) => path.join(import.meta.dirname, '../sites/pages', file);

/** Every card root holds (or is next to, for arXiv's dt/dd pairs) exactly one controls host of its id. */
function controlsPerRoot(page: Page) {
  return page.$$eval('[data-margins-id]', (roots) =>
    roots.map((root) => {
      const id = root.getAttribute('data-margins-id')!;
      const scope = root.tagName === 'DD' && root.previousElementSibling?.tagName === 'DT' ? [root, root.previousElementSibling] : [root];
      return scope.reduce((n, el) => n + el.querySelectorAll(`[data-margins-for="${CSS.escape(id)}"]`).length, 0);
    }),
  );
}

async function checkPage(b: ExtensionBrowser, p: PageExpectation, body: string | Buffer) {
  b.serve(p.url, { body });
  const page = await b.open(p.url, { waitForCards: p.count > 0 });
  if (p.count > 0) await waitForCards(page, p.count);
  else await page.waitForTimeout(500);
  const roots = await cardRoots(page);
  expect(roots.length).toBe(p.count);
  const ids = roots.map((r) => r.id);
  for (const id of p.someIds) expect(ids).toContain(id);

  // One set of controls per card, once the reader has scrolled past every card.
  await scrollThrough(page);
  const perRoot = await controlsPerRoot(page);
  expect(perRoot.filter((n) => n !== 1)).toEqual([]);

  // The popup shows the page's papers with clean titles, or says why there are none.
  const popup = await b.popupFor(page);
  if (p.count > 0) {
    await expect.poll(() => popup.locator('li.paper-row').count(), { timeout: 20_000 }).toBe(new Set(ids).size);
    const titles = await popup.locator('li.paper-row .paper-title').allTextContents();
    if (p.firstTitle) expect(titles[0]).toBe(p.firstTitle);
    if (p.lastTitle) expect(titles.at(-1)).toBe(p.lastTitle);
  } else {
    await expect.poll(() => popup.locator('.notice').textContent()).toMatch(/No papers on this page/);
  }
  await popup.close();
  await page.close();
}

describe('every card on the real pages', () => {
  let b: ExtensionBrowser;
  beforeAll(async () => {
    b = await launchExtension();
  });
  afterAll(async () => {
    await b?.close();
  });

  it.each(FIXTURE_PAGES.map((p) => [p.file, p] as const))('saved page %s', async (_file, p) => {
    await checkPage(b, p, readFileSync(fixturePath(p.file)));
  });

  it.each(HANDMADE_PAGES.map((p) => [p.file, p] as const))('hand-made page %s', async (_file, p) => {
    await checkPage(b, p, readFileSync(handmade(p.file)));
  });

  it('warns in the popup when a listing that must have cards shows none, and leaves the page untouched', async () => {
    const url = 'https://arxiv.org/list/cs.LG/recent';
    // A listing after a redesign we have never seen: entries without /abs/ links.
    const html = '<!doctype html><title>cs.LG recent</title><div id="dlpage"><h1>Machine Learning</h1><ul class="new-entries"><li class="entry"><h3>Some paper</h3></li></ul></div>';
    b.serve(url, html);
    const page = await b.open(url, { waitForCards: false });
    await page.waitForTimeout(500);
    const before = await page.evaluate(() => document.body.innerHTML);
    const popup = await b.popupFor(page);
    await expect.poll(() => popup.locator('.notice').textContent()).toMatch(/found no papers on this arXiv page.*site may have changed/);
    expect(await page.evaluate(() => document.body.innerHTML)).toBe(before);
    await popup.close();
  });

  it.each([
    ['a wheel step', (page: Page) => page.mouse.wheel(0, 100)],
    ['the pointer moving over the page', (page: Page) => page.mouse.move(400, 400)],
  ] as const)('while a page loads, controls only for the cards in view; from the first move (%s) on, a thousand pixels ahead', async (what, move) => {
    // The saved Hugging Face daily list: its first card starts below the fold of the harness's window.
    const url = `https://huggingface.co/papers?date=2024-08-01&lookahead=${encodeURIComponent(what)}`;
    b.serveFixture(url, 'huggingface/daily-papers-2024-08-01-raw.html');
    const page = await b.open(url);
    await waitForCards(page, 13);
    const tops = () => page.$$eval('[data-margins-id]', (els) => els.map((el) => el.getBoundingClientRect().top - innerHeight));
    expect(Math.min(...(await tops()))).toBeGreaterThan(0);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 100)))));
    // Nothing to see yet, so nothing built: no controls, and no stylesheet of ours in the page.
    expect(await page.$$eval('[data-margins-for]', (h) => h.length)).toBe(0);
    expect(await page.$$eval('style[data-margins-ui]', (s) => s.length)).toBe(0);
    // The reader starts moving about: the first cards' controls are there before the cards come into view.
    await move(page);
    await expect.poll(() => page.$$eval('[data-margins-for]', (h) => h.length)).toBeGreaterThan(0);
    const firstHost = page.locator('[data-margins-for]').first();
    expect(await firstHost.getAttribute('data-margins-for')).toBe((await cardRoots(page))[0].id);
    expect(await firstHost.evaluate((el) => el.getBoundingClientRect().top > innerHeight)).toBe(true);
    await page.close();
  });

  /**
   * The 2,000-entry listing (entries built from the saved page's first day, and that page's other days as
   * they were), served at `url` and opened until every card is marked.
   */
  async function openBigListing(url: string): Promise<Page> {
    const html = bigArxivListing();
    b.serve(url, html);
    const page = await b.open(url);
    await waitForCards(page, html.match(/<dd>/g)!.length);
    return page;
  }

  it('a 2,000-entry listing: controls come in a batch every few screens as the reader scrolls, not a card at a time', async () => {
    // Each batch of controls costs a frame that lays the whole listing out again. The runtime learns the
    // cards' height from the viewport observer's first report and then watches every few cards, each
    // bringing in its neighbours. (Until session 11, a first report that came while the first scan
    // waited for the background was ignored: every card stayed watched, and each small scroll step
    // brought in a card and a relayout: new controls at 60 of 60 steps here, against 6-7. That order is
    // a race in a real browser; tests/content/runtime.test.ts makes it happen every time.)
    const page = await openBigListing('https://arxiv.org/list/astro-ph.CO/pastweek?show=2000&batches');
    const settle = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50)))));
    await settle();
    const hosts = () => page.$$eval('[data-margins-for]', (h) => h.length);
    let steps = 0;
    let stepsWithNewControls = 0;
    let shown = await hosts();
    for (let y = 120; y <= 7_200; y += 120) {
      await page.evaluate((y) => window.scrollTo(0, y), y);
      await settle();
      const now = await hosts();
      steps++;
      if (now > shown) stepsWithNewControls++;
      shown = now;
    }
    // 7,200 px is about 80 cards (90 controls in all here): they came in, in a few batches.
    expect(shown).toBeGreaterThan(60);
    expect(stepsWithNewControls).toBeGreaterThan(0);
    expect(stepsWithNewControls).toBeLessThanOrEqual(steps / 4);
  });

  it('a 2,000-entry listing: every card in view has its controls wherever the reader scrolls or jumps, with cards hidden or not', async () => {
    // On pages this long the runtime watches only every few cards for the viewport; each watched card
    // brings in its neighbours. Whatever comes into view must still get its controls.
    const page = await openBigListing('https://arxiv.org/list/astro-ph.CO/pastweek?show=2000');
    const bareInView = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('dl#articles > dd')]
          .filter((dd) => {
            const r = dd.getBoundingClientRect();
            return r.height > 0 && r.bottom > 0 && r.top < innerHeight;
          })
          .filter((dd) => !dd.previousElementSibling?.querySelector('[data-margins-for]')).length,
      );
    const visit = async (y: number) => {
      await page.evaluate((y) => window.scrollTo(0, y), y);
      await expect.poll(bareInView, { timeout: 5_000 }).toBe(0);
    };
    for (let y = 0; y <= 12_000; y += 600) await visit(y); // reading down, a screen at a time
    for (const y of [150_000, 60_000, 95_500, 20_000]) await visit(y); // jumps (End, links, search)
    // Controls are made for what the reader came near, not for all 2,000 cards.
    expect(await page.$$eval('[data-margins-for]', (h) => h.length)).toBeLessThan(800);

    // Starred papers hidden: every card is watched again (a hidden card cannot bring its neighbours in).
    const popup = await b.popupFor(page);
    await popup.evaluate(() => chrome.storage.local.set({ settings: { starredOnListings: 'hide' } }));
    await page.waitForSelector('html[data-margins-hide-starred]', { state: 'attached' });
    for (const y of [40_000, 41_200, 120_000]) await visit(y);
    await popup.evaluate(() => chrome.storage.local.set({ settings: { starredOnListings: 'show' } }));
    await popup.close();
    await page.close();
  });

  it('keeps exactly one set of controls per card through re-renders, client-side navigation and "load more"', async () => {
    const url = 'https://huggingface.co/papers/date/2025-01-22';
    const app = readFileSync(path.join(import.meta.dirname, 'pages/hf-dynamic.html'), 'utf8');
    b.serve(url, app);
    b.serve(/^https:\/\/huggingface\.co\/papers\/date\//, app);
    const page = await b.open(url);
    await waitForCards(page, 20);
    const settle = async (n: number) => {
      await waitForCards(page, n);
      await scrollThrough(page);
      const perRoot = await controlsPerRoot(page);
      expect(perRoot.length).toBe(n);
      expect(perRoot.filter((c) => c !== 1)).toEqual([]);
      expect(await page.$$eval('[data-margins-for]', (h) => h.length)).toBe(n);
    };
    await settle(20);

    // Star one, then let the app rebuild the whole list: new nodes, same papers, state kept.
    await (await revealCard(page, 'arxiv:2501.10003')).getByRole('button', { name: /^Star/ }).click();
    await page.waitForSelector('[data-margins-id="arxiv:2501.10003"][data-margins-starred]');
    for (let i = 0; i < 3; i++) await page.evaluate(() => (window as unknown as { rerender(): void }).rerender());
    await settle(20);
    await page.waitForSelector('[data-margins-id="arxiv:2501.10003"][data-margins-starred]');

    // Client-side navigation to another day: other papers, no leftovers.
    await page.evaluate(() => (window as unknown as { navigate(d: string, f: number, c: number): void }).navigate('2025-01-23', 100, 30));
    await settle(30);
    const ids = (await cardRoots(page)).map((r) => r.id);
    expect(ids[0]).toBe('arxiv:2501.10100');
    expect(ids).not.toContain('arxiv:2501.10003');

    // "Load more" appends 100 cards.
    await page.evaluate(() => (window as unknown as { loadMore(n: number): void }).loadMore(100));
    await settle(130);
    // And back (history): the starred paper is starred again.
    await page.evaluate(() => (window as unknown as { navigate(d: string, f: number, c: number): void }).navigate('2025-01-22', 0, 20));
    await settle(20);
    await page.waitForSelector('[data-margins-id="arxiv:2501.10003"][data-margins-starred]');
  });

  it('knows a paper starred on Hugging Face on arXiv listings and abs pages, and the other way round', async () => {
    const hf = FIXTURE_PAGES.find((p) => p.site === 'huggingface')!;
    b.serve(hf.url, { body: readFileSync(fixturePath(hf.file)) });
    const hfPage = await b.open(hf.url);
    const first = (await cardRoots(hfPage))[0].id;
    expect(first).toMatch(/^arxiv:/);
    await (await revealCard(hfPage, first)).getByRole('button', { name: /^Star/ }).click();
    await hfPage.waitForSelector(`[data-margins-id="${first}"][data-margins-starred]`);

    // The same paper on an arXiv listing (hand-made around the id) and on its abs page.
    const bare = first.slice('arxiv:'.length);
    const listing = `https://arxiv.org/list/cs.CL/pastweek?show=25`;
    b.serve(
      listing,
      `<!doctype html><title>cs.CL</title><div id="dlpage"><dl id="articles"><dt><a href="/abs/${bare}" title="Abstract" id="${bare}">arXiv:${bare}</a></dt><dd><div class="meta"><div class="list-title mathjax"><span class="descriptor">Title:</span> Same paper</div></div></dd></dl></div>`,
    );
    const arxivPage = await b.open(listing);
    await arxivPage.waitForSelector(`[data-margins-id="${first}"][data-margins-starred]`);
    const abs = `https://arxiv.org/abs/${bare}v2`;
    b.serve(abs, `<!doctype html><title>abs</title><div id="abs"><h1 class="title mathjax"><span class="descriptor">Title:</span> Same paper</h1><div class="authors"><a href="/a/x">X</a></div></div>`);
    const absPage = await b.open(abs);
    await absPage.waitForSelector(`[data-margins-id="${first}"][data-margins-starred]`);

    // Unstar on arXiv: Hugging Face follows.
    await (await revealCard(absPage, first)).getByRole('button', { name: /^Unstar/ }).click();
    await expect.poll(() => hfPage.getAttribute(`[data-margins-id="${first}"]`, 'data-margins-starred')).toBeNull();
    expect(b.extensionRequests).toEqual([]);
  });
});
