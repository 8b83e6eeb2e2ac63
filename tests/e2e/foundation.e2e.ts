/**
 * Issue 2, end to end: star a paper on a real arXiv listing (served at its real address) in the built
 * extension in Debian's Chromium; find it starred in the popup, after a reload and in another tab;
 * unstar it in the popup and watch both tabs update. Nothing but the page itself is requested.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { type ExtensionBrowser, cardRoots, fixturePath, launchExtension, revealCard, scrollThrough, unexplainedRequests, waitForCards } from './harness';

const LISTING = 'https://arxiv.org/list/astro-ph.CO/recent?show=1000';
const FIXTURE = 'arxiv/list-astro-ph.CO-recent-2026-07-24-raw.html';

describe('foundation: star on an arXiv listing', () => {
  let b: ExtensionBrowser;
  beforeAll(async () => {
    b = await launchExtension();
    b.serveFixture(LISTING, FIXTURE);
  });
  afterAll(async () => {
    await b?.close();
  });

  it('marks all 111 cards, stars one, and keeps every view in step', async () => {
    const tab1 = await b.open(LISTING);
    await waitForCards(tab1, 111);
    // Every card gets exactly one set of controls as the reader scrolls to it.
    const hosts = await scrollThrough(tab1);
    expect(hosts).toHaveLength(111);
    const roots = await cardRoots(tab1);
    expect(roots).toHaveLength(111);
    expect(roots[0].id).toBe('arxiv:2607.21497');
    expect(roots[2].id).toBe('arxiv:2607.21247');
    expect(new Set(roots.map((r) => r.id)).size).toBe(111);
    expect(roots.every((r) => /^arxiv:\d{4}\.\d{5}$/.test(r.id))).toBe(true);
    expect(hosts).toEqual(roots.map((r) => r.id));

    // Click the star on the third card, as a reader does.
    const third = await revealCard(tab1, 'arxiv:2607.21247');
    await third.getByRole('button', { name: /^Star / }).click();
    await expect.poll(() => tab1.getAttribute('[data-margins-id="arxiv:2607.21247"]', 'data-margins-starred')).toBe('');
    await expect(third.getByRole('button', { name: /^Unstar / }).getAttribute('aria-pressed')).resolves.toBe('true');

    // The popup lists the page's papers with that one starred, and counts the library.
    const popup = await b.popupFor(tab1);
    const rows = popup.locator('li.paper-row');
    await expect.poll(() => rows.count()).toBe(111);
    const row = popup.locator('li.paper-row[data-paper-id="arxiv:2607.21247"]');
    await expect(row.getByRole('button', { name: /^Unstar / }).getAttribute('aria-pressed')).resolves.toBe('true');
    await expect.poll(() => popup.locator('[data-count="starred-total"]').textContent()).toBe('1');
    await expect(popup.locator('li.paper-row[aria-pressed="true"], li.paper-row button[aria-pressed="true"]').count()).resolves.toBe(1);

    // Reload: still starred.
    await tab1.reload({ waitUntil: 'domcontentloaded' });
    await tab1.waitForSelector('[data-margins-id="arxiv:2607.21247"][data-margins-starred]');

    // A second tab on the same page shows it starred without a reload.
    const tab2 = await b.open(LISTING);
    await tab2.waitForSelector('[data-margins-id="arxiv:2607.21247"][data-margins-starred]');

    // Unstar in the popup: both tabs update.
    await row.getByRole('button', { name: /^Unstar / }).click();
    for (const tab of [tab1, tab2]) {
      await expect.poll(() => tab.getAttribute('[data-margins-id="arxiv:2607.21247"]', 'data-margins-starred')).toBeNull();
      const controls = await revealCard(tab, 'arxiv:2607.21247');
      await expect.poll(() => controls.getByRole('button', { name: /^Star / }).getAttribute('aria-pressed')).toBe('false');
    }
    await expect.poll(() => popup.locator('[data-count="starred-total"]').textContent()).toBe('0');

    // Nothing left the browser but the page itself.
    expect(b.extensionRequests).toEqual([]);
    expect(b.requests.length).toBeGreaterThan(2);
    expect(unexplainedRequests(b, [{ url: LISTING, html: readFileSync(fixturePath(FIXTURE), 'utf8') }])).toEqual([]);
  });
});
