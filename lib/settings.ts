/**
 * Reader settings, stored with WXT storage items (browser.storage.local), so content scripts, the
 * popup and the library all read and watch the same values.
 */
import { storage } from 'wxt/utils/storage';

export interface Settings {
  /** Keyboard triage on listing pages (j/k/s/t/n/?). */
  shortcuts: boolean;
  /** What to do with starred papers on listing pages. */
  starredOnListings: 'show' | 'dim' | 'hide';
  /** What to do with papers seen on an earlier visit. */
  seenOnListings: 'show' | 'dim' | 'hide';
  /** Mark papers not seen before as new. */
  markNew: boolean;
  /** Remind to export when the last export is older than this many days (0: never). */
  exportReminderDays: number;
}

export const DEFAULT_SETTINGS: Settings = {
  shortcuts: true,
  starredOnListings: 'show',
  seenOnListings: 'show',
  markNew: true,
  exportReminderDays: 14,
};

export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});

/** Stored settings merged over the defaults (a setting added later gets its default). */
export async function loadSettings(): Promise<Settings> {
  return { ...DEFAULT_SETTINGS, ...(await settingsItem.getValue()) };
}
