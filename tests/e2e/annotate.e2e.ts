/**
 * Issue 4, end to end in Chromium: annotate with the keyboard only on a real arXiv listing, see it in the
 * popup and a second tab, survive a reload, edit from the popup; hostile page CSS; markup in titles, tags and
 * notes shown as text; accessibility (axe-core); a failing write that keeps what the reader typed.
 */
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtensionBrowser, cardRoots, controlHosts, fixturePath, launchExtension, revealCard, scrollThrough, waitForCards } from './harness';

const LISTING = 'https://arxiv.org/list/astro-ph.CO/recent?show=1000';
const FIRST = 'arxiv:2607.21497';
const HOSTILE = 'https://arxiv.org/list/hostile.XX/new';
const hostileHtml = readFileSync(path.join(import.meta.dirname, 'pages/arxiv-hostile.html'), 'utf8');

const card = (page: Page, id: string) => page.locator(`[data-margins-for="${id}"]`);
const rootAttr = (page: Page, id: string, attr: string) => page.getAttribute(`[data-margins-id="${id}"]`, attr);

describe('annotate where you read', () => {
  let b: ExtensionBrowser;
  const dialogs: string[] = [];
  beforeAll(async () => {
    b = await launchExtension();
    b.serveFixture(LISTING, 'arxiv/list-astro-ph.CO-recent-2026-07-24-raw.html');
    b.serve(HOSTILE, hostileHtml);
    b.context.on('page', (p) => p.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss())));
  });
  afterAll(async () => {
    await b?.close();
  });

  it('stars, tags and notes a card with the keyboard only; popup, second tab and reload agree', async () => {
    const tab1 = await b.open(LISTING);
    await waitForCards(tab1, 111);

    await tab1.keyboard.press('j'); // the first j focuses the first card
    expect(await rootAttr(tab1, FIRST, 'data-margins-focused')).toBe('');
    // The reader sees which card the keys act on (the page's stylesheet of ours comes in with the first key).
    const outline = () => tab1.locator(`[data-margins-id="${FIRST}"]`).evaluate((el) => getComputedStyle(el).outlineStyle);
    await expect.poll(outline).toBe('solid');
    await tab1.keyboard.press('j');
    await tab1.keyboard.press('k'); // back to the first
    expect(await rootAttr(tab1, FIRST, 'data-margins-focused')).toBe('');

    await tab1.keyboard.press('s');
    await expect.poll(() => rootAttr(tab1, FIRST, 'data-margins-starred')).toBe('');

    await tab1.keyboard.press('t');
    const tagInput = card(tab1, FIRST).getByRole('combobox', { name: /New tag/ });
    await expect.poll(() => tagInput.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await tab1.keyboard.type('Cosmology');
    await tab1.keyboard.press('Enter');
    await tab1.keyboard.type('hubble tension');
    await tab1.keyboard.press('Enter');
    await tab1.keyboard.press('Escape');
    await expect.poll(() => rootAttr(tab1, FIRST, 'data-margins-tags')).toBe('cosmology hubble-tension');

    // Keys typed into our inputs never trigger shortcuts: "s" above did not unstar.
    expect(await rootAttr(tab1, FIRST, 'data-margins-starred')).toBe('');

    await tab1.keyboard.press('n');
    const note = card(tab1, FIRST).getByRole('textbox', { name: /Note on/ });
    await expect.poll(() => note.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await tab1.keyboard.type('Check the sound horizon section.\nSecond line.');
    await tab1.keyboard.press('Escape'); // closes and keeps the text
    await expect.poll(() => rootAttr(tab1, FIRST, 'data-margins-note')).toBe('');
    await expect(card(tab1, FIRST).getByRole('textbox', { name: /Note on/ }).count()).resolves.toBe(0);
    expect(await card(tab1, FIRST).locator('.snippet').textContent()).toBe('Check the sound horizon section. Second line.');

    // The popup shows it all.
    const popup = await b.popupFor(tab1);
    const row = popup.locator(`li.paper-row[data-paper-id="${FIRST}"]`);
    await expect.poll(() => row.getByRole('button', { name: /^Unstar/ }).count()).toBe(1);
    await expect.poll(() => row.locator('.chip').allTextContents()).toEqual(['cosmology×', 'hubble-tension×']);
    expect(await row.locator('.paper-note').textContent()).toBe('Check the sound horizon section.\nSecond line.');

    // A second tab shows it without a reload.
    const tab2 = await b.open(LISTING);
    await tab2.waitForSelector(`[data-margins-id="${FIRST}"][data-margins-starred][data-margins-note][data-margins-tags="cosmology hubble-tension"]`);

    // Reload: all still there.
    await tab1.reload({ waitUntil: 'domcontentloaded' });
    await tab1.waitForSelector(`[data-margins-id="${FIRST}"][data-margins-starred][data-margins-note][data-margins-tags="cosmology hubble-tension"]`);

    // Remove a tag in the popup: the cards in both tabs update.
    await row.getByRole('button', { name: 'Remove tag cosmology' }).click();
    for (const tab of [tab1, tab2]) {
      await expect.poll(() => rootAttr(tab, FIRST, 'data-margins-tags')).toBe('hubble-tension');
      await revealCard(tab, FIRST);
      await expect.poll(() => card(tab, FIRST).locator('.chip').count()).toBe(1);
    }

    // The popup's keyboard: ↓ moves, s stars the active row, t opens its tag input.
    await popup.locator('ul.papers').focus();
    await popup.keyboard.press('ArrowDown');
    await popup.keyboard.press('s');
    const second = (await cardRoots(tab1))[1].id;
    await expect.poll(() => rootAttr(tab1, second, 'data-margins-starred')).toBe('');
    await popup.keyboard.press('t');
    await popup.keyboard.type('from-popup');
    await popup.keyboard.press('Enter');
    await expect.poll(() => rootAttr(tab2, second, 'data-margins-tags')).toBe('from-popup');

    // Autocomplete on the card offers the library's tags.
    await tab1.keyboard.press('j');
    await tab1.keyboard.press('j');
    await tab1.keyboard.press('j');
    await tab1.keyboard.press('t');
    await tab1.keyboard.type('hub');
    const third = (await cardRoots(tab1))[2].id;
    await expect.poll(() => card(tab1, third).getByRole('option').allTextContents()).toEqual(['hubble-tension']);
    await tab1.keyboard.press('ArrowDown');
    await tab1.keyboard.press('Enter');
    await expect.poll(() => rootAttr(tab1, third, 'data-margins-tags')).toBe('hubble-tension');
    await tab1.keyboard.press('Escape');

    // "?" shows the keys; Esc hides them.
    await tab1.keyboard.press('?');
    await expect.poll(() => tab1.getByRole('dialog', { name: 'Margins keyboard shortcuts' }).count()).toBe(1);
    await tab1.keyboard.press('Escape');
    await expect.poll(() => tab1.getByRole('dialog', { name: 'Margins keyboard shortcuts' }).count()).toBe(0);
  });

  it("works the card's buttons from the keyboard as a reader tabbing through the page would: Enter and Space, no scrolling", async () => {
    const tab = await b.open(LISTING);
    await waitForCards(tab, 111);
    const id = (await cardRoots(tab))[5].id;
    const controls = await revealCard(tab, id);
    const star = controls.getByRole('button', { name: /^(Un)?[Ss]tar / });
    await star.focus();
    const wasStarred = (await rootAttr(tab, id, 'data-margins-starred')) === '';
    const scrolled = await tab.evaluate(() => scrollY);
    await tab.keyboard.press('Enter');
    await expect.poll(() => rootAttr(tab, id, 'data-margins-starred')).toBe(wasStarred ? null : '');
    await tab.keyboard.press(' ');
    await expect.poll(() => rootAttr(tab, id, 'data-margins-starred')).toBe(wasStarred ? '' : null);
    expect(await tab.evaluate(() => scrollY)).toBe(scrolled); // Space on a button never scrolls the page
    // Tab moves on to the next control, and Enter there opens the tag input.
    await tab.keyboard.press('Tab');
    await tab.keyboard.press('Enter');
    await expect.poll(() => controls.getByRole('combobox', { name: /New tag/ }).count()).toBe(1);
    await tab.keyboard.press('Escape');
    await tab.close();
  });

  it('ignores the keys while the reader types in the page, and when shortcuts are off', async () => {
    const tab = await b.open(LISTING);
    await tab.evaluate(() => {
      const input = document.createElement('input');
      input.id = 'page-search';
      document.body.prepend(input);
    });
    await tab.focus('#page-search');
    await tab.keyboard.type('jjs');
    expect(await tab.$$eval('[data-margins-focused]', (e) => e.length)).toBe(0);
    await tab.click('h1, body', { position: { x: 1, y: 1 } }).catch(() => undefined);
    await tab.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

    const library = await b.extensionPage('popup.html');
    await library.evaluate(() => chrome.storage.local.set({ settings: { shortcuts: false } }));
    await tab.waitForTimeout(200);
    await tab.keyboard.press('j');
    expect(await tab.$$eval('[data-margins-focused]', (e) => e.length)).toBe(0);
    await library.evaluate(() => chrome.storage.local.set({ settings: { shortcuts: true } }));
    await expect
      .poll(async () => {
        await tab.keyboard.press('j');
        return tab.$$eval('[data-margins-focused]', (e) => e.length);
      })
      .toBe(1);
    await library.close();
  });

  it('is untouched by hostile page CSS, does not style the page, and shows markup as text', async () => {
    const tab = await b.open(HOSTILE);
    await waitForCards(tab, 3);
    expect(await scrollThrough(tab)).toEqual(['arxiv:2607.11111', 'arxiv:2607.22222', 'arxiv:2607.33333']);

    // Our controls are visible and work despite `* { all: unset }` and `button { display: none !important }`.
    const star = (await revealCard(tab, 'arxiv:2607.11111')).getByRole('button', { name: /^Star/ });
    expect(await star.isVisible()).toBe(true);
    const box = await star.boundingBox();
    expect(box!.width).toBeGreaterThan(8);
    const color = await star.evaluate((el) => getComputedStyle(el).color);
    expect(color).not.toBe('rgb(255, 0, 0)');
    await star.click();
    await expect.poll(() => rootAttr(tab, 'arxiv:2607.11111', 'data-margins-starred')).toBe('');

    // Ours never reaches the page: its own button stays hidden, its own .chip keeps its (unset) style.
    expect(await tab.locator('#page-button').isVisible()).toBe(false);
    const pageChip = await tab.$eval('#page-chip', (el) => {
      const s = getComputedStyle(el);
      return { border: s.borderTopStyle, radius: s.borderTopLeftRadius, background: s.backgroundColor };
    });
    expect(pageChip).toEqual({ border: 'none', radius: '0px', background: 'rgb(0, 255, 0)' });

    // Markup in titles, tags and notes is text everywhere.
    const payload = '<img src=x onerror=alert(1)>';
    const first = card(tab, 'arxiv:2607.11111');
    await first.getByRole('button', { name: /^Add a tag/ }).click();
    await tab.keyboard.type('</style><script>alert(4)</script>');
    await tab.keyboard.press('Enter');
    await tab.keyboard.press('Escape');
    await first.getByRole('button', { name: /^Add a note/ }).click();
    await tab.keyboard.type(`${payload} javascript:alert(5)`);
    await tab.keyboard.press('Escape');
    await expect.poll(() => rootAttr(tab, 'arxiv:2607.11111', 'data-margins-note')).toBe('');
    expect(await first.locator('.snippet').textContent()).toBe(`${payload} javascript:alert(5)`);
    expect(await first.getByRole('group').getAttribute('aria-label')).toBe(`Margins: ${payload} Attention is all you need`);

    const popup = await b.popupFor(tab);
    const row = popup.locator('li.paper-row[data-paper-id="arxiv:2607.11111"]');
    await expect.poll(() => row.locator('.paper-title').textContent()).toBe(`${payload} Attention is all you need`);
    expect(await row.locator('.paper-authors').textContent()).toBe('</style><script>alert(2)</script>, Ada Lovelace');
    expect(await row.locator('.paper-note').textContent()).toBe(`${payload} javascript:alert(5)`);
    expect(await row.locator('.chip > span').first().textContent()).toBe('</style><script>alert(4)</script>');
    // No element was made from the data, and no dialog fired anywhere.
    expect(await popup.locator('img, script:not([src])').count()).toBe(0);
    expect(await tab.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
    const shadowImgs = await tab.$$eval('[data-margins-for]', (hosts) => hosts.reduce((n, h) => n + (h.shadowRoot?.querySelectorAll('img, script').length ?? 0), 0));
    expect(shadowImgs).toBe(0);
    await tab.waitForTimeout(200);
    expect(dialogs).toEqual([]);
  });

  it('has no serious or critical accessibility violations (axe-core) in the popup and the card controls', async () => {
    const tab = await b.open(LISTING);
    await waitForCards(tab, 111);
    // Open the richest state: a tag input and a note editor.
    await revealCard(tab, FIRST);
    await card(tab, FIRST).getByRole('button', { name: /note/ }).click();
    // The first cards: one with the note editor open, the others in their resting state (all cards are alike).
    const ids = (await controlHosts(tab)).slice(0, 4);
    expect(ids.length).toBe(4);
    let axe = new AxeBuilder({ page: tab });
    for (const id of ids) axe = axe.include(`[data-margins-for="${id}"]`);
    const inPage = await axe.analyze();
    const bad = inPage.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.length}`)).toEqual([]);
    expect(inPage.passes.length).toBeGreaterThan(3); // axe did look at our controls

    const popup = await b.popupFor(tab);
    await popup.waitForSelector('li.paper-row');
    await popup.locator(`li.paper-row[data-paper-id="${FIRST}"]`).getByRole('button', { name: /^Add a tag/ }).click();
    const inPopup = await new AxeBuilder({ page: popup }).analyze();
    const badPopup = inPopup.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(badPopup.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
  });

  it('marks papers not seen on an earlier visit as new, counts them in the popup, and dims or hides seen ones', async () => {
    const url = 'https://arxiv.org/list/astro-ph.CO/pastweek?show=1000';
    b.serveFixture(url, 'arxiv/list-astro-ph.CO-pastweek-2024-03-14-legacy-layout-raw.html');
    // An earlier visit, two hours ago, showed the first ten papers of this listing.
    const earlier = ['2403.08726', '2403.08666', '2403.08634', '2403.08611', '2403.08601', '2403.08594', '2403.08241', '2403.08101', '2403.08029', '2403.07982'];
    const ext = await b.extensionPage('popup.html');
    await ext.evaluate(async (ids) => {
      const twoHoursAgo = Date.now() - 2 * 3600_000;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('margins');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction(['seen', 'meta'], 'readwrite');
        tx.objectStore('meta').put({ key: 'seenSince', value: twoHoursAgo - 3600_000 });
        for (const id of ids) tx.objectStore('seen').put({ id: `arxiv:${id}`, firstSeen: twoHoursAgo });
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    }, earlier);
    await ext.close();

    const page = await b.open(url);
    await waitForCards(page, 76);
    await expect.poll(async () => (await cardRoots(page)).filter((r) => r.seen !== null).length).toBe(76);
    const roots = await cardRoots(page);
    const seenIds = roots.filter((r) => r.seen === 'seen').map((r) => r.id);
    expect(seenIds.sort()).toEqual(earlier.map((id) => `arxiv:${id}`).sort());
    expect(roots.filter((r) => r.seen === 'new').length).toBe(66);
    const newCard = await revealCard(page, roots.find((r) => r.seen === 'new')!.id);
    expect(await newCard.locator('.new-badge').isVisible()).toBe(true);
    const oldCard = await revealCard(page, 'arxiv:2403.08726');
    expect(await oldCard.locator('.new-badge').isVisible()).toBe(false);

    const popup = await b.popupFor(page);
    await expect.poll(() => popup.locator('[data-count="new"]').textContent()).toBe('66');

    // A reload keeps the marks (within the visit).
    await page.reload({ waitUntil: 'domcontentloaded' });
    await expect.poll(async () => (await cardRoots(page)).filter((r) => r.seen === 'new').length).toBe(66);

    // Settings: hide seen papers, dim starred ones.
    await popup.evaluate(() => chrome.storage.local.set({ settings: { seenOnListings: 'hide', starredOnListings: 'dim' } }));
    await expect.poll(() => page.locator('[data-margins-id="arxiv:2403.08726"]').isVisible()).toBe(false);
    // On arXiv a paper is a dt + dd pair: the id line goes too.
    expect(await page.locator('dt:has(a[href="/abs/2403.08726"])').isVisible()).toBe(false);
    expect(await page.locator(`[data-margins-id="${roots[20].id}"]`).isVisible()).toBe(true);
    await popup.evaluate(() => chrome.storage.local.set({ settings: { seenOnListings: 'show', starredOnListings: 'show' } }));
    await expect.poll(() => page.locator('[data-margins-id="arxiv:2403.08726"]').isVisible()).toBe(true);
  });

  it('tells the reader when a write fails and keeps what they typed', async () => {
    const tab = await b.open(LISTING);
    await waitForCards(tab, 111);
    const id = 'arxiv:2607.21244';
    // The disk is full: every IndexedDB write in the background fails with QuotaExceededError.
    await b.worker.evaluate(() => {
      const g = globalThis as unknown as { __put?: unknown };
      g.__put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function () {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    await (await revealCard(tab, id)).getByRole('button', { name: /^Add a note/ }).click();
    await tab.keyboard.type('words that must not be lost');
    const alert = card(tab, id).getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 5000 }).toMatch(/out of storage space/);
    await tab.keyboard.press('Escape'); // a failed save keeps the editor open, with the text
    const note = card(tab, id).getByRole('textbox', { name: /Note on/ });
    expect(await note.inputValue()).toBe('words that must not be lost');
    expect(await rootAttr(tab, id, 'data-margins-note')).toBeNull();

    // Space is back: the next save goes through, nothing was lost.
    await b.worker.evaluate(() => {
      const g = globalThis as unknown as { __put: typeof IDBObjectStore.prototype.put };
      IDBObjectStore.prototype.put = g.__put;
    });
    await note.press('End');
    await tab.keyboard.type('.');
    await expect.poll(() => rootAttr(tab, id, 'data-margins-note')).toBe('');
    await expect.poll(() => alert.textContent()).toBe('');
    await tab.keyboard.press('Escape');
    expect(await card(tab, id).locator('.snippet').textContent()).toBe('words that must not be lost.');
  });

  it('never makes a listing taller: a card line with its controls (star, two tags, a note) is as tall as without', async () => {
    const tab = await b.open(LISTING);
    await waitForCards(tab, 111);
    const roots = await cardRoots(tab);
    const far = roots[100].id; // ~10,000 px down, followed by another card
    // The dt line (arXiv id and links) the controls go into, and where the card below it starts.
    const geometry = (id: string) =>
      tab.locator(`[data-margins-id="${id}"]`).evaluate((dd) => ({
        line: dd.previousElementSibling!.getBoundingClientRect().height,
        next: (dd.nextElementSibling?.getBoundingClientRect().top ?? 0) - dd.getBoundingClientRect().top,
      }));
    expect(await controlHosts(tab)).not.toContain(far); // far below: no controls yet
    const before = await geometry(far);
    const controls = await revealCard(tab, far);
    await controls.getByRole('button', { name: /^Star/ }).click();
    for (const tag of ['layout', 'shift']) {
      await controls.getByRole('button', { name: /^Add a tag/ }).click();
      await tab.keyboard.type(tag);
      await tab.keyboard.press('Enter');
      await tab.keyboard.press('Escape');
    }
    await controls.getByRole('button', { name: /^Add a note/ }).click();
    await tab.keyboard.type('A short note.');
    await tab.keyboard.press('Escape');
    await expect.poll(() => controls.locator('.chip').count()).toBe(2);
    expect(await geometry(far)).toEqual(before);
    await tab.close();
  });
});

describe('controls follow the page they sit on, not the system theme', () => {
  let b: ExtensionBrowser;
  const DARK_LISTING = 'https://arxiv.org/list/astro-ph.CO/pastweek?show=1000';
  beforeAll(async () => {
    // The reader's system is dark; arXiv stays white, a site with a dark theme paints itself dark.
    b = await launchExtension({ colorScheme: 'dark' });
    b.serveFixture(LISTING, 'arxiv/list-astro-ph.CO-recent-2026-07-24-raw.html');
    const html = readFileSync(fixturePath('arxiv/list-astro-ph.CO-recent-2026-07-24-raw.html'), 'utf8');
    b.serve(DARK_LISTING, html.replace('</head>', '<style>body { background: #0d1117; color: #c9d1d9; }</style></head>'));
  });
  afterAll(async () => {
    await b?.close();
  });

  for (const [url, scheme] of [[LISTING, 'light'], [DARK_LISTING, 'dark']] as const) {
    it(`${scheme} page under a dark system: ${scheme} controls that axe finds readable, following a theme switch`, async () => {
      const tab = await b.open(url);
      await waitForCards(tab, 111);
      // A card of its own per page (both pages share the profile's library).
      const id = (await cardRoots(tab))[scheme === 'light' ? 0 : 1].id;
      const controls = await revealCard(tab, id);
      await controls.getByRole('button', { name: /^Star/ }).click();
      await controls.getByRole('button', { name: /^Add a note/ }).click();
      await tab.keyboard.type('Readable on this page.');
      await tab.keyboard.press('Escape');
      await expect.poll(() => controls.getByRole('button', { name: /^Edit the note/ }).count()).toBe(1);
      expect(await controls.getAttribute('data-scheme')).toBe(scheme);
      // The note button's text against the page behind it: dark on the white page, light on the dark one.
      const text = await controls.getByRole('button', { name: /^Edit the note/ }).evaluate((el) => getComputedStyle(el).color);
      const [r, g, bl] = text.match(/[\d.]+/g)!.map(Number);
      expect(scheme === 'light' ? r + g + bl < 300 : r + g + bl > 450).toBe(true);
      const result = await new AxeBuilder({ page: tab }).include(`[data-margins-for="${id}"]`).withRules(['color-contrast']).analyze();
      expect(result.violations.map((v) => `${v.id}: ${v.nodes.length}`)).toEqual([]);
      expect(result.passes.length).toBeGreaterThan(0);
      // The site switches its theme (a style on the body): the controls follow at once.
      const other = scheme === 'light' ? 'dark' : 'light';
      await tab.evaluate((bg) => (document.body.style.background = bg), other === 'dark' ? '#0d1117' : '#ffffff');
      await expect.poll(() => controls.getAttribute('data-scheme')).toBe(other);
      await tab.close();
    });
  }
});
