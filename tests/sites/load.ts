/**
 * Loading pages for the adapter tests: saved fixtures (read in place from ../shared/fixtures) and the
 * hand-made pages under tests/sites/pages, parsed by the unit project's DOM (jsdom's DOMParser: scripts
 * never run). Adapters get the page's real address as their `url` argument; they never read the
 * document's own URL.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES_DIR, HANDMADE_DIR, type PageExpectation } from './fixture-expectations';

const cache = new Map<string, string>();

function read(file: string): string {
  let html = cache.get(file);
  if (html === undefined) cache.set(file, (html = readFileSync(file, 'utf8')));
  return html;
}

/** A fresh document for `html`, served at `url` (the tests pass the same `url` to the adapter). */
export function parsePage(html: string, _url: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

const parsed = new Map<string, Document>();

/**
 * A saved fixture, parsed once per test file and shared (the big ones take seconds in jsdom). Pass
 * `{ fresh: true }` to get a private copy for a test that changes the page.
 */
export function loadFixture(rel: string, url: string, opts: { fresh?: boolean } = {}): Document {
  const key = `${rel} ${url}`;
  if (!opts.fresh) {
    const doc = parsed.get(key);
    if (doc) return doc;
  }
  const doc = parsePage(read(path.join(FIXTURES_DIR, rel)), url);
  if (!opts.fresh) parsed.set(key, doc);
  return doc;
}

/** A hand-made page: small, so always a fresh copy. */
export function loadHandmade(rel: string, url: string): Document {
  return parsePage(read(path.join(HANDMADE_DIR, rel)), url);
}

export function readFixtureText(rel: string): string {
  return read(path.join(FIXTURES_DIR, rel));
}

export function loadExpected(page: PageExpectation, handmade: boolean): Document {
  return handmade ? loadHandmade(page.file, page.url) : loadFixture(page.file, page.url);
}
