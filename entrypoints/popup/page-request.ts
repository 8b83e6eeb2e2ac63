/**
 * Ask the current tab for its cards as the popup opens. The question is asked by `popup-request.js`
 * (entrypoints/popup-request.ts), a classic script that runs before the popup's modules are even
 * evaluated, so the answer travels while React is being parsed; the app then awaits the same promise.
 */
import { browser } from 'wxt/browser';
import type { PageCardsReply } from '@/lib/messaging/protocol';

export type PageAnswer = { status: 'none'; reason: 'no-tab' | 'no-script' } | { status: 'ok'; page: PageCardsReply };

declare global {
  interface Window {
    /** Set by popup-request.js. */
    marginsPageAnswer?: Promise<PageAnswer>;
  }
}

/** The tab the popup describes: the active tab, or `?tab=<id>` (used when the popup is opened as a page). */
async function targetTabId(): Promise<number | undefined> {
  const param = new URLSearchParams(location.search).get('tab');
  if (param && /^\d+$/.test(param)) return Number(param);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

export async function askTab(): Promise<PageAnswer> {
  const tabId = await targetTabId();
  if (tabId === undefined) return { status: 'none', reason: 'no-tab' };
  try {
    const page = (await browser.tabs.sendMessage(tabId, { type: 'page.cards' })) as PageCardsReply | undefined;
    return page ? { status: 'ok', page } : { status: 'none', reason: 'no-script' };
  } catch {
    return { status: 'none', reason: 'no-script' };
  }
}

/** The early question's answer, or a question asked now if the early script did not run. */
export function pageAnswer(): Promise<PageAnswer> {
  return (window.marginsPageAnswer ??= askTab());
}
