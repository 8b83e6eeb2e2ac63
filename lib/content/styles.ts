/**
 * The CSS of the in-page controls. It lives in each card's shadow root, so page CSS cannot reach our
 * controls and ours cannot reach the page. Colours follow the page's colour scheme: light by default,
 * dark when the reader's system (or the site, through `color-scheme`) is dark.
 */
export const CONTROLS_CSS = `
:host { --m-fg: #1f2328; --m-muted: #59636e; --m-bg: #ffffff; --m-border: #d1d9e0; --m-chip: #eef1f4;
  --m-accent: #b35900; --m-star: #d97706; --m-focus: #0969da; --m-error: #cf222e; --m-shadow: 0 4px 16px rgba(0,0,0,.14);
}
/* Font and colour are set inside the shadow root: the host's inline 'all: initial' (which keeps page CSS
   out) also resets whatever :host would set. Custom properties survive 'all', so the palette lives on :host. */
.bar, .help { font: 12px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif;
  color: var(--m-fg); text-align: start; white-space: normal; letter-spacing: normal; }
@media (prefers-color-scheme: dark) {
  :host { --m-fg: #e6edf3; --m-muted: #9198a1; --m-bg: #161b22; --m-border: #3d444d; --m-chip: #262c36;
    --m-accent: #f0883e; --m-star: #f2b64a; --m-focus: #4493f8; --m-error: #ff7b72; --m-shadow: 0 4px 16px rgba(0,0,0,.5); }
}
* { box-sizing: border-box; }
.bar { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 4px; position: relative;
  vertical-align: top; margin-inline-start: .5em; }
/* One row of the bar is 18 px, no taller than a line of the listings' text (see the host's style in controls.ts). */
button { font: inherit; color: inherit; background: transparent; border: 1px solid transparent; border-radius: 6px;
  padding: 0 6px; cursor: pointer; line-height: 16px; display: inline-flex; align-items: center; gap: 3px; }
button:hover { background: var(--m-chip); }
button:focus-visible, input:focus-visible, textarea:focus-visible { outline: 2px solid var(--m-focus); outline-offset: 1px; }
.star { font-size: 15px; line-height: 16px; padding: 0 4px; color: var(--m-muted); }
.star[aria-pressed="true"] { color: var(--m-star); }
.chips { display: inline-flex; flex-wrap: wrap; gap: 4px; }
.chips:empty { display: none; }
.chip { background: var(--m-chip); border: 1px solid var(--m-border); border-radius: 999px; padding: 0 2px 0 8px;
  display: inline-flex; align-items: center; gap: 2px; max-width: 16em; line-height: 16px; }
.chip > span { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chip > button { padding: 0 4px; border-radius: 999px; color: var(--m-muted); border: 0; }
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
export type ListingMode = 'dim-starred' | 'hide-starred' | 'dim-seen' | 'hide-seen';

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
 * neighbours), and a listing sets the seen/starred attributes on 2,000 cards.
 */
export function pageCss(modes: Iterable<ListingMode>): string {
  const rules = ['[data-margins-focused] { outline: 2px solid #0969da !important; outline-offset: 2px; border-radius: 4px; }'];
  for (const mode of modes) rules.push(MODE_RULES[mode]);
  return rules.join('\n');
}
