import { browser } from 'wxt/browser';
import { describe, expect, it } from 'vitest';
import { localItem } from '@/lib/local-item';
import { DEFAULT_SETTINGS, loadSettings, settingsItem } from '@/lib/settings';

describe('localItem', () => {
  it('reads settings stored by earlier versions under the same key, with new settings defaulted', async () => {
    // What WXT's storage item wrote before: the value under `settings`, and its version under `settings$`.
    await browser.storage.local.set({ settings: { shortcuts: false, starredOnListings: 'dim' }, settings$: { v: 1 } });
    expect(await loadSettings()).toEqual({ ...DEFAULT_SETTINGS, shortcuts: false, starredOnListings: 'dim' });
    await settingsItem.setValue(DEFAULT_SETTINGS);
    expect((await browser.storage.local.get('settings')).settings).toEqual(DEFAULT_SETTINGS);
  });

  it('watches its own key only, gives the fallback when the key is removed, and stops when unwatched', async () => {
    const item = localItem<number>('margins-test-count', 7);
    expect(await item.getValue()).toBe(7);
    const seen: number[] = [];
    const unwatch = item.watch((next) => seen.push(next));
    await item.setValue(3);
    await browser.storage.local.set({ 'another-key': 1 });
    await browser.storage.local.remove('margins-test-count');
    await expect.poll(() => seen).toEqual([3, 7]);
    unwatch();
    await item.setValue(9);
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([3, 7]);
    expect(await item.getValue()).toBe(9);
  });
});
