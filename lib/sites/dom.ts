/**
 * Small, pure DOM helpers shared by the site adapters.
 */
import type { PaperLinks } from '@/lib/model';
import type { DetectedCard } from './types';

/**
 * What a browser-saved page puts inside titles besides the text a reader sees: MathJax's rendered
 * spans (v2: .MathJax*, .MJX_Assistive_MathML; v3: mjx-container, handled in texOf), its preview
 * copies, anything that is not text, arXiv's descriptors ("Title:"), and our own controls (mounted
 * inside some titles). Skipped when reading text. Checked by tag and class directly rather than with
 * a selector: this runs for every element of every title and abstract.
 */
const NOISE_TAGS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'svg', 'SVG']);
const NOISE_CLASS = /(?:^|\s)(?:MathJax(?:_Preview|_Display|_SVG|_SVG_Display|_CHTML)?|MJX_Assistive_MathML|descriptor)(?:\s|$)/;

function isNoise(el: Element): boolean {
  if (NOISE_TAGS.has(el.tagName) || el.hasAttribute('data-margins-ui')) return true;
  const cls = el.getAttribute('class');
  return cls !== null && NOISE_CLASS.test(cls);
}

/** Longest text we read out of one element: titles and abstracts are far shorter; hostile pages are not. */
const MAX_TEXT = 50_000;

/**
 * MathJax v2 keeps each formula's TeX source in `<script type="math/tex">` right after its rendering, and
 * arXiv's own title text is that TeX between dollars: putting the dollars back gives the title as arXiv
 * stores it (`Constraints on $H_0$`), the same whether or not MathJax ran. MathJax v3 keeps no TeX; its
 * container's assistive MathML text is the closest thing (`H0`).
 */
function texOf(el: Element): string | null {
  if (el.tagName === 'SCRIPT') {
    const type = (el.getAttribute('type') ?? '').toLowerCase();
    if (!type.startsWith('math/tex')) return null;
    const tex = (el.textContent ?? '').trim();
    return type.includes('mode=display') ? `$$${tex}$$` : `$${tex}$`;
  }
  if (el.tagName === 'MJX-CONTAINER') {
    return el.querySelector('mjx-assistive-mml')?.textContent?.trim() ?? '';
  }
  return null;
}

/**
 * The visible text of an element, whitespace collapsed, skipping MathJax noise, descriptors ("Title:")
 * and any element matching `skip`. Walks the tree iteratively (no recursion: a hostile page may nest
 * thousands of levels) and reads text nodes directly, so it stays cheap on 2,000 cards.
 */
export function cleanText(el: Element | null | undefined, skip?: string): string {
  if (!el) return '';
  // Most titles and author names are one text node: read it directly.
  const only = el.firstChild;
  if (only && only === el.lastChild && only.nodeType === 3) return (only.nodeValue ?? '').slice(0, MAX_TEXT).replace(/\s+/g, ' ').trim();
  const parts: string[] = [];
  let length = 0;
  let node: Node | null = el.firstChild;
  while (node && length < MAX_TEXT) {
    let descend = false;
    if (node.nodeType === 3 /* TEXT */) {
      const value = node.nodeValue ?? '';
      parts.push(value);
      length += value.length;
    } else if (node.nodeType === 1 /* ELEMENT */) {
      const tex = texOf(node as Element);
      if (tex !== null) parts.push(tex);
      else descend = !isNoise(node as Element) && !(skip && (node as Element).matches(skip));
    }
    if (descend && node.firstChild) {
      node = node.firstChild;
      continue;
    }
    while (node && node !== el && !node.nextSibling) node = node.parentNode;
    if (!node || node === el) break;
    node = node.nextSibling;
  }
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** Absolute http(s) URL of a link, or undefined. */
export function absoluteHref(a: Element | null | undefined, base: URL): string | undefined {
  const raw = a?.getAttribute('href');
  if (!raw) return undefined;
  try {
    const url = new URL(raw, base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The texts of several elements, cleaned, empty ones dropped, duplicates removed (order kept). */
export function textsOf(els: Iterable<Element>): string[] {
  const seen = new Set<string>();
  for (const el of els) {
    const t = cleanText(el);
    if (t) seen.add(t);
  }
  return [...seen];
}

/** What a card says about its paper, besides its id. */
export interface CardDetails {
  title: string;
  authors: string[];
  links: PaperLinks;
  version?: string;
  abstract?: string;
  category?: string;
}

/** Where a card's controls go, and the title its link shows when detection can tell (DetectedCard.label). */
export interface CardPlace {
  mount: DetectedCard['mount'];
  label?: string;
}

/**
 * A card whose details, and where its controls go, are read from the page when first asked for, once.
 * Detection then only finds ids and roots, so a 2,000-entry listing is detected well within a frame;
 * the content runtime finds each card's place and reads its title as it puts the card's controls in,
 * for the cards the reader comes near. Reading later is just as pure: the same elements, read a little
 * later. (A class with getters: giving 2,000 objects accessors of their own costs several times more.)
 */
class LazyCard implements DetectedCard {
  private details: CardDetails | undefined;
  private placed: CardPlace | undefined;
  constructor(
    readonly id: string,
    readonly aliases: string[],
    readonly root: Element,
    private readonly place: CardPlace | (() => CardPlace),
    private readonly read: () => CardDetails,
  ) {}

  private get p(): CardPlace {
    if (!this.placed) {
      try {
        this.placed = typeof this.place === 'function' ? this.place() : this.place;
      } catch {
        this.placed = { mount: { anchor: this.root, position: 'beforeend' } }; // never throw into the page
      }
    }
    return this.placed;
  }
  get mount(): DetectedCard['mount'] {
    return this.p.mount;
  }
  get label(): string | undefined {
    return this.p.label;
  }
  private get d(): CardDetails {
    if (!this.details) {
      try {
        this.details = this.read();
      } catch {
        this.details = { title: '', authors: [], links: {} }; // an odd card keeps its id; never throw into the page
      }
    }
    return this.details;
  }
  get title(): string {
    return this.d.title;
  }
  get authors(): string[] {
    return this.d.authors;
  }
  get links(): PaperLinks {
    return this.d.links;
  }
  get version(): string | undefined {
    return this.d.version;
  }
  get abstract(): string | undefined {
    return this.d.abstract;
  }
  get category(): string | undefined {
    return this.d.category;
  }
  toJSON() {
    const { id, aliases, title, authors, links, version, abstract, category } = this;
    return { id, aliases, title, authors, links, version, abstract, category };
  }
}

/**
 * A card read lazily (see LazyCard). `place`: where its controls go, or how to find that (called when
 * the card's controls are first put in, or when asked).
 */
export function lazyCard(base: Pick<DetectedCard, 'id' | 'aliases' | 'root'> & { place: CardPlace | (() => CardPlace) }, read: () => CardDetails): DetectedCard {
  return new LazyCard(base.id, base.aliases, base.root, base.place, read);
}

/** Drop empty values from a links object (only http(s) URLs are kept by absoluteHref). */
export function compactLinks<T extends object>(links: T): T {
  return Object.fromEntries(Object.entries(links).filter(([, v]) => v)) as T;
}

const HEADING = /^H[1-6]$/;

export function isHeading(el: Element): boolean {
  return HEADING.test(el.tagName);
}

/** A link to a paper found on a page, with the canonical id it points to. */
export interface PaperLink {
  link: Element;
  id: string;
}

/** One card found from its links: the root element, its paper's id, and its links to that paper. */
export interface LinkedCard {
  root: Element;
  id: string;
  links: Element[];
}

/**
 * Group paper links into cards, for sites whose cards are best recognised by the links they hold
 * (Hugging Face's /papers/<id>, OpenReview's forum?id=, the Anthology's /<id>/).
 *
 * - When the layout is known, the root is `link.closest(knownRoot)` (a selector named and dated by the
 *   adapter).
 * - Otherwise (a redesign we have not seen) the root is found from the structure alone: the largest
 *   element around the card's links that links to no other paper, climbing from the links' common
 *   ancestor and stopping below `boundary`, below any element that also links to another paper, at a
 *   list item (li, tr, article), and at a section heading placed right before us (a year heading over a
 *   one-paper list is not part of the card).
 *
 * A root that holds links to two papers (possible only with `knownRoot`) belongs to the paper its heading
 * links to, else to its first link. The same paper in two separate cards gives two cards with the same
 * id; with no known layout, two links to one paper with nothing else between them are one card.
 * Cost: one walk up from each link, shared between links (a Map of owners), so 10,000 cards stay linear.
 */
export function cardsFromLinks(hits: readonly PaperLink[], boundary: Element, knownRoot?: string): LinkedCard[] {
  // Needed only for links outside any known root: on a page of the known layout, never built.
  let owner: Map<Element, string | null> | undefined;

  // Region of each link: its highest ancestor (below the boundary) that links to this paper only.
  const regions = new Map<Element, { hits: PaperLink[]; known: boolean }>();
  for (const hit of hits) {
    const { link, id } = hit;
    if (!boundary.contains(link)) continue;
    let key: Element | null = knownRoot ? link.closest(knownRoot) : null;
    const known = !!key && key !== boundary && boundary.contains(key);
    if (!known) {
      owner ??= paperOwners(hits, boundary);
      key = link;
      for (let p = link.parentElement; p && p !== boundary && owner.get(p) === id; p = p.parentElement) key = p;
    }
    const region = regions.get(key!);
    if (region) region.hits.push(hit);
    else regions.set(key!, { hits: [hit], known });
  }

  const cards: LinkedCard[] = [];
  for (const [key, region] of regions) {
    let chosen = region.hits;
    if (region.known && chosen.some((h) => h.id !== chosen[0].id)) {
      // A known root holding links to several papers belongs to the one its heading links to.
      const titled = chosen.find((h) => h.link.closest('h1, h2, h3, h4, h5, h6, strong'));
      const id = (titled ?? chosen[0]).id;
      chosen = chosen.filter((h) => h.id === id);
    }
    const links = chosen.map((h) => h.link);
    const root = region.known ? key : climbToCard(commonAncestor(links), key);
    cards.push({ root, id: chosen[0].id, links });
  }
  return cards;
}

/** The one paper each link's ancestors (below the boundary) link to, or null for those linking to more than one. */
function paperOwners(hits: readonly PaperLink[], boundary: Element): Map<Element, string | null> {
  const owner = new Map<Element, string | null>();
  for (const { link, id } of hits) {
    for (let e: Element | null = link; e && e !== boundary; e = e.parentElement) {
      const o = owner.get(e);
      if (o === undefined) owner.set(e, id);
      else if (o === id || o === null) break; // everything above is already this id or shared
      else owner.set(e, null);
    }
  }
  return owner;
}

/** Deepest element containing all `els` (they share an ancestor below the region top by construction). */
function commonAncestor(els: Element[]): Element {
  let anc: Element = els[0];
  for (let i = 1; i < els.length; i++) {
    while (!anc.contains(els[i]) && anc.parentElement) anc = anc.parentElement;
  }
  return anc;
}

/** Elements that are one item of a list by their very tag: a card never grows beyond them. */
const ITEM_TAGS = new Set(['LI', 'TR', 'ARTICLE']);

/**
 * From the links' common ancestor up to the region top, stopping at a list item (li, tr, article) and
 * at a section heading right before us (a year heading over a one-paper list is not part of the card).
 */
function climbToCard(start: Element, top: Element): Element {
  let current = start;
  while (current !== top && current.parentElement) {
    if (ITEM_TAGS.has(current.tagName) || precededByHeading(current)) break;
    current = current.parentElement;
  }
  return current;
}

function precededByHeading(el: Element): boolean {
  for (let s = el.previousElementSibling; s; s = s.previousElementSibling) if (isHeading(s)) return true;
  return false;
}

/**
 * Where a card's controls go: right after `target` (its title heading, or the title link), inside the
 * root, and never inside a link: clicking a control must not navigate. Without a target, at the end of
 * the root. A card whose root is itself a link (or inside one) gets its controls right after that link.
 */
export function mountAfter(root: Element, target: Element | null | undefined): DetectedCard['mount'] {
  const enclosing = root.closest('a');
  if (enclosing) {
    let outer: Element = enclosing;
    for (let a = outer.parentElement?.closest('a'); a; a = a.parentElement?.closest('a')) outer = a;
    return { anchor: outer, position: 'afterend' };
  }
  if (!target || target === root || !root.contains(target)) return { anchor: root, position: 'beforeend' };
  let anchor: Element = target;
  for (let a = anchor.closest('a'); a && a !== root && root.contains(a); a = a.parentElement?.closest('a') ?? null) anchor = a;
  return anchor === root ? { anchor: root, position: 'beforeend' } : { anchor, position: 'afterend' };
}

/** The heading (h1-h6) around `el` inside `root`, else `el`. */
export function headingOf(el: Element, root: Element): Element {
  const h = el.closest('h1, h2, h3, h4, h5, h6');
  return h && h !== root && root.contains(h) ? h : el;
}
