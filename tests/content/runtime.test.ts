/**
 * Which cards the content runtime watches for the viewport on a long listing. Every card watched costs
 * the browser a check in every scrolled frame, and every card coming in alone costs a frame that lays the
 * whole listing out again; so past 200 cards only every few are watched, spaced by the cards' height,
 * which the runtime learns from the viewport observer's first report. That report may come at any point
 * of the first scan, including while the scan waits for the background's answer: the order here is made
 * explicit with a controllable observer and a background that answers when told to.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { MarginsPage } from '@/lib/content/runtime';
import type { DetectedCard, SiteAdapter } from '@/lib/sites/types';

/** The background's answers held back (while `hold`), to be given when the test says so. */
const answers: (() => void)[] = [];
let hold = false;
vi.mock('@/lib/messaging/client', async () => {
  const { DEFAULT_SETTINGS } = await import('@/lib/settings');
  return {
    ask: vi.fn(
      (request: { type: string }) =>
        new Promise((resolve) => {
          if (request.type !== 'cards.report') throw new Error(`unexpected request ${request.type}`);
          const answer = () => resolve({ states: {}, firstSeen: {}, seenSince: 0, settings: DEFAULT_SETTINGS });
          if (hold) answers.push(answer);
          else answer();
        }),
    ),
  };
});

/** The last IntersectionObserver made, what it observes, and a way to deliver a report to it. */
class FakeIntersectionObserver {
  static last: FakeIntersectionObserver | null = null;
  static made = 0;
  readonly observed = new Set<Element>();
  readonly rootMargin: string;
  constructor(
    private readonly callback: IntersectionObserverCallback,
    options?: IntersectionObserverInit,
  ) {
    FakeIntersectionObserver.last = this;
    FakeIntersectionObserver.made++;
    this.rootMargin = options?.rootMargin ?? '0px';
  }
  observe(el: Element) {
    this.observed.add(el);
  }
  unobserve(el: Element) {
    this.observed.delete(el);
  }
  disconnect() {
    this.observed.clear();
  }
  takeRecords() {
    return [];
  }
  /** Report every observed card as laid out `height` px apart, the first `near` of them near the viewport. */
  report(cardsInOrder: Element[], height: number, near: number) {
    const entries = cardsInOrder
      .filter((el) => this.observed.has(el))
      .map((el) => {
        const i = cardsInOrder.indexOf(el);
        const top = i * height;
        return {
          target: el,
          isIntersecting: i < near,
          boundingClientRect: { top, bottom: top + height, height } as DOMRectReadOnly,
        } as IntersectionObserverEntry;
      });
    this.callback(entries, this as unknown as IntersectionObserver);
  }
}

const CARDS = 1_000;
const HEIGHT = 90;

function listing(): { adapter: SiteAdapter; roots: Element[] } {
  const dl = document.createElement('dl');
  const roots: Element[] = [];
  for (let i = 0; i < CARDS; i++) {
    const dd = document.createElement('dd');
    dd.innerHTML = `<span class="title">Paper ${i}</span>`;
    dl.append(dd);
    roots.push(dd);
  }
  document.body.append(dl);
  const cards = (): DetectedCard[] =>
    roots.map((root, i) => ({
      id: `arxiv:2607.${String(30000 + i).padStart(5, '0')}`,
      aliases: [],
      root,
      mount: { anchor: root.firstElementChild!, position: 'afterend' },
      title: `Paper ${i}`,
      authors: [],
      links: {},
    }));
  const adapter: SiteAdapter = {
    name: 'arxiv',
    serves: () => true,
    expectsCards: () => true,
    isListing: () => true,
    detect: cards,
    observeRoot: () => dl,
  };
  return { adapter, roots };
}

const ctx = {
  isInvalid: false,
  signal: new AbortController().signal,
  onInvalidated: () => undefined,
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  addEventListener: () => undefined,
} as unknown as ContentScriptContext;

/** The background answers what it held back, and from then on at once. */
function answerAll(): void {
  hold = false;
  for (const answer of answers.splice(0)) answer();
}

beforeEach(() => {
  answers.length = 0;
  hold = false;
  FakeIntersectionObserver.last = null;
  vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver);
});
afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

describe('the cards watched for the viewport on a long listing', () => {
  it('are every few cards once the observer reported, even when its first report comes while the scan waits for the background', async () => {
    const { adapter, roots } = listing();
    hold = true;
    const page = new MarginsPage(adapter, ctx);
    const scan = page.scan();
    // Detection done, the scan waits for the background's answer to its first report.
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    const observer = FakeIntersectionObserver.last!;
    // Until the cards' height is known, all are watched.
    expect(observer.observed.size).toBe(CARDS);
    observer.report(roots, HEIGHT, 20);
    // 600 px apart: every sixth card of 90 px, less the 20 shown (no longer watched).
    const watched = [...observer.observed];
    expect(watched.length).toBeLessThan(CARDS / 5);
    expect(watched.every((el) => roots.indexOf(el) % Math.floor(600 / HEIGHT) === 0)).toBe(true);
    answerAll();
    await scan;
    expect(observer.observed.size).toBe(watched.length);
  });

  it('are every few cards when the first report comes during the scan, before every card was found', async () => {
    const { adapter, roots } = listing();
    // Detection that hands out cards one at a time and reports to the observer halfway through.
    let reported = false;
    adapter.detectEach = function* (doc, url) {
      for (const card of adapter.detect(doc, url)) {
        if (!reported && roots.indexOf(card.root) === CARDS / 2) {
          reported = true;
          FakeIntersectionObserver.last!.report(roots, HEIGHT, 20);
        }
        yield card;
      }
    };
    const page = new MarginsPage(adapter, ctx);
    await page.scan();
    expect(reported).toBe(true);
    expect(FakeIntersectionObserver.last!.observed.size).toBeLessThan(CARDS / 5);
  });
});

describe('the viewport observer before and after the reader first moves', () => {
  it('watches the viewport itself while the page loads, and a thousand pixels around it from the first scroll on', async () => {
    const { adapter, roots } = listing();
    const page = new MarginsPage(adapter, ctx);
    await page.start();
    const loading = FakeIntersectionObserver.last!;
    expect(loading.rootMargin).toBe('0px');
    loading.report(roots, HEIGHT, 10);
    const watched = [...loading.observed];
    expect(watched.length).toBeGreaterThan(0);

    window.dispatchEvent(new Event('scroll'));
    const reading = FakeIntersectionObserver.last!;
    expect(reading).not.toBe(loading);
    expect(reading.rootMargin).toBe('1000px 0px');
    // The same cards are watched, now by the observer that looks ahead; the first one lets go of them.
    expect([...reading.observed]).toEqual(watched);
    expect(loading.observed.size).toBe(0);

    // Only the first move switches: later ones make no more observers.
    const made = FakeIntersectionObserver.made;
    window.dispatchEvent(new Event('scroll'));
    window.dispatchEvent(new Event('wheel'));
    expect(FakeIntersectionObserver.made).toBe(made);
  });

  it('makes no observer while every card is below the fold, until the reader moves', async () => {
    const { adapter, roots } = listing();
    // Laid out from just below the fold down: nothing the reader can see yet.
    roots.forEach((root, i) => {
      const top = innerHeight + 100 + i * HEIGHT;
      root.getBoundingClientRect = () => ({ top, bottom: top + HEIGHT, height: HEIGHT, width: 600 }) as DOMRect;
    });
    const page = new MarginsPage(adapter, ctx);
    await page.start();
    expect(document.querySelectorAll('[data-margins-id]')).toHaveLength(CARDS);
    expect(FakeIntersectionObserver.last).toBeNull();

    window.dispatchEvent(new Event('wheel'));
    const reading = FakeIntersectionObserver.last!;
    expect(reading.rootMargin).toBe('1000px 0px');
    expect(reading.observed.size).toBe(CARDS);
  });

  it('counts the pointer moving over the page as the first move (the page itself may bring cards into view)', async () => {
    const { adapter, roots } = listing();
    roots.forEach((root, i) => {
      const top = innerHeight + 100 + i * HEIGHT;
      root.getBoundingClientRect = () => ({ top, bottom: top + HEIGHT, height: HEIGHT, width: 600 }) as DOMRect;
    });
    await new MarginsPage(adapter, ctx).start();
    expect(FakeIntersectionObserver.last).toBeNull();

    window.dispatchEvent(new Event('pointermove'));
    expect(FakeIntersectionObserver.last?.rootMargin).toBe('1000px 0px');
    expect(FakeIntersectionObserver.last?.observed.size).toBe(CARDS);
  });

  it('watches the viewport from the first card found in it, before the scan is over', async () => {
    const { adapter, roots } = listing();
    roots.forEach((root, i) => {
      const top = i * HEIGHT;
      root.getBoundingClientRect = () => ({ top, bottom: top + HEIGHT, height: HEIGHT, width: 600 }) as DOMRect;
    });
    let observerAtSecondCard: FakeIntersectionObserver | null = null;
    adapter.detectEach = function* (doc, url) {
      let i = 0;
      for (const card of adapter.detect(doc, url)) {
        if (i++ === 1) observerAtSecondCard = FakeIntersectionObserver.last;
        yield card;
      }
    };
    await new MarginsPage(adapter, ctx).scan();
    expect(observerAtSecondCard).not.toBeNull();
    expect(observerAtSecondCard!.rootMargin).toBe('0px');
  });
});

describe('where controls go after the site re-renders a card', () => {
  it("puts a card's controls after its title as the page has it then, not after the title it replaced", async () => {
    const { adapter, roots } = listing();
    const page = new MarginsPage(adapter, ctx);
    await page.scan();
    // The site re-renders the first card's title before the card comes near the viewport.
    const rerendered = roots[0].firstElementChild!.cloneNode(true) as Element;
    roots[0].firstElementChild!.replaceWith(rerendered);
    await page.scan();
    page.show(page.ordered[0]);
    const host = roots[0].querySelector('[data-margins-ui]');
    expect(host).not.toBeNull();
    expect(host!.previousElementSibling).toBe(rerendered);
  });
});

describe('the state a page shows after its report is answered', () => {
  it('clears a star the answer to a re-rendered card leaves out (the background answers only papers with something on them)', async () => {
    const { adapter, roots } = listing();
    const page = new MarginsPage(adapter, ctx);
    await page.scan();
    const id = roots[3].getAttribute('data-margins-id')!;
    // A star this page was told about, since removed elsewhere without this page hearing of it.
    page.applyView({ id, starred: true, tags: ['cmb'], note: '' });
    expect(roots[3].hasAttribute('data-margins-starred')).toBe(true);
    // The site re-renders that card: the new element is reported, and the answer has nothing for it.
    const rerendered = roots[3].cloneNode(true) as Element;
    roots[3].replaceWith(rerendered);
    roots[3] = rerendered;
    await page.scan();
    expect(rerendered.getAttribute('data-margins-id')).toBe(id);
    expect(rerendered.hasAttribute('data-margins-starred')).toBe(false);
    expect(rerendered.hasAttribute('data-margins-tags')).toBe(false);
    expect(page.viewOf(id).starred).toBe(false);
  });
});
