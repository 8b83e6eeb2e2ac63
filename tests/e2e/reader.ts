/**
 * What a reader does in the e2e tests, shared by the sync tests: keys on a listing's cards and the
 * library's Sync & backup panel. Vitest only (they wait with expect.poll); the harness itself stays
 * free of vitest because benches and the screenshot script use it too.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { type ImportSummary, type LocalSlice, planImport } from '../../lib/sync/import';
import type { SyncState } from '../../lib/sync/merge';
import { type ExtensionBrowser, cardRoots } from './harness';

export const rootAttr = (page: Page, id: string, attr: string) => page.getAttribute(`[data-margins-id="${id}"]`, attr);

/** Focus the n-th card (0-based) with the keyboard, from wherever the focus is. */
export async function focusCard(page: Page, index: number): Promise<string> {
  const id = (await cardRoots(page))[index].id;
  for (let i = 0; i < 200 && (await rootAttr(page, id, 'data-margins-focused')) === null; i++) {
    const focused = await page.$$eval('[data-margins-id]', (els) => els.findIndex((el) => el.hasAttribute('data-margins-focused')));
    await page.keyboard.press(focused === -1 || focused < index ? 'j' : 'k');
  }
  expect(await rootAttr(page, id, 'data-margins-focused')).toBe('');
  return id;
}

export async function toggleStar(page: Page, id: string, expectStarred: boolean) {
  await page.keyboard.press('s');
  await expect.poll(() => rootAttr(page, id, 'data-margins-starred')).toBe(expectStarred ? '' : null);
}

export async function addTag(page: Page, id: string, tag: string) {
  await page.keyboard.press('t');
  await page.keyboard.type(tag);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await expect.poll(async () => (await rootAttr(page, id, 'data-margins-tags'))?.split(' ') ?? []).toContain(tag);
}

export async function writeNote(page: Page, id: string, text: string) {
  await page.keyboard.press('n');
  const box = page.locator(`[data-margins-for="${id}"]`).getByRole('textbox', { name: /Note on/ });
  await box.waitFor();
  await box.fill(text);
  await page.keyboard.press('Escape');
  await expect.poll(() => rootAttr(page, id, 'data-margins-note')).toBe('');
}

/** The library page's Settings & backup view, once its Sync & backup panel has loaded. */
export async function syncPanel(b: ExtensionBrowser): Promise<Page> {
  const page = await b.extensionPage('library.html?view=settings');
  await page.getByRole('region', { name: 'Sync & backup' }).waitFor();
  return page;
}

/** Export the whole library through the UI; returns the downloaded file's text. */
export async function exportAll(page: Page): Promise<{ text: string; filename: string }> {
  const panel = page.getByRole('region', { name: 'Sync & backup' });
  await panel.getByLabel('Papers').selectOption('all');
  await panel.getByLabel('Format').selectOption('json');
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Export', exact: true }).click()]);
  await panel.getByText(/^Exported \d+ papers? to margins-/).waitFor();
  return { text: readFileSync((await download.path())!, 'utf8'), filename: download.suggestedFilename() };
}

/** What an import (or a folder merge) should report, from the pure planner: the device's exported state is its local side. */
export function expectedPreview(local: SyncState, incoming: SyncState): ImportSummary {
  const tagsInUse = new Set<string>();
  for (const a of local.annotations.values()) for (const [t, s] of Object.entries(a.tags)) if (s.v) tagsInUse.add(t);
  const slice: LocalSlice = { state: local, historyChunks: new Map(), tagsInUse };
  return planImport(slice, incoming).summary;
}
