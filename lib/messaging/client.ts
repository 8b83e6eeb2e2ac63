/**
 * Sending side of the protocol, for content scripts and extension pages. Every request goes to the
 * background and comes back as data or as an Error whose message is meant for the reader.
 */
import { browser } from 'wxt/browser';
import type { Reply, Request, ResponseMap } from './protocol';

export async function ask<T extends Request>(request: T): Promise<ResponseMap[T['type']]> {
  let reply: Reply<ResponseMap[T['type']]> | undefined;
  try {
    reply = await browser.runtime.sendMessage(request);
  } catch (err) {
    throw new Error(
      'Margins could not reach its background page (the extension may have been updated: reload this page).',
      { cause: err },
    );
  }
  if (!reply) throw new Error('Margins did not answer.');
  if (!reply.ok) throw new Error(reply.error);
  return reply.data;
}
