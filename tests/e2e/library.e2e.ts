/**
 * Issue 5, end to end, in the built extension in Chromium: the library page with 50,000 papers and 200
 * tags written by the generator (tests/library/seed.ts). It opens empty and teaches how to star; then,
 * seeded, it searches, filters by two tags, renames a tag, merges two tags, stars 1,000 results at once
 * and undoes. Every assertion reads what the reader reads (counts, chips, titles, the toast), and every
 * expected number is computed here from the generated data, independently of the page's code.
 * Screenshots go to tests/e2e/.tmp/screenshots (and to docs/screenshots with UPDATE_SCREENSHOTS=1).
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLibrary, writeLibraryInPage } from '../library/seed';
import { type ExtensionBrowser, ROOT, launchExtension } from './harness';

const PAPERS = 50_000;
const SHOTS = path.join(ROOT, 'tests/e2e/.tmp/screenshots');
const DOC_SHOTS = path.join(ROOT, 'docs/screenshots');
const lib = generateLibrary({ papers: PAPERS, tags: 200, seed: 2026 });
const fmt = (n: number) => n.toLocaleString('en-US');
/** Writes of thousands of papers take seconds on a loaded two-core machine. */
const SLOW = { timeout: 30_000 };

/** What each paper currently shows, tracked here as the test changes things. */
const state = lib.annotations.map((a, i) => ({
  id: a.id,
  title: lib.papers[i].title,
  text: [lib.papers[i].title, lib.papers[i].authors.join(', '), a.tagList.join(' '), a.note?.v ?? '', a.id].join('\n').toLowerCase(),
  tags: new Set(a.tagList),
  starred: a.starred === 1,
  updatedAt: a.updatedAt,
}));
const withTag = (t: string) => state.filter((p) => p.tags.has(t));

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file });
  if (process.env.UPDATE_SCREENSHOTS) {
    mkdirSync(DOC_SHOTS, { recursive: true });
    copyFileSync(file, path.join(DOC_SHOTS, name));
  }
}

const resultCount = (page: Page) => page.locator('.result-count').textContent();
const tagCount = (page: Page, tag: string) => page.locator(`.tag-list li[data-tag="${tag}"] .tag-count`).textContent();
const visibleRows = (page: Page) =>
  page.locator('.lib-row').evaluateAll((rows) =>
    rows.map((r) => ({
      title: r.querySelector('.row-title')!.textContent!,
      tags: [...r.querySelectorAll('.row-tags .chip')].map((c) => c.getAttribute('data-tag')!),
      starred: r.querySelector('.star-btn')!.getAttribute('aria-pressed') === 'true',
      text: (r as HTMLElement).innerText.toLowerCase(),
    })),
  );

describe('the library at 50,000 papers', () => {
  let b: ExtensionBrowser;
  let page: Page;
  beforeAll(async () => {
    b = await launchExtension();
  });
  afterAll(async () => {
    await b?.close();
  });

  it('opens empty and teaches how to star from a listing', async () => {
    page = await b.extensionPage('library.html');
    await page.waitForSelector('.library[data-phase="ready"]');
    await expect(page.getByRole('heading', { name: 'Your library is empty' }).isVisible()).resolves.toBe(true);
    const text = await page.locator('.empty').innerText();
    expect(text).toContain('Click the star: the paper is in your library.');
    expect(text).toMatch(/j\s*\/\s*k move between papers, s stars/);
    await shot(page, 'library-empty.png');
  });

  it('shows 50,000 seeded papers, newest first', { timeout: 400_000 }, async () => {
    await writeLibraryInPage(page, lib);
    await page.reload();
    await page.waitForSelector('.library[data-phase="ready"]', { timeout: 120_000 });
    expect(await resultCount(page)).toBe('50,000 papers');
    const newest = [...state].sort((x, y) => y.updatedAt - x.updatedAt || (x.id < y.id ? -1 : 1))[0];
    expect((await visibleRows(page))[0].title).toBe(newest.title);
    // 200 tags, with the counts of the generated data.
    await expect(page.locator('.tag-list li').count()).resolves.toBe(200);
    expect(await tagCount(page, 'to-read')).toBe(fmt(withTag('to-read').length));
    await shot(page, 'library-50000.png');
  });

  it('searches as the reader types', async () => {
    const search = page.getByRole('searchbox', { name: /Search titles/ });
    await search.click();
    await page.keyboard.type('graph neural');
    const expected = state.filter((p) => p.text.includes('graph') && p.text.includes('neural')).length;
    expect(expected).toBeGreaterThan(100);
    await expect.poll(() => resultCount(page), SLOW).toBe(`${fmt(expected)} of 50,000 papers`);
    const rows = await visibleRows(page);
    expect(rows.length).toBeGreaterThan(5);
    // Both words show in each row read (title, authors, tags or note), most often as the phrase in the title.
    for (const r of rows) expect(r.text).toMatch(/graph[\s\S]*neural|neural[\s\S]*graph/);
    expect(rows.filter((r) => /graph neural/i.test(r.title)).length).toBeGreaterThan(0);
    expect(page.url()).toContain('q=graph+neural');
    await search.fill('');
    await expect.poll(() => resultCount(page), SLOW).toBe('50,000 papers');
  });

  it('filters by two tags (all of them, then any of them)', async () => {
    await page.getByRole('button', { name: /^Filter by tag to-read / }).click();
    await page.getByRole('button', { name: /^Filter by tag cite / }).click();
    const both = state.filter((p) => p.tags.has('to-read') && p.tags.has('cite')).length;
    await expect.poll(() => resultCount(page), SLOW).toBe(`${fmt(both)} of 50,000 papers`);
    expect(new URL(page.url()).searchParams.get('tags')).toBe('to-read,cite');
    for (const r of await visibleRows(page)) expect(r.tags).toEqual(expect.arrayContaining(['to-read', 'cite']));
    await page.getByRole('combobox', { name: 'Match the selected tags' }).selectOption('any');
    const either = state.filter((p) => p.tags.has('to-read') || p.tags.has('cite')).length;
    await expect.poll(() => resultCount(page), SLOW).toBe(`${fmt(either)} of 50,000 papers`);
    expect(page.url()).toContain('mode=any');
    // The same view opens from its URL, as a bookmark would.
    const bookmarked = await b.context.newPage();
    await bookmarked.goto(page.url());
    await bookmarked.waitForSelector('.library[data-phase="ready"]', { timeout: 120_000 });
    expect(await resultCount(bookmarked)).toBe(`${fmt(either)} of 50,000 papers`);
    await bookmarked.close();
    await page.getByRole('combobox', { name: 'Match the selected tags' }).selectOption('all');
    await expect.poll(() => resultCount(page), SLOW).toBe(`${fmt(both)} of 50,000 papers`);
  });

  it('renames a tag everywhere it shows', async () => {
    const n = withTag('cite').length;
    await page.getByRole('button', { name: 'Manage tag cite', exact: true }).click();
    await page.getByRole('textbox', { name: 'New name for tag cite' }).fill('Citations');
    await page.getByRole('group', { name: 'Manage tag cite' }).getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => page.locator('.toast-message').textContent(), SLOW).toBe(`Renamed tag “cite” to “citations” on ${fmt(n)} papers`);
    for (const p of withTag('cite')) (p.tags.delete('cite'), p.tags.add('citations'));
    await expect.poll(() => tagCount(page, 'citations'), SLOW).toBe(fmt(n));
    await expect(page.locator('.tag-list li[data-tag="cite"]').count()).resolves.toBe(0);
    // The view follows the new name, and the rows show it.
    expect(new URL(page.url()).searchParams.get('tags')).toBe('to-read,citations');
    const both = state.filter((p) => p.tags.has('to-read') && p.tags.has('citations')).length;
    await expect.poll(() => resultCount(page), SLOW).toBe(`${fmt(both)} of 50,000 papers`);
    for (const r of await visibleRows(page)) expect(r.tags).toContain('citations');
  });

  it('merges two tags', async () => {
    // Leave the tag filter first: merge "skim" into "to-read".
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => resultCount(page), SLOW).toBe('50,000 papers');
    const union = state.filter((p) => p.tags.has('skim') || p.tags.has('to-read')).length;
    expect(union).toBeGreaterThan(withTag('to-read').length);
    const skimmed = withTag('skim').length;
    await page.getByRole('button', { name: 'Manage tag skim', exact: true }).click();
    await page.getByRole('combobox', { name: 'Merge tag skim into' }).fill('to-read');
    await page.getByRole('group', { name: 'Manage tag skim' }).getByRole('button', { name: 'Merge' }).click();
    await expect.poll(() => page.locator('.toast-message').textContent(), SLOW).toBe(`Merged tag “skim” into “to-read” on ${fmt(skimmed)} papers`);
    await expect.poll(() => tagCount(page, 'to-read'), SLOW).toBe(fmt(union));
    await expect(page.locator('.tag-list li[data-tag="skim"]').count()).resolves.toBe(0);
    for (const p of withTag('skim')) (p.tags.delete('skim'), p.tags.add('to-read'));
  });

  it('stars 1,000 results with a shift-click range, then undoes it', { timeout: 180_000 }, async () => {
    // Papers tagged to-read and not starred.
    await page.getByRole('combobox', { name: 'Star' }).selectOption('0');
    await page.getByRole('button', { name: /^Filter by tag to-read / }).click();
    const candidates = state.filter((p) => p.tags.has('to-read') && !p.starred).length;
    expect(candidates).toBeGreaterThan(1_000);
    await expect.poll(() => resultCount(page), SLOW).toBe(`${fmt(candidates)} of 50,000 papers`);
    const starredBefore = state.filter((p) => p.starred).length;
    await expect(page.getByRole('combobox', { name: 'Star' }).locator('option[value="1"]').textContent()).resolves.toBe(`Starred (${fmt(starredBefore)})`);

    await page.locator('[data-index="0"] .row-select').click();
    await page.locator('.lib-scroll').evaluate(async (el) => {
      for (let i = 0; i < 400 && !document.querySelector('[data-index="999"]'); i++) {
        el.scrollTop += 1_500;
        await new Promise((r) => requestAnimationFrame(r));
      }
    });
    await page.locator('[data-index="999"]').scrollIntoViewIfNeeded();
    await page.locator('[data-index="999"] .row-select').click({ modifiers: ['Shift'] });
    await expect.poll(() => page.locator('.selected-count').textContent(), SLOW).toBe('1,000 selected');
    await shot(page, 'library-light.png');

    await page.getByRole('toolbar', { name: 'Selected papers' }).getByRole('button', { name: '★ Star' }).click();
    await expect.poll(() => page.locator('.toast-message').textContent(), SLOW).toBe('Starred 1,000 papers');
    // Starred papers leave this "not starred" view; the library counts 1,000 more starred.
    await expect.poll(() => resultCount(page), SLOW).toBe(`${fmt(candidates - 1_000)} of 50,000 papers`);
    await expect(page.getByRole('combobox', { name: 'Star' }).locator('option[value="1"]').textContent()).resolves.toBe(`Starred (${fmt(starredBefore + 1_000)})`);

    // Ctrl+Z (outside any text field) undoes it.
    await page.locator('.result-count').click();
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.toast-message').textContent(), SLOW).toBe('Undone: Starred 1,000 papers');
    await expect.poll(() => resultCount(page), SLOW).toBe(`${fmt(candidates)} of 50,000 papers`);
    await expect(page.getByRole('combobox', { name: 'Star' }).locator('option[value="1"]').textContent()).resolves.toBe(`Starred (${fmt(starredBefore)})`);
    for (const r of await visibleRows(page)) expect(r.starred).toBe(false);

    // And once more: the merge comes undone too, "skim" is back with its papers.
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.toast-message').textContent(), SLOW).toMatch(/^Undone: Merged tag “skim”/);
    const skimmed = lib.annotations.filter((a) => a.tagList.includes('skim')).length;
    await expect.poll(() => tagCount(page, 'skim'), SLOW).toBe(fmt(skimmed));
    // Nothing left the browser.
    expect(b.extensionRequests).toEqual([]);
  });

  it('looks right in dark mode', { timeout: 200_000 }, async () => {
    const profileDir = b.profileDir;
    await b.close({ keepProfile: true });
    b = await launchExtension({ profileDir, colorScheme: 'dark' });
    const dark = await b.extensionPage('library.html?tags=to-read');
    await dark.waitForSelector('.library[data-phase="ready"]', { timeout: 120_000 });
    const bg = await dark.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(bg).toBe('rgb(13, 17, 23)');
    await shot(dark, 'library-dark.png');
    await b.close();
    rmSync(profileDir, { recursive: true, force: true });
    b = undefined as unknown as ExtensionBrowser;
  });
});
