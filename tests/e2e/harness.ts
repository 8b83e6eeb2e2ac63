/**
 * End-to-end harness: the built extension (.output/chrome-mv3) in Debian's Chromium, driven by
 * playwright-core. Pages are served at their real addresses (so the manifest's matches apply) from
 * files; every other request is blocked and recorded, so tests can assert that nothing leaves the browser.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, type Page, type Worker, chromium } from 'playwright-core';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SHARED_FIXTURES = path.resolve(ROOT, '../shared/fixtures');
export const EXTENSION_DIR = path.join(ROOT, process.env.MARGINS_OUT_DIR ?? '.output', 'chrome-mv3');

export function fixturePath(rel: string): string {
  return path.join(SHARED_FIXTURES, rel);
}

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((c) => c && existsSync(c));
  if (!found) throw new Error('Chromium not found: install Debian\'s chromium (apt-get install -y chromium) or set CHROMIUM_PATH');
  return found;
}

export interface ServedPage {
  body: string | Buffer;
  contentType?: string;
}

/** The window every extension browser gets unless a test asks for another. */
export const HARNESS_VIEWPORT = { width: 1280, height: 900 };

/** How a served page is answered (benches serve their baselines the same way). */
export function servedPage(page: ServedPage): { status: number; body: string | Buffer; contentType: string } {
  return { status: 200, body: page.body, contentType: page.contentType ?? 'text/html; charset=utf-8' };
}

export interface LaunchOptions {
  /** Reuse a profile directory (a "device"); a fresh temporary one by default. */
  profileDir?: string;
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  worker: Worker;
  /** Every http(s) request the browser made, in order. */
  requests: string[];
  /** Requests made by an extension context (service worker, popup, library): must stay empty. */
  extensionRequests: string[];
  /** Requests that were not served by `serve` (they were blocked). */
  blocked: string[];
  /** Serve `body` at `url` (exact URL, query included, fragment ignored) or at every URL matching a RegExp. */
  serve(url: string | RegExp, page: ServedPage | string): void;
  /** Serve a file of ../shared/fixtures at `url`. */
  serveFixture(url: string, rel: string): void;
  /** Open a page (served) and wait until Margins has decorated it (or `timeout`). */
  open(url: string, opts?: { waitForCards?: boolean }): Promise<Page>;
  /** Open one of our pages: `popup.html?tab=<id of tab>` or `library.html...`. */
  extensionPage(pathAndQuery: string): Promise<Page>;
  /** Open the popup as the reader would see it for `page` (the popup describes that tab). */
  popupFor(page: Page): Promise<Page>;
  /** The browser's tab id of a page (asked of the service worker). */
  tabIdOf(page: Page): Promise<number>;
  profileDir: string;
  close(opts?: { keepProfile?: boolean }): Promise<void>;
}

export async function launchExtension(options: LaunchOptions = {}): Promise<ExtensionBrowser> {
  if (!existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error('The extension is not built: run `npm run build` first (npm test does).');
  }
  const profileDir = options.profileDir ?? mkdtempSync(path.join(tmpdir(), 'margins-e2e-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    headless: true,
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? HARNESS_VIEWPORT,
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
    ],
  });
  const requests: string[] = [];
  const extensionRequests: string[] = [];
  const blocked: string[] = [];
  const exact = new Map<string, ServedPage>();
  const patterns: [RegExp, ServedPage][] = [];
  const key = (u: string) => u.replace(/#.*$/, '');

  context.on('request', (req) => {
    const u = req.url();
    let fromExtension = !!req.serviceWorker();
    try {
      fromExtension ||= req.frame().url().startsWith('chrome-extension://');
    } catch {
      // requests of a worker have no frame
    }
    if (/^https?:/.test(u)) requests.push(u);
    if (fromExtension && !u.startsWith('chrome-extension://')) extensionRequests.push(u);
  });
  await context.route(/^https?:\/\//, async (route) => {
    const u = route.request().url();
    const hit = exact.get(key(u)) ?? patterns.find(([re]) => re.test(u))?.[1];
    if (!hit) {
      blocked.push(u);
      return route.abort('blockedbyclient');
    }
    await route.fulfill(servedPage(hit));
  });

  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;

  const api: ExtensionBrowser = {
    context,
    extensionId,
    worker,
    requests,
    extensionRequests,
    blocked,
    profileDir,
    serve(url, page) {
      const served = typeof page === 'string' ? { body: page } : page;
      if (typeof url === 'string') exact.set(key(url), served);
      else patterns.push([url, served]);
    },
    serveFixture(url, rel) {
      api.serve(url, { body: readFileSync(fixturePath(rel)) });
    },
    async open(url, opts = {}) {
      const page = await context.newPage();
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      if (opts.waitForCards !== false) {
        await page.waitForSelector('[data-margins-id]', {
          state: 'attached',
          timeout: 20_000,
        });
      }
      return page;
    },
    async extensionPage(pathAndQuery) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${pathAndQuery.replace(/^\//, '')}`);
      return page;
    },
    async tabIdOf(page) {
      // Mark the page so that the worker can tell it from other tabs on the same URL.
      const marker = `margins-e2e-${Math.random().toString(36).slice(2)}`;
      await page.evaluate((m) => {
        (window as unknown as { __title: string }).__title = document.title;
        document.title = m;
      }, marker);
      const id = await worker.evaluate(async (m) => {
        const tabs = await chrome.tabs.query({});
        return tabs.find((t) => t.title === m)?.id;
      }, marker);
      await page.evaluate(() => {
        document.title = (window as unknown as { __title: string }).__title;
      });
      if (id === undefined) throw new Error('tab not found');
      return id;
    },
    async popupFor(page) {
      const tabId = await api.tabIdOf(page);
      const popup = await context.newPage();
      await popup.setViewportSize({ width: 460, height: 600 });
      await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
      return popup;
    },
    async close(opts = {}) {
      await context.close();
      if (!opts.keepProfile && !options.profileDir) rmSync(profileDir, { recursive: true, force: true });
    },
  };
  return api;
}

/**
 * Requests that a page did not ask for: every request must be the page itself or a URL the served HTML
 * names (its own scripts, styles, images). Anything else came from us.
 */
export function unexplainedRequests(b: ExtensionBrowser, pages: { url: string; html: string }[]): string[] {
  return b.requests.filter((u) => {
    const url = new URL(u);
    return !pages.some((p) => {
      if (u.replace(/#.*$/, '') === p.url) return true;
      if (url.origin !== new URL(p.url).origin) return false;
      const rel = url.pathname + url.search;
      return p.html.includes(rel) || p.html.includes(rel.replace(/&/g, '&amp;')) || p.html.includes(url.pathname);
    });
  });
}

/** Attributes of every card root on a page, in document order. */
export function cardRoots(page: Page) {
  return page.$$eval('[data-margins-id]', (els) =>
    els.map((el) => ({
      id: el.getAttribute('data-margins-id')!,
      starred: el.hasAttribute('data-margins-starred'),
      tags: el.getAttribute('data-margins-tags') ?? '',
      note: el.hasAttribute('data-margins-note'),
      seen: el.getAttribute('data-margins-seen'),
    })),
  );
}

/** The paper id of every set of controls mounted on a page, in document order. */
export function controlHosts(page: Page): Promise<string[]> {
  return page.$$eval('[data-margins-for]', (els) => els.map((el) => el.getAttribute('data-margins-for')!));
}

/**
 * The controls of one card, scrolled into view as a reader would (controls are built when their card
 * nears the viewport). Returns the locator of the card's controls host.
 */
export async function revealCard(page: Page, id: string) {
  await page.locator(`[data-margins-id="${id}"]`).first().evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const host = page.locator(`[data-margins-for="${id}"]`).first();
  await host.locator('[role="button"]').first().waitFor({ state: 'attached' });
  return host;
}

/**
 * Scroll the whole page from top to bottom as a reader would, a screen at a time, so that every card's
 * controls come into place; then back to the top. Returns the ids of all controls on the page.
 */
export async function scrollThrough(page: Page): Promise<string[]> {
  await page.evaluate(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight) {
      window.scrollTo(0, y);
      await frame();
    }
    window.scrollTo(0, document.documentElement.scrollHeight);
    await frame();
    await frame();
    window.scrollTo(0, 0);
  });
  return controlHosts(page);
}

/** Wait until `n` card roots carry data-margins-id. */
export async function waitForCards(page: Page, n: number): Promise<void> {
  await page.waitForFunction((n) => document.querySelectorAll('[data-margins-id]').length === n, n, { timeout: 20_000 });
}
