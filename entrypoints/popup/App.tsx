import { useEffect, useMemo, useRef, useState } from 'react';
import { browser } from 'wxt/browser';
import { PaperRow } from '@/components/PaperRow';
import { PopupHeader, PageNotice } from '@/components/PopupParts';
import { noteVersionsVia } from '@/components/NoteVersions';
import { ask } from '@/lib/messaging/client';
import type { PageCard } from '@/lib/messaging/protocol';
import type { AnnotationView } from '@/lib/model';
import { type PageAnswer, pageAnswer } from './page-request';
import type { PopupLive, Subscribable } from './live';
import './popup.css';

/** Rows rendered before the rest: a popup shows about eight. */
const FIRST_ROWS = 12;

type PageState = { status: 'loading' } | PageAnswer;

const NO_COLORS: Record<string, string | undefined> = {};
const NO_TAGS: string[] = [];

/** The latest value of a live query, once the database code is loaded (undefined before). */
function useLive<T>(live: PopupLive | null, source: ((live: PopupLive) => Subscribable<T>) | null, deps: unknown[]): T | undefined {
  const [value, setValue] = useState<T>();
  useEffect(() => {
    if (!live || !source) return;
    const sub = source(live).subscribe(setValue);
    return () => sub.unsubscribe();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [live, !!source, ...deps]);
  return value;
}

export function PopupApp({ initialPage }: { initialPage?: PageAnswer }) {
  const [page, setPage] = useState<PageState>(initialPage ?? { status: 'loading' });
  const [filter, setFilter] = useState('');
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState<'tag' | 'note' | null>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (!initialPage) void pageAnswer().then(setPage);
  }, [initialPage]);

  // The database code loads once the tab has answered (the first rows come from that answer, which
  // carries each card's star, tags and note as the page shows them); from then on everything is live.
  const [live, setLive] = useState<PopupLive | null>(null);
  useEffect(() => {
    if (page.status === 'loading') return;
    const timer = setTimeout(() => void import('./live').then((m) => setLive(m.popupLive)), 0);
    return () => clearTimeout(timer);
  }, [page.status]);

  const cards: PageCard[] = page.status === 'ok' ? page.page.cards : [];
  const ids = useMemo(() => cards.map((c) => c.id), [cards]);
  const pageViews = useMemo(() => Object.fromEntries(cards.map((c) => [c.id, c.view])), [cards]);
  const views: Record<string, AnnotationView | undefined> = useLive(live, (l) => l.views(ids), [ids]) ?? pageViews;
  const starredTotal = useLive(live, (l) => l.starredTotal(), []);
  // Colours come from the small tag table; the full tag list (counted over the whole library) is read only
  // while a tag input is open: the first rows must not wait for it.
  const tagColors = useLive(live, (l) => l.tagColors(), []) ?? NO_COLORS;
  const tagNames = useLive(live, open === 'tag' ? (l) => l.tagNames() : null, [open]) ?? NO_TAGS;
  // Render the first screenful at once and the rest just after (a 2,000-entry listing has 2,000 rows).
  const [rowLimit, setRowLimit] = useState(FIRST_ROWS);
  useEffect(() => {
    if (cards.length <= rowLimit) return;
    const timer = setTimeout(() => setRowLimit(Infinity), 50);
    return () => clearTimeout(timer);
  }, [cards.length, rowLimit]);

  const needle = filter.trim().toLowerCase();
  const shown = cards.filter((c) => {
    if (!needle) return true;
    const v = views[c.id];
    return (
      c.title.toLowerCase().includes(needle) ||
      c.authors.some((a) => a.toLowerCase().includes(needle)) ||
      v?.tags.some((t) => t.includes(needle)) ||
      v?.note.toLowerCase().includes(needle)
    );
  });
  const activeIndex = Math.min(active, Math.max(0, shown.length - 1));
  const starredHere = cards.filter((c) => views[c.id]?.starred).length;
  const newHere = cards.filter((c) => c.isNew).length;

  const edit = async (card: PageCard, change: { star?: boolean; addTags?: string[]; removeTags?: string[]; note?: string }) => {
    await ask({ type: 'annotations.edit', edits: [{ id: card.id, paper: card.paper, ...change }] });
  };

  useEffect(() => {
    listRef.current?.querySelector('[data-active]')?.scrollIntoView({ block: 'nearest' });
  }, [activeIndex]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA') {
      if (target === filterRef.current && (e.key === 'ArrowDown' || e.key === 'Enter')) {
        e.preventDefault();
        listRef.current?.focus();
      }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const card = shown[activeIndex];
    const key = e.key;
    if (key === 'ArrowDown' || key === 'j') setActive(Math.min(shown.length - 1, activeIndex + 1));
    else if (key === 'ArrowUp' || key === 'k') setActive(Math.max(0, activeIndex - 1));
    else if (key === '/') filterRef.current?.focus();
    else if (card && key === 's') void edit(card, { star: !views[card.id]?.starred });
    else if (card && key === 't') setOpen('tag');
    else if (card && key === 'n') setOpen('note');
    else return;
    e.preventDefault();
  };

  return (
    <div className="popup" onKeyDown={onKeyDown}>
      <PopupHeader
        site={page.status === 'ok' ? page.page.site : undefined}
        onPage={cards.length}
        newCount={newHere}
        starredHere={starredHere}
        starredTotal={starredTotal}
        libraryUrl={browser.runtime.getURL('/library.html')}
      />
      {page.status === 'loading' && <p className="muted pad">Looking at this page…</p>}
      {page.status === 'none' && <PageNotice kind="unsupported" />}
      {page.status === 'ok' && page.page.health === 'no-cards' && <PageNotice kind="no-cards" site={page.page.site} />}
      {page.status === 'ok' && page.page.health === 'ok' && cards.length === 0 && <PageNotice kind="empty" />}
      {cards.length > 0 && (
        <>
          <div className="filter pad">
            <input
              ref={filterRef}
              type="search"
              aria-label="Filter the papers on this page"
              placeholder="Filter by title, author, tag or note  ( / )"
              value={filter}
              onChange={(e) => {
                setFilter(e.target.value);
                setActive(0);
              }}
            />
          </div>
          <ul className="papers" ref={listRef} tabIndex={0} aria-label="Papers on this page">
            {shown.slice(0, Math.max(rowLimit, activeIndex + 1)).map((card, i) => (
              <PaperRow
                key={card.id}
                title={card.title}
                authors={card.authors}
                href={card.paper.links.abs ?? card.paper.links.url ?? card.paper.links.openreview ?? card.paper.links.acl}
                view={views[card.id] ?? card.view}
                isNew={card.isNew}
                active={i === activeIndex}
                tagColors={tagColors}
                tagSuggestions={tagNames}
                open={i === activeIndex ? open : null}
                onOpenChange={(o) => {
                  setActive(i);
                  setOpen(o);
                  if (!o) listRef.current?.focus();
                }}
                onStar={() => edit(card, { star: !views[card.id]?.starred })}
                onAddTag={(tag) => edit(card, { addTags: [tag] })}
                onRemoveTag={(tag) => edit(card, { removeTags: [tag] })}
                onSaveNote={(note) => edit(card, { note })}
                noteVersions={noteVersionsVia(ask, card.id)}
              />
            ))}
            {shown.length === 0 && <li className="muted pad">No paper on this page matches “{filter}”.</li>}
          </ul>
        </>
      )}
      <footer className="popup-footer muted pad">j/k or ↑/↓ move · s star · t tag · n note · / filter</footer>
    </div>
  );
}
