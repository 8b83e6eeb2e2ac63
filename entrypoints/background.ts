import { browser } from 'wxt/browser';
import { db } from '@/lib/db';
import { handleMessage } from '@/lib/messaging/handler';
import type { Push } from '@/lib/messaging/protocol';
import type { AnnotationView } from '@/lib/model';
import { DEFAULT_SETTINGS, loadSettings, settingsItem, withDefaults } from '@/lib/settings';
import { HOST_PERMISSIONS } from '@/lib/sites/hosts';

/**
 * The only writer of the database. Thin: messages are validated and handled in lib/messaging/handler;
 * this file wires them to the browser. No state is kept in memory (an MV3 worker is stopped when idle).
 */
export default defineBackground(() => {
  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;

  /** To every open tab of a supported site (a tab without our content script just does not answer). */
  async function pushToTabs(push: Push): Promise<void> {
    const tabs = await browser.tabs.query({ url: [...HOST_PERMISSIONS] });
    await Promise.all(
      tabs.map((tab) => (tab.id === undefined ? undefined : browser.tabs.sendMessage(tab.id, push).catch(() => undefined))),
    );
  }

  const broadcast = (states: AnnotationView[]) => void pushToTabs({ type: 'annotations.changed', states });
  // The pages do not read or watch storage themselves (it cost each page load about 1 ms): they get
  // the settings with their cards' states, and each change from here.
  settingsItem.watch((stored) => void pushToTabs({ type: 'settings.changed', settings: withDefaults(stored) }));
  // A storage read that fails must not cost a page its cards' states: it gets the defaults.
  const readSettings = () => loadSettings().catch(() => DEFAULT_SETTINGS);

  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    // Only messages from our own extension. Our pages are known by their origin: the library (and the
    // popup opened as a page) live in a tab too, while a content script's sender URL is the site's page.
    if (sender.id !== browser.runtime.id) return;
    const fromExtensionPage = !!sender.url && new URL(sender.url).origin === extensionOrigin;
    handleMessage({ db, broadcast, readSettings }, message, { fromExtensionPage }).then(sendResponse);
    return true; // answer asynchronously
  });
});
