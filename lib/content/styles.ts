/**
 * The CSS of the in-page controls. It lives in each card's shadow root, so page CSS cannot reach our
 * controls and ours cannot reach the page. Colours follow the page the controls sit on, not the reader's
 * system: arXiv stays white under a dark system theme, and light text there could not be read. The host
 * carries `data-scheme="dark"` when the page is dark (see `pageIsDark`).
 */
export const CONTROLS_CSS = `
:host { --m-fg: #1f2328; --m-muted: #59636e; --m-bg: #ffffff; --m-border: #d1d9e0; --m-chip: #eef1f4;
  --m-accent: #b35900; --m-star: #d97706; --m-focus: #0969da; --m-error: #cf222e; --m-shadow: 0 4px 16px rgba(0,0,0,.14);
}
/* Font and colour are set inside the shadow root: the host's inline 'all: initial' (which keeps page CSS
   out) also resets whatever :host would set. Custom properties survive 'all', so the palette lives on :host. */
.bar, .help { font: 12px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif;
  color: var(--m-fg); text-align: start; white-space: normal; letter-spacing: normal; }
:host([data-scheme="dark"]) { --m-fg: #e6edf3; --m-muted: #9198a1; --m-bg: #161b22; --m-border: #3d444d; --m-chip: #262c36;
  --m-accent: #f0883e; --m-star: #f2b64a; --m-focus: #4493f8; --m-error: #ff7b72; --m-shadow: 0 4px 16px rgba(0,0,0,.5); }
* { box-sizing: border-box; }
.bar { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 4px; position: relative;
  vertical-align: top; margin-inline-start: .5em; }
/* One row of the bar is 18 px, no taller than a line of the listings' text (see the host's style in controls.ts). */
/* Buttons are spans with the button role (controls.ts says why): they get a button's looks here. */
[role="button"] { font: inherit; color: inherit; background: transparent; border: 1px solid transparent; border-radius: 6px;
  padding: 0 6px; cursor: pointer; line-height: 16px; display: inline-flex; align-items: center; gap: 3px;
  user-select: none; -webkit-user-select: none; white-space: nowrap; }
[role="button"]:hover { background: var(--m-chip); }
[role="button"]:focus-visible, input:focus-visible, textarea:focus-visible { outline: 2px solid var(--m-focus); outline-offset: 1px; }
.star { padding: 0 3px; color: var(--m-muted); }
.star svg { display: block; width: 16px; height: 16px; fill: none; stroke: currentColor; stroke-width: 1.8; stroke-linejoin: round; }
.star[aria-pressed="true"] { color: var(--m-star); }
.star[aria-pressed="true"] svg { fill: currentColor; }
.chips { display: inline-flex; flex-wrap: wrap; gap: 4px; }
.chips:empty { display: none; }
.chip { background: var(--m-chip); border: 1px solid var(--m-border); border-radius: 999px; padding: 0 2px 0 8px;
  display: inline-flex; align-items: center; gap: 2px; max-width: 16em; line-height: 16px; }
.chip > span { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chip > [role="button"] { padding: 0 4px; border-radius: 999px; color: var(--m-muted); border: 0; }
.chip[data-color] { border-color: var(--chip-color); box-shadow: inset 3px 0 0 var(--chip-color); }
.add, .note-btn { color: var(--m-muted); border: 1px dashed var(--m-border); }
.note-btn[data-has-note] { border-style: solid; color: var(--m-fg); }
.snippet { color: var(--m-muted); font-style: italic; max-width: 28em; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; cursor: pointer; }
.tag-input { font: inherit; line-height: 16px; color: var(--m-fg); background: var(--m-bg); border: 1px solid var(--m-border);
  border-radius: 6px; padding: 0 6px; width: 11em; }
.popover { position: absolute; top: calc(100% + 4px); left: 0; z-index: 2147483647; background: var(--m-bg);
  color: var(--m-fg); border: 1px solid var(--m-border); border-radius: 8px; box-shadow: var(--m-shadow); }
.suggestions { list-style: none; margin: 0; padding: 4px; min-width: 11em; max-height: 14em; overflow: auto; }
.suggestions li { padding: 2px 8px; border-radius: 4px; cursor: pointer; white-space: nowrap; }
.suggestions li[aria-selected="true"] { background: var(--m-chip); outline: 1px solid var(--m-focus); }
.editor { padding: 8px; width: min(30em, 80vw); }
.editor textarea { display: block; width: 100%; min-height: 7em; resize: vertical; font: inherit; color: var(--m-fg);
  background: var(--m-bg); border: 1px solid var(--m-border); border-radius: 6px; padding: 6px; }
.editor footer { display: flex; justify-content: space-between; align-items: center; margin-top: 4px; color: var(--m-muted); }
.error { color: var(--m-error); font-weight: 600; }
.new-badge { font-size: 10px; font-weight: 700; letter-spacing: .04em; color: #fff; background: var(--m-accent);
  border-radius: 4px; padding: 0 5px; }
.help { padding: 10px 14px; position: fixed; top: 16px; right: 16px; left: auto; width: 22em; }
.help table { border-collapse: collapse; width: 100%; }
.help td { padding: 2px 6px; }
.help kbd { font: 11px ui-monospace, monospace; border: 1px solid var(--m-border); border-bottom-width: 2px;
  border-radius: 4px; padding: 0 4px; background: var(--m-chip); }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

/**
 * Styles the content script adds to the page itself: only selectors on our own attributes. A card whose
 * root has a leading sibling of its own (arXiv's dt before the dd) takes that sibling along.
 */
export const LISTING_MODES = ['dim-starred', 'hide-starred', 'dim-seen', 'hide-seen'] as const;
export type ListingMode = (typeof LISTING_MODES)[number];

const MODE_RULES: Record<ListingMode, string> = {
  'dim-starred': 'html[data-margins-dim-starred] [data-margins-starred], html[data-margins-dim-starred] dt:has(+ [data-margins-starred]) { opacity: .45; }',
  'hide-starred':
    'html[data-margins-hide-starred] [data-margins-starred], html[data-margins-hide-starred] dt:has(+ [data-margins-starred]) { display: none !important; }',
  'dim-seen': 'html[data-margins-dim-seen] [data-margins-seen="seen"], html[data-margins-dim-seen] dt:has(+ [data-margins-seen="seen"]) { opacity: .45; }',
  'hide-seen':
    'html[data-margins-hide-seen] [data-margins-seen="seen"], html[data-margins-hide-seen] dt:has(+ [data-margins-seen="seen"]) { display: none !important; }',
};

/**
 * The page's stylesheet for the listing modes the reader turned on, and only those: a rule that names an
 * attribute makes the browser re-check every element that attribute is set on (and, through `:has`, its
 * neighbours), and a listing sets the seen/starred attributes on 2,000 cards. `focusOutline`: the outline
 * around the card the keyboard focused, once the reader has used the keys.
 */
export function pageCss(modes: Iterable<ListingMode>, focusOutline: boolean): string {
  const rules = focusOutline ? ['[data-margins-focused] { outline: 2px solid #0969da !important; outline-offset: 2px; border-radius: 4px; }'] : [];
  for (const mode of modes) rules.push(MODE_RULES[mode]);
  return rules.join('\n');
}

/** [r, g, b, alpha] of a computed `rgb()`/`rgba()` colour; null for anything else. */
function parseRgb(color: string): [number, number, number, number] | null {
  const m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(color.trim());
  if (!m) return null;
  const alpha = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
  return [parseFloat(m[1]), parseFloat(m[2]), parseFloat(m[3]), alpha];
}

/** Relative luminance (WCAG) of an sRGB colour, 0 (black) to 1 (white). */
function luminance([r, g, b]: [number, number, number, number]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Ancestors of the controls whose background is read before going straight to the body and the root. */
const MAX_BACKGROUND_DEPTH = 40;

/**
 * Is the page dark where our controls sit? The first element from `el` up that paints a background
 * decides (a card, a site's app wrapper, the body, or the root: Hugging Face darkens the root with a
 * class). A page that paints none shows the browser's canvas, which is dark only when the page asks for a
 * dark `color-scheme` (and, for "light dark", the reader's system is dark). Read once per batch of
 * controls, on a page already laid out: a few style reads.
 */
export function darkBehind(el: Element | null): boolean {
  const doc = el?.ownerDocument;
  const view = doc?.defaultView;
  if (!doc || !view) return false;
  const painted = (e: Element): boolean | null => {
    const rgba = parseRgb(view.getComputedStyle(e).backgroundColor);
    return rgba && rgba[3] >= 0.5 ? luminance(rgba) < 0.2 : null;
  };
  // The nearest ancestors, then the body and the root: a hostile page may nest thousands of levels.
  let e: Element | null = el;
  for (let depth = 0; e && depth < MAX_BACKGROUND_DEPTH; depth++, e = e.parentElement) {
    const dark = painted(e);
    if (dark !== null) return dark;
  }
  // Stopped short of the top: the body and the root still decide before the canvas.
  for (const top of e ? [doc.body, doc.documentElement] : []) {
    if (!top) continue;
    const dark = painted(top);
    if (dark !== null) return dark;
  }
  const scheme = view.getComputedStyle(doc.documentElement).getPropertyValue('color-scheme');
  if (!/\bdark\b/.test(scheme)) return false;
  return !/\blight\b/.test(scheme) || view.matchMedia?.('(prefers-color-scheme: dark)').matches === true;
}
