/**
 * Reader settings, kept in browser.storage.local. The library reads and watches them here; the
 * background too, and hands them to the pages' content scripts with their cards' states (and each
 * change as it comes), so a page never reads storage as it loads.
 */
import { localItem } from '@/lib/local-item';

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

/** Stored under `settings` (the key WXT's storage item used: settings saved before keep working). */
// Pure: the content scripts import the defaults from here, and must not carry the storage item with them.
export const settingsItem = /* @__PURE__ */ localItem<Settings>('settings', DEFAULT_SETTINGS);

/** Stored settings merged over the defaults (a setting added later gets its default). */
export function withDefaults(stored: Partial<Settings> | undefined): Settings {
  return { ...DEFAULT_SETTINGS, ...stored };
}

export async function loadSettings(): Promise<Settings> {
  return withDefaults(await settingsItem.getValue());
}
