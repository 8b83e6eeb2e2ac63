/**
 * What every content script does, whatever the site: detect cards with the site's adapter, mark each
 * card root, mount one set of controls per card, ask the background for their state in one batched
 * message, keep them live, and rescan when the page changes. Each card is processed once; our own nodes
 * never trigger a rescan; everything is torn down through the context's AbortSignal.
 */
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { ask } from '@/lib/messaging/client';
import type { AnnotationsChangedPush, PageCardsReply, SettingsChangedPush } from '@/lib/messaging/protocol';
import { type AnnotationView, EMPTY_VIEW, type PaperInput } from '@/lib/model';
import { DEFAULT_SETTINGS, type Settings } from '@/lib/settings';
import type { DetectedCard, SiteAdapter } from '@/lib/sites/types';
import { applySeenAttribute, applyStateAttributes, clearCardRoot, markCardRoot } from './card-state';
import { CardControls } from './controls';
import { KeyboardTriage } from './keyboard';
import { LISTING_MODES, type ListingMode, darkBehind, pageCss } from './styles';

/** A paper first shown within this window still counts as new (so a reload keeps the marks). */
const NEW_WINDOW_MS = 30 * 60 * 1000;
/** Cards per `cards.report` message (the background bounds messages at 2,000). */
const REPORT_CHUNK = 500;
/**
 * Controls are put into a card when it comes within this distance of the viewport, so they are there
 * before the reader scrolls to it. Until then a card only carries its data-margins-* attributes: a
 * 2,000-entry listing is not laid out again for controls nobody sees.
 *
 * Only once the reader starts moving about the page (FIRST_MOVES): while the page loads, only cards in
 * the viewport itself get controls. Controls below the fold cost the loading page a relayout and a
 * repaint for nothing the reader can see yet (on the Hugging Face daily list, whose first card starts
 * below the fold, that was about 7 ms of a 65 ms load); a reader who scrolls gets them as the first
 * scroll begins, a thousand pixels ahead.
 */
const MATERIALIZE_MARGIN = '1000px 0px';
/**
 * What counts as the reader starting to move about the page: the first of these, once. The pointer
 * moving counts too: the page's own layout can bring cards into view with no scroll (a banner that
 * collapses), and a reader at a desk moves the mouse long before clicking a card's star.
 */
const FIRST_MOVES = ['scroll', 'wheel', 'keydown', 'pointerdown', 'pointermove', 'touchstart', 'resize'] as const;
/**
 * Before the reader's first move, the viewport is watched only once a card may be in it: a viewport
 * observer costs the loading page a frame for its first report (about 2 ms on the Hugging Face daily
 * list). The first cards found are read against the viewport one by one until one is in it (watch), one
 * is below it (the cards after it in the page are too: nothing to watch until the reader moves), or this
 * many were neither (above it, on a page reloaded scrolled down, or not laid out: watch).
 */
const FIRST_CARDS_READ = 50;
/**
 * On pages with more cards than this, only every few cards is watched for the viewport (see
 * `watchCards`). The browser checks every watched element in every frame the reader scrolls: 2,000 watched
 * entries cost about 2.3 ms per 120 px scroll step on the 2,000-entry listing (measured against none). And a
 * watched card brings its neighbours in with it, so controls come in a few batches instead of one or two
 * cards per frame, each batch a frame that lays the listing out again. Scrolling 7,200 px in 60 steps
 * took 2.2 s of main thread watching every card, 0.56 s this way (0.26 s without Margins).
 */
const WATCH_ALL_UP_TO = 200;
/**
 * Watched cards are about this far apart. Any card in view then has a watched card below it (and one
 * above) within this distance, inside the 1,000 px margin, and that card brings in its neighbours; the
 * slack covers cards taller than the average.
 */
const WATCH_SPACING_PX = 600;
const RESCAN_DELAY_MS = 120;
/** Longest stretch of our work between two yields to the page. */
const SLICE_MS = 12;
/**
 * Longest stretch of building controls before yielding. Longer than SLICE_MS on purpose: every yield
 * after controls went in is followed by a frame that lays the whole listing out again (on a 2,000-entry
 * listing that frame costs as much as the controls of a whole screen), so a screen's worth goes in at once.
 */
const SHOW_SLICE_MS = 40;

function distanceFromViewport(e: IntersectionObserverEntry): number {
  const r = e.boundingClientRect;
  return r.bottom < 0 ? -r.bottom : r.top > innerHeight ? r.top - innerHeight : 0;
}

/** Where a card is against the viewport, from the layout the page has: 'neither' when above it or not laid out. */
function placeInViewport(root: Element): 'in' | 'below' | 'neither' {
  const r = root.getBoundingClientRect();
  if ((r.width === 0 && r.height === 0) || r.bottom <= 0) return 'neither';
  return r.top >= innerHeight ? 'below' : 'in';
}

/** What of the settings a page shows: its listing modes and NEW badges (the others are read when used). */
function pageLook(s: Settings): string {
  return `${s.starredOnListings}/${s.seenOnListings}/${s.markNew}`;
}

function yieldToPage(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Options every content script shares. `document_idle`: after the page's load, so we never delay its
 * first paint. `noScriptStartedPostMessage`: WXT tells older copies of the script to stop with a
 * document event and, by default, also with a `window.postMessage` that every message listener of the
 * page then receives (2-4 ms of our start on Hugging Face, measured in a trace, plus the page's own
 * handlers); the event is enough for us (this is WXT's announced future default).
 */
export const CONTENT_SCRIPT_OPTIONS = { runAt: 'document_idle', noScriptStartedPostMessage: true } as const;

export interface MountedCard {
  card: DetectedCard;
  /** Made when the card is first shown: a 2,000-entry listing needs about twenty. */
  controls: CardControls | null;
  isNew: boolean;
  /** True once the controls' host is in the card (the card came near the viewport). */
  shown: boolean;
  /** Place in `ordered` (document order) after the scan that found it. */
  index: number;
}

export class MarginsPage {
  private readonly mounted = new Map<Element, MountedCard>();
  private readonly byId = new Map<string, Set<MountedCard>>();
  private readonly views = new Map<string, AnnotationView>();
  private tagCache: { name: string; color?: string }[] | null = null;
  /** The reader's settings, as the background's first answer brings them (the defaults until then). */
  private settings: Settings = DEFAULT_SETTINGS;
  private observer: MutationObserver | null = null;
  /**
   * Shows each card's controls when the card comes into view (a 2,000-entry page shows about 20); once
   * the reader moves about the page, when it comes near (`lookAheadOnFirstMove`). None until a card may
   * be in view or the reader moves (FIRST_CARDS_READ).
   */
  private visibility: IntersectionObserver | null = null;
  /** The reader has moved about the page (FIRST_MOVES): the observer looks MATERIALIZE_MARGIN ahead. */
  private readerMoved = false;
  /** Cards that came near the viewport, shown a slice at a time (a page's first screen can hold dozens). */
  private readonly toShow = new Set<MountedCard>();
  private showing = false;
  /** Every `watchStride`-th card of `ordered` is watched for the viewport (1: all). */
  private watchStride = 1;
  /** Average height of a card, learnt from the observer's reports (0: not yet). */
  private cardHeightPx = 0;
  /** Whether the page under the controls is dark (read again for every batch of controls shown). */
  private dark: boolean | null = null;
  private observed: Element | null = null;
  /**
   * Our stylesheet in the page, added only once it has something to do (a listing mode the reader turned
   * on, or a card focused from the keyboard): adding a stylesheet restyles the whole page (about 1 ms on
   * the Hugging Face daily list), for rules that would match nothing.
   */
  private pageStyle: HTMLStyleElement | null = null;
  /** The keyboard has focused a card: the page stylesheet carries the focus outline from then on. */
  private focusOutline = false;
  private rescanTimer: number | undefined;
  private scanning = false;
  /** While a scan rebuilds `ordered` (from its first card to its last; the scan goes on to report them). */
  private detecting = false;
  private rescanRequested = false;
  private lastHealth: PageCardsReply['health'] = 'ok';
  readonly ordered: MountedCard[] = [];

  constructor(
    private readonly adapter: SiteAdapter,
    private readonly ctx: ContentScriptContext,
  ) {}

  private onVisibility(entries: IntersectionObserverEntry[]): void {
    // Nearest the viewport first: those are the ones the reader sees.
    const near = entries.filter((e) => e.isIntersecting);
    near.sort((a, b) => distanceFromViewport(a) - distanceFromViewport(b));
    if (!this.cardHeightPx) this.learnCardHeight(entries);
    const stride = this.watchStride;
    for (const e of near) {
      const m = this.mounted.get(e.target);
      if (!m) continue;
      this.toShow.add(m);
      // A watched card brings in the cards on either side of it, up to the second watched card: the next
      // watched card comes in with it, so a reader scrolling on meets a batch every other watched card
      // (scrolling the 2,000-entry listing in small steps: 0.77 s of main thread with the next watched
      // card as the bound, 0.56 s with the second; 6 runs each).
      if (stride > 1 && this.ordered[m.index] === m) {
        const reach = 2 * stride - 1;
        for (let i = Math.max(0, m.index - reach); i <= Math.min(this.ordered.length - 1, m.index + reach); i++) this.toShow.add(this.ordered[i]);
      }
    }
    void this.showQueued();
  }

  /** From the reader's first move about the page on, controls come in ahead of the viewport (MATERIALIZE_MARGIN). */
  private lookAheadOnFirstMove(): void {
    const moved = new AbortController();
    const lookAhead = () => {
      moved.abort();
      if (this.ctx.isInvalid) return;
      this.readerMoved = true;
      this.watchViewport();
    };
    for (const type of FIRST_MOVES) window.addEventListener(type, lookAhead, { capture: true, passive: true, signal: moved.signal });
    this.ctx.onInvalidated(() => moved.abort());
  }

  /** (Re)make the viewport observer, looking ahead once the reader has moved, and watch the cards with it. */
  private watchViewport(): void {
    this.visibility?.disconnect();
    this.visibility = new IntersectionObserver((entries) => this.onVisibility(entries), this.readerMoved ? { rootMargin: MATERIALIZE_MARGIN } : {});
    this.watchCards();
  }

  async start(): Promise<void> {
    this.listen();
    this.ctx.onInvalidated(() => this.teardown());
    new KeyboardTriage(this, this.ctx);
    this.lookAheadOnFirstMove();
    await this.scan();
    this.ctx.addEventListener(window, 'wxt:locationchange', () => this.requestRescan());
  }

  get shortcutsEnabled(): boolean {
    return this.settings.shortcuts;
  }

  /** Put the page stylesheet in place (or update it) for these modes, when it has anything to do. */
  private stylePage(modes: ListingMode[]): void {
    if (!this.pageStyle && !modes.length && !this.focusOutline) return;
    const css = pageCss(modes, this.focusOutline);
    if (!this.pageStyle) {
      const style = (this.pageStyle = document.createElement('style'));
      style.setAttribute('data-margins-ui', '');
      (document.head ?? document.documentElement).append(style);
      this.ctx.onInvalidated(() => style.remove());
    }
    if (this.pageStyle.textContent !== css) this.pageStyle.textContent = css;
  }

  /** The keyboard focused a card: from now on the page shows an outline around the focused one. */
  showFocusOutline(): void {
    if (this.focusOutline) return;
    this.focusOutline = true;
    this.stylePage(this.modesOn());
  }

  /** The listing modes the reader's settings turn on for this page. */
  private modesOn(): ListingMode[] {
    const s = this.settings;
    if (!this.isListing()) return [];
    const modes: ListingMode[] = [];
    if (s.starredOnListings !== 'show') modes.push(`${s.starredOnListings}-starred`);
    if (s.seenOnListings !== 'show') modes.push(`${s.seenOnListings}-seen`);
    return modes;
  }

  /**
   * Take the reader's settings (every report's answer carries them) and restyle the page when what it
   * shows changes. Usually nothing does: the page already shows what the defaults say.
   */
  private useSettings(next: Settings): void {
    const changed = pageLook(next) !== pageLook(this.settings);
    this.settings = next;
    if (changed) this.applySettings();
  }

  private applySettings(): void {
    const modes = this.modesOn();
    const html = document.documentElement;
    const hid = this.hidesCards();
    for (const mode of LISTING_MODES) html.toggleAttribute(`data-margins-${mode}`, modes.includes(mode));
    this.stylePage(modes);
    for (const m of this.mounted.values()) m.controls?.setNew(this.marksNew(m));
    // Which cards are watched depends on whether cards are hidden (see watchCards); the settings now come
    // with the first report's answer, when a 2,000-entry listing is already watched as it should be.
    if (this.ordered.length && this.hidesCards() !== hid) this.watchCards();
  }

  private isListing(): boolean {
    return this.adapter.isListing(new URL(location.href));
  }

  private listen(): void {
    const onMessage = (message: unknown, _sender: unknown, sendResponse: (r: unknown) => void) => {
      const m = message as { type?: string };
      if (m?.type === 'annotations.changed') {
        for (const view of (message as AnnotationsChangedPush).states) this.applyView(view);
        this.tagCache = null;
        return;
      }
      if (m?.type === 'settings.changed') {
        this.useSettings((message as SettingsChangedPush).settings);
        return;
      }
      if (m?.type === 'page.cards') {
        sendResponse(this.describe());
        return;
      }
    };
    browser.runtime.onMessage.addListener(onMessage);
    this.ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));
  }

  /** What the popup shows: the cards on this page, with the page's health. */
  describe(): PageCardsReply {
    const seen = new Set<string>();
    const cards = this.ordered
      .filter((m) => m.card.root.isConnected && !seen.has(m.card.id) && seen.add(m.card.id))
      .map((m) => ({
        id: m.card.id,
        title: m.card.title,
        authors: m.card.authors,
        isNew: m.isNew,
        paper: this.paperOf(m.card),
        view: this.viewOf(m.card.id),
      }));
    return { site: this.adapter.name, url: location.href, cards, health: this.lastHealth };
  }

  private paperOf(card: DetectedCard): PaperInput {
    return {
      id: card.id,
      ...(card.aliases.length ? { aliases: card.aliases } : {}),
      title: card.title.slice(0, 2000),
      authors: card.authors.slice(0, 500).map((a) => a.slice(0, 300)),
      links: card.links,
      ...(card.version ? { version: card.version } : {}),
      ...(card.abstract ? { abstract: card.abstract.slice(0, 20_000) } : {}),
      ...(card.category ? { category: card.category } : {}),
      site: this.adapter.name,
    };
  }

  /** Rescan soon, once, however many mutations arrive. */
  requestRescan(): void {
    if (this.ctx.isInvalid) return;
    if (this.rescanTimer !== undefined) return;
    this.rescanTimer = this.ctx.setTimeout(() => {
      this.rescanTimer = undefined;
      void this.scan();
    }, RESCAN_DELAY_MS);
  }

  private observe(): void {
    const target = this.adapter.observeRoot?.(document) ?? document.body;
    if (!target || target === this.observed) return;
    this.observer?.disconnect();
    this.observed = target;
    this.observer = new MutationObserver((records) => {
      // Our own hosts and attributes never trigger a rescan.
      for (const r of records) {
        for (const n of r.addedNodes) if (!isOurs(n)) return this.requestRescan();
        for (const n of r.removedNodes) if (!isOurs(n)) return this.requestRescan();
      }
    });
    this.observer.observe(target, { childList: true, subtree: true });
  }

  async scan(): Promise<void> {
    if (this.scanning) {
      this.rescanRequested = true;
      return;
    }
    this.scanning = true;
    try {
      await this.scanOnce();
    } finally {
      this.scanning = false;
      if (this.rescanRequested) {
        this.rescanRequested = false;
        this.requestRescan();
      }
    }
  }

  private async scanOnce(): Promise<void> {
    const url = new URL(location.href);
    if (!this.adapter.serves(url)) {
      this.unmountAll();
      this.lastHealth = 'unsupported';
      return;
    }
    // Forget cards whose root left the page (re-render, navigation).
    for (const [root, m] of this.mounted) if (!root.isConnected) this.forget(root, m);
    this.ordered.length = 0;
    this.detecting = true;
    this.observe();

    // Cards are mounted as the adapter finds them, and the page gets its main thread back between
    // slices: detecting a 2,000-entry arXiv listing alone took 60-70 ms in one piece.
    let found = 0;
    // Before the reader's first move: how many cards were read against the viewport, and whether one was below it.
    let firstCardsRead = 0;
    let belowFold = false;
    const fresh: DetectedCard[] = [];
    let sliceStart = performance.now();
    try {
      for (const card of this.adapter.detectEach?.(document, url) ?? this.adapter.detect(document, url)) {
        found++;
        const existing = this.mounted.get(card.root);
        // Already handled, unless a re-render took our controls out of a card that still stands.
        if (!(existing && existing.card.id === card.id && (!existing.shown || existing.controls?.isInPage))) {
          if (existing) this.forget(card.root, existing);
          fresh.push(card);
          // Where its controls go is found when they go in (show), from the page as it is then.
          if (card.root.isConnected) this.mount(card);
        } else if (!existing.shown) {
          // No controls yet: keep this scan's reading of the card, whose elements are the page's now (a
          // re-rendered title is where the controls must go, not the element it replaced).
          existing.card = card;
        }
        const m = this.mounted.get(card.root);
        if (m) {
          m.index = this.ordered.push(m) - 1;
          if (!this.visibility && !belowFold) {
            const place = placeInViewport(card.root);
            if (place === 'below') belowFold = true;
            else if (place === 'in' || ++firstCardsRead >= FIRST_CARDS_READ) this.watchViewport();
          }
          if (!m.shown && m.index % this.watchStride === 0) this.visibility?.observe(card.root);
        }
        if (performance.now() - sliceStart > SLICE_MS) {
          await yieldToPage();
          if (this.ctx.isInvalid) return;
          sliceStart = performance.now();
        }
      }
    } catch (err) {
      // An adapter must not throw; if one does, the cards found so far stay and the popup says so.
      console.warn('Margins: detection failed on this page', err);
    } finally {
      this.detecting = false;
    }
    this.lastHealth = found === 0 && this.adapter.expectsCards(url, document) ? 'no-cards' : 'ok';
    this.watchCards();
    await this.report(fresh, this.adapter.isListing(url));
  }

  private mount(card: DetectedCard): void {
    const view = this.views.get(card.id) ?? EMPTY_VIEW(card.id);
    markCardRoot(card.root, card.id);
    applyStateAttributes(card.root, view);
    const m: MountedCard = { card, controls: null, isNew: false, shown: false, index: -1 };
    this.mounted.set(card.root, m);
    let set = this.byId.get(card.id);
    if (!set) this.byId.set(card.id, (set = new Set()));
    set.add(m);
  }

  private async showQueued(): Promise<void> {
    if (this.showing || !this.toShow.size) return;
    this.showing = true;
    try {
      this.followPageScheme(this.toShow.values().next().value?.card.mount.anchor);
      let sliceStart = performance.now();
      for (const m of this.toShow) {
        if (performance.now() - sliceStart > SHOW_SLICE_MS) {
          await yieldToPage();
          if (this.ctx.isInvalid) return;
          sliceStart = performance.now();
        }
        this.toShow.delete(m);
        if (!m.shown && this.mounted.get(m.card.root) === m) this.show(m);
      }
    } finally {
      this.showing = false;
    }
  }

  /**
   * Read whether the page is dark behind our controls (`near`: where the next ones go; else any shown
   * card's place); when that changed (a site's theme switch, the system's), restyle the controls already shown.
   */
  private followPageScheme(near?: Element): void {
    const dark = darkBehind(near?.isConnected ? near : this.aShownPlace());
    if (dark === this.dark) return;
    // The page's theme is followed from the first controls on: until then there is nothing to restyle.
    if (this.dark === null) this.watchPageScheme();
    this.dark = dark;
    for (const m of this.mounted.values()) if (m.controls) m.controls.host.setAttribute('data-scheme', dark ? 'dark' : 'light');
  }

  /** The mount point of some controls in the page, else the body. */
  private aShownPlace(): Element {
    for (const m of this.mounted.values()) if (m.controls?.isInPage && m.card.mount.anchor.isConnected) return m.card.mount.anchor;
    return document.body ?? document.documentElement;
  }

  /**
   * A site's theme switch (Hugging Face sets a class on <html>) or the system's: restyle the controls at
   * once, not at the next batch. Only the root's and the body's own attributes are watched.
   */
  private watchPageScheme(): void {
    const recheck = () => this.followPageScheme();
    const observer = new MutationObserver(recheck);
    const attributeFilter = ['class', 'style', 'data-theme', 'data-color-mode'];
    observer.observe(document.documentElement, { attributes: true, attributeFilter });
    if (document.body) observer.observe(document.body, { attributes: true, attributeFilter });
    const media = window.matchMedia?.('(prefers-color-scheme: dark)');
    media?.addEventListener('change', recheck);
    this.ctx.onInvalidated(() => {
      observer.disconnect();
      media?.removeEventListener('change', recheck);
    });
  }

  /**
   * Which cards the viewport observer watches. Every card on pages with up to WATCH_ALL_UP_TO cards, and
   * while a listing mode hides cards (a hidden card never comes into view, so it could not speak for its
   * neighbours). On larger pages, every `stride`-th card, so that watched cards are at most about
   * WATCH_SPACING_PX apart: whichever card comes into view, a watched one within the margin brings it in.
   */
  private watchCards(): void {
    let stride = 1;
    const { ordered } = this;
    // Until the observer has told us how tall cards are (its first report, as the page is scanned), all.
    if (ordered.length > WATCH_ALL_UP_TO && !this.hidesCards() && this.cardHeightPx > 0) {
      stride = Math.max(1, Math.min(20, Math.floor(WATCH_SPACING_PX / this.cardHeightPx)));
    }
    this.watchStride = stride;
    for (const m of ordered) {
      if (m.shown) continue;
      if (m.index % stride === 0) this.visibility?.observe(m.card.root);
      else this.visibility?.unobserve(m.card.root);
    }
  }

  /** How tall cards are, on average, from where the observer saw the first and the last of them. */
  private learnCardHeight(entries: IntersectionObserverEntry[]): void {
    let first: { index: number; top: number } | null = null;
    let last: { index: number; bottom: number } | null = null;
    for (const e of entries) {
      const m = this.mounted.get(e.target);
      if (!m || m.index < 0 || this.ordered[m.index] !== m || e.boundingClientRect.height === 0) continue;
      if (!first || m.index < first.index) first = { index: m.index, top: e.boundingClientRect.top };
      if (!last || m.index > last.index) last = { index: m.index, bottom: e.boundingClientRect.bottom };
    }
    if (!first || !last || last.index <= first.index) return;
    const perCard = (last.bottom - first.top) / (last.index - first.index + 1);
    if (perCard <= 0) return;
    this.cardHeightPx = perCard;
    // Not while a scan rebuilds `ordered` (it calls watchCards itself once every card is in), and only
    // then: the observer's first report can also come while the scan waits for the background's answer,
    // and a report ignored there left every card watched for good (each small scroll step on a
    // 2,000-entry listing then brought in one card and a relayout of the whole listing).
    if (!this.detecting) this.watchCards();
  }

  /** Does a listing mode the reader turned on hide some cards? */
  private hidesCards(): boolean {
    const html = document.documentElement;
    return html.hasAttribute('data-margins-hide-starred') || html.hasAttribute('data-margins-hide-seen');
  }

  /** Put a card's controls in place and build them (near the viewport, or focused by the keyboard). */
  show(m: MountedCard): CardControls {
    this.toShow.delete(m);
    this.visibility?.unobserve(m.card.root);
    if (this.dark === null) this.followPageScheme(m.card.mount.anchor);
    const controls = (m.controls ??= this.controlsFor(m));
    if (!controls.isInPage && m.card.mount.anchor.isConnected) {
      controls.host.setAttribute('data-scheme', this.dark ? 'dark' : 'light');
      controls.host.setAttribute('data-margins-for', m.card.id);
      m.card.mount.anchor.insertAdjacentElement(m.card.mount.position, controls.host);
    }
    m.shown = true;
    controls.materialize();
    return controls;
  }

  private controlsFor(m: MountedCard): CardControls {
    const { card } = m;
    const controls = new CardControls(() => card.label || card.title || card.id, this.viewOf(card.id), this.actionsFor(card));
    controls.setNew(this.marksNew(m));
    return controls;
  }

  /** Does this card show its NEW badge (new to the reader, and the setting is on)? */
  private marksNew(m: MountedCard): boolean {
    return m.isNew && this.settings.markNew;
  }

  private forget(root: Element, m: MountedCard): void {
    this.visibility?.unobserve(root);
    m.controls?.detach();
    if (root.isConnected) clearCardRoot(root);
    this.mounted.delete(root);
    this.byId.get(m.card.id)?.delete(m);
  }

  private unmountAll(): void {
    for (const [root, m] of this.mounted) this.forget(root, m);
    this.ordered.length = 0;
  }

  private teardown(): void {
    this.observer?.disconnect();
    this.visibility?.disconnect();
    this.unmountAll();
  }

  private async report(cards: DetectedCard[], listing: boolean): Promise<void> {
    const now = Date.now();
    for (let i = 0; i < cards.length; i += REPORT_CHUNK) {
      const chunk = cards.slice(i, i + REPORT_CHUNK);
      let reply;
      try {
        reply = await ask({
          type: 'cards.report',
          cards: chunk.map((c) => (c.aliases.length ? { id: c.id, aliases: c.aliases.slice(0, 10) } : { id: c.id })),
          listing,
        });
      } catch (err) {
        console.warn('Margins:', err instanceof Error ? err.message : err);
        return;
      }
      this.useSettings(reply.settings);
      for (const view of Object.values(reply.states)) this.applyView(view);
      // A paper the answer leaves out has nothing on it: clear what this page last knew of it (a card the
      // site re-rendered is mounted with that, and a change may have come while the page missed pushes).
      for (const card of chunk) if (!reply.states[card.id] && this.views.has(card.id)) this.applyView(EMPTY_VIEW(card.id));
      if (listing) {
        for (const card of chunk) {
          const first = reply.firstSeen[card.id];
          const m = this.mounted.get(card.root);
          if (!m || first === undefined) continue;
          // New: first shown within the window (a reload keeps the mark), and not on the very first visit ever.
          m.isNew = now - first < NEW_WINDOW_MS && first - reply.seenSince > NEW_WINDOW_MS;
          applySeenAttribute(card.root, m.isNew ? 'new' : 'seen');
          m.controls?.setNew(this.marksNew(m));
        }
      }
    }
  }

  applyView(view: AnnotationView): void {
    this.views.set(view.id, view);
    for (const m of this.byId.get(view.id) ?? []) {
      applyStateAttributes(m.card.root, view);
      m.controls?.update(view);
    }
  }

  viewOf(id: string): AnnotationView {
    return this.views.get(id) ?? EMPTY_VIEW(id);
  }

  private async edit(card: DetectedCard, change: { star?: boolean; addTags?: string[]; removeTags?: string[]; note?: string }): Promise<void> {
    const { states } = await ask({ type: 'annotations.edit', edits: [{ id: card.id, paper: this.paperOf(card), ...change }] });
    for (const s of states) this.applyView({ ...s, id: card.id });
  }

  private actionsFor(card: DetectedCard) {
    return {
      toggleStar: () => this.edit(card, { star: !this.viewOf(card.id).starred }),
      addTag: (tag: string) => this.edit(card, { addTags: [tag] }),
      removeTag: (tag: string) => this.edit(card, { removeTags: [tag] }),
      saveNote: (note: string) => this.edit(card, { note }),
      suggestTags: async (prefix: string) => {
        this.tagCache ??= (await ask({ type: 'tags.list' })).tags;
        return this.tagCache.filter((t) => t.name.startsWith(prefix) || (prefix.length > 1 && t.name.includes(prefix))).map((t) => t.name);
      },
      tagColor: (tag: string) => this.tagCache?.find((t) => t.name === tag)?.color,
    };
  }
}

function isOurs(node: Node): boolean {
  return node.nodeType === 1 && (node as Element).hasAttribute('data-margins-ui');
}
