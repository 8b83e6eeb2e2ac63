/**
 * What a site adapter is. One file per site under lib/sites/; each exports a `SiteAdapter` whose
 * `detect` is pure: (document, url) -> cards, no side effects, no globals, so tests can run it on a
 * parsed saved page.
 */
import type { PaperLinks } from '@/lib/model';

export interface DetectedCard {
  /** Canonical paper id (see lib/ids). */
  id: string;
  /** Other canonical ids the page shows for the same paper (an ACL paper's DOI). */
  aliases: string[];
  /** The card's root element: gets `data-margins-id` and the state attributes. */
  root: Element;
  /**
   * Where our controls go, and how (`afterend` of a title, `beforeend` of a meta block...). Adapters may
   * find it when first asked (lazyCard): the runtime asks as it puts the card's controls in.
   */
  mount: { anchor: Element; position: InsertPosition };
  /**
   * The title as the card's title link shows it, when the adapter reads it there: names the card's
   * controls for screen readers without reading the card's details (on Hugging Face those come from
   * the page's hydration JSON, which would otherwise be parsed as the first controls go in).
   */
  label?: string;
  title: string;
  authors: string[];
  links: PaperLinks;
  /** arXiv version shown on the card (`v2`), when the page says. */
  version?: string;
  abstract?: string;
  /** arXiv primary category shown on the card (`cs.CL`), when the page says. */
  category?: string;
}

export interface SiteAdapter {
  /** Short stable name: `arxiv`, `huggingface`, `openreview`, `scholar`, `acl`. */
  name: string;
  /** Does this adapter serve this URL at all? (The content script's `matches` are wider.) */
  serves(url: URL): boolean;
  /**
   * Should this URL show paper cards? When it should and `detect` finds none, the popup tells the
   * reader the site may have changed. (An empty arXiv month is a listing that legitimately has none;
   * adapters that can tell return false for it.)
   */
  expectsCards(url: URL, doc: Document): boolean;
  /** Listing pages record their papers as seen (for "new since your last visit"); single paper pages do not. */
  isListing(url: URL): boolean;
  /** Pure detection. Must never throw on odd pages and must never return a wrong id. */
  detect(doc: Document, url: URL): DetectedCard[];
  /**
   * The same cards as `detect`, in the same order, found one at a time as they are asked for: for sites
   * whose pages list thousands, so that the content runtime can hand the page its main thread back
   * between slices. Each card is read when asked for, from the page as it is then. Never throws.
   */
  detectEach?(doc: Document, url: URL): Iterable<DetectedCard>;
  /**
   * The element to observe for changes ("load more", re-renders, client-side navigation). Defaults to
   * `document.body`. Kept as narrow as the site allows so the observer sees little.
   */
  observeRoot?(doc: Document): Element | null;
}
