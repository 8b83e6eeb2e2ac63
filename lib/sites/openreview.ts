/**
 * OpenReview: venue and group pages (/group?id=...), forum pages (/forum?id=...: one paper), and other
 * lists of submissions (search results, profile publications). Ids are forum ids.
 *
 * The 2017 jQuery UI and today's React UI share little markup, but both link every submission's title
 * to `forum?id=<id>`: cards are found from those links.
 */
import { parseOpenReviewId } from '@/lib/ids';
import type { PaperLinks } from '@/lib/model';
import { type PaperLink, cardsFromLinks, cleanText, compactLinks, headingOf, lazyCard, mountAfter, textsOf } from './dom';
import type { DetectedCard, SiteAdapter } from './types';

const FORUM_LINK = 'a[href*="forum?id="]';
/**
 * Card element of the 2017 jQuery UI (checked on /group?id=ICLR.cc/2018/Conference, 2017-12):
 * `li.note[data-id]`; its tab panes also build `li.note.invitation-link` entries (console links, not
 * papers), which hold no forum link. Today's React UI (checked on venue pages, 2025) puts a
 * `div.note` inside a bare `li`: found from the structure around the forum link.
 */
const CARD_2017 = 'li.note[data-id]';
/** Author links (both UIs link profiles), and the 2017 plain-text author line ("Anonymous" when blind). */
const AUTHOR_LINKS = 'a[href*="/profile?"]';
const AUTHOR_TEXT = '.note-authors';
/** A note's fields: `strong.note-content-field` "Abstract:" followed by its value (both UIs). */
const CONTENT_FIELD = '.note-content-field, strong';
/** Forum page title: today's `h2.citation_title` in `.forum-title`; the 2017 UI's `h2.note_content_title`. */
const FORUM_TITLE = 'h2.citation_title, .forum-title h2, h2.note_content_title';
const FORUM_ROOT = '.forum-note, .note';
const FORUM_AUTHORS = '.forum-authors a, .signatures a, .meta_row a[href*="/profile?"]';
/** Where the submissions live: the narrowest container both UIs have. */
const LIST_ROOT = '#notes, main, #content';

function links(id: string, pdf?: string): PaperLinks {
  const bare = id.slice('openreview:'.length);
  return compactLinks({ openreview: `https://openreview.net/forum?id=${encodeURIComponent(bare)}`, pdf });
}

/** The forum id a link points to, or null (other hosts, reply links `forum?id=X&noteId=Y`). */
function forumIdOf(a: Element, base: URL): string | null {
  const href = a.getAttribute('href');
  if (!href) return null;
  let u: URL;
  try {
    u = new URL(href, base);
  } catch {
    return null;
  }
  if (!/^(www\.)?openreview\.net$/.test(u.hostname) || !/^\/forum\/?$/.test(u.pathname)) return null;
  const id = u.searchParams.get('id');
  const note = u.searchParams.get('noteId');
  if (!id || (note && note !== id)) return null; // a review or comment inside a forum, not the paper
  return parseOpenReviewId(id)?.id ?? null;
}

function pdfOf(root: Element, base: URL): string | undefined {
  const a = root.querySelector('a[href*="pdf?id="]');
  if (!a) return undefined;
  try {
    const u = new URL(a.getAttribute('href')!, base);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function authorsOf(root: Element): string[] {
  const linked = textsOf(root.querySelectorAll(AUTHOR_LINKS));
  if (linked.length) return linked;
  // Blind submissions show "Anonymous": not an author's name.
  return cleanText(root.querySelector(AUTHOR_TEXT))
    .split(/\s*,\s*/)
    .filter((a) => a && !/^anonymous$/i.test(a));
}

function abstractOf(root: Element): string | undefined {
  for (const field of root.querySelectorAll(CONTENT_FIELD)) {
    if (/^abstract:?$/i.test(field.textContent?.trim() ?? '')) return cleanText(field.nextElementSibling) || undefined;
  }
  return undefined;
}

function detectList(doc: Document, url: URL): DetectedCard[] {
  const boundary = doc.querySelector(LIST_ROOT) ?? doc.body;
  if (!boundary) return [];
  const hits: PaperLink[] = [];
  for (const a of boundary.querySelectorAll(FORUM_LINK)) {
    const id = forumIdOf(a, url);
    if (id) hits.push({ link: a, id });
  }
  return cardsFromLinks(hits, boundary, CARD_2017).map(({ root, id, links: cardLinks }) => {
    const titleLink = cardLinks.find((l) => l.closest('h1, h2, h3, h4, h5, h6')) ?? cardLinks.find((l) => l.firstChild) ?? cardLinks[0];
    return lazyCard({ id, aliases: [], root, place: () => ({ mount: mountAfter(root, headingOf(titleLink, root)) }) }, () => {
      const abstract = abstractOf(root);
      return {
        title: cleanText(titleLink),
        authors: authorsOf(root),
        links: links(id, pdfOf(root, url)),
        ...(abstract ? { abstract } : {}),
      };
    });
  });
}

function meta(doc: Document, name: string): string[] {
  return [...doc.querySelectorAll(`meta[name="${name}"]`)].map((m) => m.getAttribute('content')?.replace(/\s+/g, ' ').trim() ?? '').filter(Boolean);
}

/** A forum page: the paper whose id is in the URL, its card the note at the top (not the replies). */
function detectForum(doc: Document, url: URL): DetectedCard[] {
  const parsed = parseOpenReviewId(url.searchParams.get('id') ?? '');
  if (!parsed) return [];
  const scope = doc.querySelector(LIST_ROOT) ?? doc.body;
  const titleEl = scope?.querySelector(FORUM_TITLE) ?? scope?.querySelector('h2');
  if (!titleEl) return [];
  const root = titleEl.closest(FORUM_ROOT) ?? titleEl.parentElement ?? titleEl;
  const shownAuthors = textsOf(root.querySelectorAll(FORUM_AUTHORS));
  const abstract = meta(doc, 'citation_abstract')[0] ?? abstractOf(root);
  const pdf = meta(doc, 'citation_pdf_url')[0];
  return [
    {
      id: parsed.id,
      aliases: [],
      root,
      mount: mountAfter(root, titleEl),
      title: cleanText(titleEl) || meta(doc, 'citation_title')[0] || '',
      authors: shownAuthors.length ? shownAuthors : meta(doc, 'citation_author'),
      links: links(parsed.id, pdf && /^https?:\/\//.test(pdf) ? pdf : pdfOf(root, url)),
      ...(abstract ? { abstract } : {}),
    },
  ];
}

const isForum = (url: URL) => /^\/forum\/?$/.test(url.pathname);

export const openreviewAdapter: SiteAdapter = {
  name: 'openreview',
  serves: (url) => /^(www\.)?openreview\.net$/.test(url.hostname),
  isListing: (url) => !isForum(url),
  expectsCards(url, doc) {
    if (isForum(url)) return !!parseOpenReviewId(url.searchParams.get('id') ?? '');
    // A venue page shows a submissions list (both UIs call it that) or links to forums; a group that
    // only lists venues, a profile without papers, a list still loading do not.
    const scope = doc.querySelector(LIST_ROOT) ?? doc.body;
    return !!scope?.querySelector(`.submissions-list, ${FORUM_LINK}`);
  },
  detect(doc, url) {
    try {
      const cards = isForum(url) ? detectForum(doc, url) : detectList(doc, url);
      return cards.filter((c) => c.root.isConnected);
    } catch {
      return [];
    }
  },
  // The 2017 UI's lists all sit in #notes; today's UI re-renders inside main.
  observeRoot: (doc) => doc.querySelector('#notes') ?? doc.querySelector(LIST_ROOT) ?? doc.body,
};
