/**
 * Loading pages for the adapter tests: saved fixtures (read in place from ../shared/fixtures) and the
 * hand-made pages under tests/sites/pages, parsed with jsdom at their real address (scripts never run).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { FIXTURES_DIR, HANDMADE_DIR, type PageExpectation } from './fixture-expectations';

const cache = new Map<string, string>();

function read(file: string): string {
  let html = cache.get(file);
  if (html === undefined) cache.set(file, (html = readFileSync(file, 'utf8')));
  return html;
}

/** A fresh document for `html` served at `url`. */
export function parsePage(html: string, url: string): Document {
  return new JSDOM(html, { url }).window.document;
}

export function loadFixture(rel: string, url: string): Document {
  return parsePage(read(path.join(FIXTURES_DIR, rel)), url);
}

export function loadHandmade(rel: string, url: string): Document {
  return parsePage(read(path.join(HANDMADE_DIR, rel)), url);
}

export function readFixtureText(rel: string): string {
  return read(path.join(FIXTURES_DIR, rel));
}

export function loadExpected(page: PageExpectation, handmade: boolean): Document {
  return handmade ? loadHandmade(page.file, page.url) : loadFixture(page.file, page.url);
}
