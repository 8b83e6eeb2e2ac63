import { browser } from 'wxt/browser';
import { db } from '@/lib/db';
import { handleMessage } from '@/lib/messaging/handler';
import type { AnnotationsChangedPush } from '@/lib/messaging/protocol';
import type { AnnotationView } from '@/lib/model';
import { HOST_PERMISSIONS } from '@/lib/sites/hosts';

/**
 * The only writer of the database. Thin: messages are validated and handled in lib/messaging/handler;
 * this file wires them to the browser. No state is kept in memory (an MV3 worker is stopped when idle).
 */
export default defineBackground(() => {
  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;

  async function broadcast(states: AnnotationView[]): Promise<void> {
    const push: AnnotationsChangedPush = { type: 'annotations.changed', states };
    const tabs = await browser.tabs.query({ url: [...HOST_PERMISSIONS] });
    await Promise.all(
      tabs.map((tab) => (tab.id === undefined ? undefined : browser.tabs.sendMessage(tab.id, push).catch(() => undefined))),
    );
  }

  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    // Only messages from our own extension. Our pages are known by their origin: the library (and the
    // popup opened as a page) live in a tab too, while a content script's sender URL is the site's page.
    if (sender.id !== browser.runtime.id) return;
    const fromExtensionPage = !!sender.url && new URL(sender.url).origin === extensionOrigin;
    handleMessage({ db, broadcast: (s) => void broadcast(s) }, message, { fromExtensionPage }).then(sendResponse);
    return true; // answer asynchronously
  });
});
