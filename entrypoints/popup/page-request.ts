/**
 * Ask the current tab for its cards as the popup opens. index.html loads this module before the React app,
 * so the answer travels while React is still being parsed; the app then awaits the same promise.
 */
import { browser } from 'wxt/browser';
import type { PageCardsReply } from '@/lib/messaging/protocol';

export type PageAnswer = { status: 'none'; reason: 'no-tab' | 'no-script' } | { status: 'ok'; page: PageCardsReply };

/** The tab the popup describes: the active tab, or `?tab=<id>` (used when the popup is opened as a page). */
async function targetTabId(): Promise<number | undefined> {
  const param = new URLSearchParams(location.search).get('tab');
  if (param && /^\d+$/.test(param)) return Number(param);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

async function askTab(): Promise<PageAnswer> {
  const tabId = await targetTabId();
  if (tabId === undefined) return { status: 'none', reason: 'no-tab' };
  try {
    const page = (await browser.tabs.sendMessage(tabId, { type: 'page.cards' })) as PageCardsReply | undefined;
    return page ? { status: 'ok', page } : { status: 'none', reason: 'no-script' };
  } catch {
    return { status: 'none', reason: 'no-script' };
  }
}

export const pageAnswer: Promise<PageAnswer> = askTab();
