/**
 * Small, pure DOM helpers shared by the site adapters.
 */

/**
 * What a browser-saved page puts inside titles besides the text a reader sees: MathJax's rendered
 * spans, its preview copies and the TeX source scripts. Skipped when reading text.
 */
const NOISE = 'script, style, noscript, template, .MathJax_Preview, .MathJax, .MathJax_Display, .MathJax_SVG, mjx-container, mjx-assistive-mml, .descriptor';

/**
 * The visible text of an element, whitespace collapsed, skipping MathJax noise, descriptors ("Title:")
 * and any element matching `skip`. Reads text nodes directly: no cloning, so it stays cheap on 2,000 cards.
 */
export function cleanText(el: Element | null | undefined, skip?: string): string {
  if (!el) return '';
  const doc = el.ownerDocument;
  const skipSelector = skip ? `${NOISE}, ${skip}` : NOISE;
  const parts: string[] = [];
  const walker = doc.createTreeWalker(el, 5 /* SHOW_ELEMENT | SHOW_TEXT */, {
    acceptNode(node) {
      if (node.nodeType === 1) return (node as Element).matches(skipSelector) ? 2 /* REJECT */ : 3 /* SKIP */;
      return 1; /* ACCEPT */
    },
  });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) parts.push(n.nodeValue ?? '');
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
  const out: string[] = [];
  for (const el of els) {
    const t = cleanText(el);
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}
