/**
 * One value in `browser.storage.local`, read, written and watched the same way by the background, the
 * popup and the library. (WXT's storage module offers the same and more: versioned migrations and
 * metadata we do not use. It was 8 kB of every 48 kB content script, and read its key once more as
 * each page loaded.)
 */
import { browser } from 'wxt/browser';

export interface LocalItem<T> {
  /** The stored value, or the fallback when none is stored. */
  getValue(): Promise<T>;
  setValue(value: T): Promise<void>;
  /** Calls back with each new value (the fallback when the key is removed); returns the unwatch. */
  watch(callback: (next: T) => void): () => void;
}

export function localItem<T>(key: string, fallback: T): LocalItem<T> {
  return {
    async getValue() {
      const stored = (await browser.storage.local.get(key))[key] as T | undefined;
      return stored ?? fallback;
    },
    async setValue(value) {
      await browser.storage.local.set({ [key]: value });
    },
    watch(callback) {
      const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
        if (area !== 'local' || !(key in changes)) return;
        callback((changes[key].newValue as T | undefined) ?? fallback);
      };
      browser.storage.onChanged.addListener(listener);
      return () => browser.storage.onChanged.removeListener(listener);
    },
  };
}
