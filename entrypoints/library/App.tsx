/**
 * The library page: wires the in-memory store (reads), the background (writes, through `ask`), the URL
 * (the view) and the components together. Writes never touch the database from here.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { BulkBar } from '@/components/library/BulkBar';
import { EmptyLibrary } from '@/components/library/EmptyLibrary';
import { FilterPanel } from '@/components/library/FilterPanel';
import { LibraryList } from '@/components/library/LibraryList';
import type { RowEditor } from '@/components/library/LibraryRow';
import { SettingsPanel } from '@/components/library/SettingsPanel';
import { TagPanel } from '@/components/library/TagPanel';
import { type UndoEntry, UndoToast } from '@/components/library/UndoToast';
import { ExportReminder } from '@/components/sync/ExportReminder';
import { PanelShown } from '@/components/sync/panel-shown';
import { db as defaultDb } from '@/lib/db';
import type { MarginsDB } from '@/lib/db/schema';
import { DEFAULT_FILTERS, type LibraryFilters, filtersToSearch, isFiltered, parseFilters } from '@/lib/library/filters';
import { type LibraryItem, countSites, countTags, createQueryRunner, sortItems, viewOfItem } from '@/lib/library/query';
import { LibraryStore } from '@/lib/library/store';
import { noteVersionsVia } from '@/components/NoteVersions';
import { ask as defaultAsk } from '@/lib/messaging/client';
import type { Request, ResponseMap } from '@/lib/messaging/protocol';
import type { AnnotationView } from '@/lib/model';
import { DEFAULT_SETTINGS, type Settings, loadSettings, settingsItem, withDefaults } from '@/lib/settings';

type Ask = <T extends Request>(request: T) => Promise<ResponseMap[T['type']]>;
type View = 'library' | 'settings';

const num = (n: number) => n.toLocaleString('en-US');
const papers = (n: number) => `${num(n)} ${n === 1 ? 'paper' : 'papers'}`;

/** Views per undo message: the background bounds a message at 5,000 views and about 12 MB. */
const RESTORE_CHUNK_VIEWS = 2_000;
const RESTORE_CHUNK_CHARS = 4_000_000;

function chunkViews(views: AnnotationView[]): AnnotationView[][] {
  const out: AnnotationView[][] = [];
  let cur: AnnotationView[] = [];
  let chars = 0;
  for (const v of views) {
    const size = v.note.length + v.tags.join().length + v.id.length + 40;
    if (cur.length && (cur.length >= RESTORE_CHUNK_VIEWS || chars + size > RESTORE_CHUNK_CHARS)) {
      out.push(cur);
      cur = [];
      chars = 0;
    }
    cur.push(v);
    chars += size;
  }
  if (cur.length) out.push(cur);
  return out;
}

function viewFromUrl(): View {
  return new URLSearchParams(location.search).get('view') === 'settings' ? 'settings' : 'library';
}

function isEditable(el: EventTarget | null): boolean {
  const t = el as HTMLElement | null;
  return !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
}

export function LibraryApp(props: { db?: MarginsDB; ask?: Ask; syncPanel?: React.ReactNode; store?: LibraryStore }) {
  const db = props.db ?? defaultDb;
  const ask: Ask = props.ask ?? defaultAsk;
  // main.tsx starts the store before React renders, so reading the first rows overlaps the first render.
  const given = props.store;
  const store = useMemo(() => given ?? new LibraryStore(db), [given, db]);
  useEffect(() => {
    if (given) return;
    void store.start();
    return () => store.stop();
  }, [store, given]);
  const snap = useSyncExternalStore(store.subscribe, store.getSnapshot);

  // --- the view, kept in the URL -------------------------------------------------------------
  const [filters, setFilters] = useState<LibraryFilters>(() => parseFilters(location.search));
  const [view, setView] = useState<View>(viewFromUrl);
  useEffect(() => {
    const search = filtersToSearch(filters);
    const params = [search, view === 'settings' ? 'view=settings' : ''].filter(Boolean).join('&');
    const next = `${location.pathname}${params ? `?${params}` : ''}${location.hash}`;
    if (next !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', next);
  }, [filters, view]);
  useEffect(() => {
    const onPop = () => {
      setFilters(parseFilters(location.search));
      setView(viewFromUrl());
    };
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  // --- rows -----------------------------------------------------------------------------------
  const tagMetas = useLiveQuery(() => db.tagMeta.toArray(), [db]) ?? [];
  const tagColors = useMemo(() => Object.fromEntries(tagMetas.filter((m) => m.color).map((m) => [m.name, m.color])), [tagMetas]);
  const tagCounts = useMemo(() => countTags(snap.items), [snap.items]);
  const tags = useMemo(() => tagCounts.map((t) => ({ ...t, color: tagColors[t.name] })), [tagCounts, tagColors]);
  const tagNames = useMemo(() => tagCounts.map((t) => t.name), [tagCounts]);
  const sites = useMemo(() => countSites(snap.items), [snap.items]);
  const starredCount = useMemo(() => snap.items.reduce((n, it) => n + (it.starred ? 1 : 0), 0), [snap.items]);
  const noteCount = useMemo(() => snap.items.reduce((n, it) => n + (it.note ? 1 : 0), 0), [snap.items]);
  const sorted = useMemo(() => sortItems(snap.items, filters.sort), [snap.items, filters.sort]);
  const runner = useRef(createQueryRunner());
  const results = useMemo(() => runner.current(sorted, filters), [sorted, filters]);
  const resultsRef = useRef(results);
  resultsRef.current = results;

  const patchFilters = useCallback((patch: Partial<LibraryFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
  }, []);

  // --- selection ------------------------------------------------------------------------------
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const anchor = useRef<number | null>(null);
  const [activeIndex, setActiveIndex] = useState(-1);
  const [editing, setEditing] = useState<{ id: string; editor: RowEditor } | null>(null);
  // A new view starts a new selection: selecting "all matching" must mean what the reader sees.
  const viewKey = JSON.stringify({ ...filters, q: filters.q.trim() });
  useEffect(() => {
    setSelected((s) => (s.size ? new Set() : s));
    anchor.current = null;
    setActiveIndex(-1);
  }, [viewKey]);
  const selectedInView = useMemo(() => (selected.size ? results.filter((it) => selected.has(it.id)) : []), [results, selected]);
  const selectedTags = useMemo(() => countTags(selectedInView).map((t) => t.name), [selectedInView]);

  const onToggleSelect = useCallback((id: string, index: number, shift: boolean) => {
    // Read the anchor now: the updater below runs later, after the anchor has moved to this row.
    const from = anchor.current;
    const rows = resultsRef.current;
    setSelected((prev) => {
      const next = new Set(prev);
      if (shift && from !== null) {
        const [lo, hi] = [Math.min(from, index), Math.max(from, index)];
        const on = prev.has(rows[from]?.id ?? '') || !prev.has(id);
        for (let i = lo; i <= hi && i < rows.length; i++) (on ? next.add(rows[i].id) : next.delete(rows[i].id));
      } else if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
    anchor.current = index;
    setActiveIndex(index);
  }, []);

  // --- undo -----------------------------------------------------------------------------------
  const undoStack = useRef<{ id: number; message: string; before: AnnotationView[] }[]>([]);
  const [toast, setToast] = useState<UndoEntry | null>(null);
  const [status, setStatus] = useState('');
  const [undoing, setUndoing] = useState(false);
  const nextUndoId = useRef(1);

  const remember = useCallback((message: string, before: AnnotationView[]) => {
    setStatus('');
    if (!before.length) {
      setToast(null);
      setStatus(message);
      return;
    }
    const entry = { id: nextUndoId.current++, message, before };
    undoStack.current.push(entry);
    setToast({ id: entry.id, message });
  }, []);

  const undo = useCallback(async () => {
    const entry = undoStack.current.pop();
    if (!entry) {
      setStatus('Nothing to undo.');
      return;
    }
    setUndoing(true);
    try {
      for (const chunk of chunkViews(entry.before)) await ask({ type: 'annotations.restore', views: chunk });
      const prev = undoStack.current.at(-1);
      setToast(prev ? { id: prev.id, message: prev.message } : null);
      setStatus(`Undone: ${entry.message}`);
    } catch (err) {
      undoStack.current.push(entry);
      setStatus(`Could not undo: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setUndoing(false);
    }
  }, [ask]);

  // --- writes ---------------------------------------------------------------------------------
  const editOne = useCallback(
    async (id: string, change: { star?: boolean; addTags?: string[]; removeTags?: string[]; note?: string }) => {
      await ask({ type: 'annotations.edit', edits: [{ id, ...change }] });
    },
    [ask],
  );
  const onStar = useCallback(
    async (item: LibraryItem) => {
      await editOne(item.id, { star: !item.starred });
      // Unstarring a paper with nothing else on it takes it out of the library: make that undoable.
      if (item.starred) remember(`Unstarred “${item.title || item.id}”`, [viewOfItem(item)]);
    },
    [editOne, remember],
  );
  const onAddTag = useCallback((item: LibraryItem, tag: string) => editOne(item.id, { addTags: [tag] }), [editOne]);
  const onRemoveTag = useCallback(
    async (item: LibraryItem, tag: string) => {
      await editOne(item.id, { removeTags: [tag] });
      remember(`Removed tag “${tag}” from “${item.title || item.id}”`, [viewOfItem(item)]);
    },
    [editOne, remember],
  );
  const onSaveNote = useCallback((item: LibraryItem, note: string) => editOne(item.id, { note }), [editOne]);
  const noteVersions = useCallback((item: LibraryItem) => noteVersionsVia(ask, item.id), [ask]);
  const onDeleteOne = useCallback(
    async (item: LibraryItem) => {
      const r = await ask({ type: 'papers.delete', ids: [item.id] });
      remember(`Removed “${item.title || item.id}” from the library`, r.before);
    },
    [ask, remember],
  );
  const onEditorChange = useCallback((id: string, editor: RowEditor) => setEditing(editor ? { id, editor } : null), []);

  const selectedIds = () => selectedInView.map((it) => it.id);
  const bulk = {
    star: async (starred: boolean) => {
      const ids = selectedIds();
      const r = await ask({ type: 'papers.bulkEdit', ids, star: starred });
      remember(
        r.changed ? `${starred ? 'Starred' : 'Unstarred'} ${papers(r.changed)}` : `All ${papers(ids.length)} were already ${starred ? 'starred' : 'unstarred'}.`,
        r.before,
      );
    },
    addTag: async (tag: string) => {
      const r = await ask({ type: 'papers.bulkEdit', ids: selectedIds(), addTags: [tag] });
      remember(r.changed ? `Tagged ${papers(r.changed)} “${tag}”` : `All already carry “${tag}”.`, r.before);
    },
    removeTag: async (tag: string) => {
      const r = await ask({ type: 'papers.bulkEdit', ids: selectedIds(), removeTags: [tag] });
      remember(`Removed tag “${tag}” from ${papers(r.changed)}`, r.before);
    },
    delete: async () => {
      const r = await ask({ type: 'papers.delete', ids: selectedIds() });
      setSelected(new Set());
      remember(`Removed ${papers(r.before.length)} from the library`, r.before);
    },
  };

  // Stable handlers: the tag list (200 rows) must not render again on every keystroke.
  const tagActions = useMemo(() => {
    const replaceTagInFilters = (from: string[], into: string | null) =>
      setFilters((f) => {
        if (!f.tags.some((t) => from.includes(t))) return f;
        const tags = f.tags.map((t) => (from.includes(t) ? into : t)).filter((t): t is string => !!t);
        return { ...f, tags: [...new Set(tags)] };
      });
    return {
      rename: async (from: string, to: string) => {
        const r = await ask({ type: 'tags.rename', from, to });
        replaceTagInFilters([from], to);
        remember(`Renamed tag “${from}” to “${to}” on ${papers(r.changed)}`, r.before);
      },
      merge: async (from: string, into: string) => {
        const r = await ask({ type: 'tags.merge', from: [from], into });
        replaceTagInFilters([from], into);
        remember(`Merged tag “${from}” into “${into}” on ${papers(r.changed)}`, r.before);
      },
      delete: async (tag: string) => {
        const r = await ask({ type: 'tags.delete', tag });
        replaceTagInFilters([tag], null);
        remember(`Deleted tag “${tag}” from ${papers(r.changed)}`, r.before);
      },
      color: async (tag: string, color: string | null) => {
        await ask({ type: 'tags.setColor', tag, color });
      },
      toggle: (tag: string) =>
        setFilters((f) => ({ ...f, tags: f.tags.includes(tag) ? f.tags.filter((t) => t !== tag) : [...f.tags, tag] })),
      mode: (mode: 'all' | 'any') => setFilters((f) => ({ ...f, mode })),
    };
  }, [ask, remember]);

  // --- settings -------------------------------------------------------------------------------
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [settingsSaved, setSettingsSaved] = useState(false);
  useEffect(() => {
    void loadSettings().then(setSettings);
    return settingsItem.watch((next) => setSettings(withDefaults(next)));
  }, []);
  const changeSettings = (patch: Partial<Settings>) => {
    const next = { ...settings, ...patch };
    setSettings(next);
    setSettingsSaved(false);
    void settingsItem.setValue(next).then(() => setSettingsSaved(true));
  };

  // --- keyboard -------------------------------------------------------------------------------
  const searchRef = useRef<HTMLInputElement>(null);
  const keyState = useRef({ undo, results, activeIndex, editing, selected });
  keyState.current = { undo, results, activeIndex, editing, selected };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const k = keyState.current;
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'z') {
        if (isEditable(e.target)) return; // the field's own undo
        e.preventDefault();
        void k.undo();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || isEditable(e.target)) return;
      const item = k.results[k.activeIndex];
      if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (e.key === 'Escape') {
        if (k.selected.size) setSelected(new Set());
      } else if (e.key === 'j' || e.key === 'k') {
        e.preventDefault();
        const next = e.key === 'j' ? Math.min(k.results.length - 1, k.activeIndex + 1) : Math.max(0, k.activeIndex - 1);
        setActiveIndex(next);
        anchor.current = next;
      } else if (item && e.key === 'x') {
        onToggleSelect(item.id, k.activeIndex, e.shiftKey);
      } else if (item && e.key === 's') {
        void onStar(item).catch((err) => setStatus(err instanceof Error ? err.message : String(err)));
      } else if (item && (e.key === 't' || e.key === 'n')) {
        e.preventDefault();
        setEditing({ id: item.id, editor: e.key === 't' ? 'tag' : 'note' });
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [onStar, onToggleSelect]);

  // --- render ---------------------------------------------------------------------------------
  const total = snap.items.length;
  const ready = snap.phase === 'ready';

  // The Sync & backup panel keeps the sync folder in step "while this page is open", whichever view is
  // shown: once the list is loaded (its code loads after the rows), the settings view stays mounted,
  // hidden in the library view.
  const [settingsMounted, setSettingsMounted] = useState(view === 'settings');
  useEffect(() => {
    if (view === 'settings' || (ready && props.syncPanel)) setSettingsMounted(true);
  }, [view, ready, props.syncPanel]);
  const filtered = isFiltered(filters);
  const summary =
    snap.phase === 'starting'
      ? 'Opening your library…'
      : !ready
        ? `Newest ${papers(total)} shown; loading the rest for search…`
        : filtered
          ? `${num(results.length)} of ${papers(total)}`
          : papers(total);

  return (
    <div className="library" data-phase={snap.phase}>
      <header className="lib-header">
        <h1>
          <span className="brand-mark" aria-hidden="true">
            ★
          </span>{' '}
          Margins <span className="muted">library</span>
        </h1>
        {view === 'library' && (
          <div className="search">
            <input
              ref={searchRef}
              type="search"
              aria-label="Search titles, authors, tags and notes"
              placeholder="Search titles, authors, tags and notes   ( / )"
              value={filters.q}
              onChange={(e) => patchFilters({ q: e.target.value })}
              onKeyDown={(e) => {
                if (e.key === 'Escape' && filters.q) {
                  e.preventDefault();
                  patchFilters({ q: '' });
                }
              }}
            />
          </div>
        )}
        <nav className="lib-nav" aria-label="Sections">
          <button type="button" aria-current={view === 'library' ? 'page' : undefined} onClick={() => setView('library')}>
            Library
          </button>
          <button type="button" aria-current={view === 'settings' ? 'page' : undefined} onClick={() => setView('settings')}>
            Settings &amp; backup
          </button>
        </nav>
      </header>

      {settingsMounted && (
        <main className="lib-settings" hidden={view !== 'settings'}>
          <SettingsPanel settings={settings} onChange={changeSettings} saved={settingsSaved} />
          <PanelShown.Provider value={view === 'settings'}>{props.syncPanel}</PanelShown.Provider>
        </main>
      )}
      {view === 'settings' ? null : ready && total === 0 ? (
        <main className="lib-empty">
          <EmptyLibrary />
        </main>
      ) : (
        <div className="lib-body">
          <aside className="lib-side" aria-label="Filters and tags">
            <FilterPanel filters={filters} sites={sites} starredCount={starredCount} noteCount={noteCount} onChange={patchFilters} />
            <TagPanel
              tags={tags}
              selected={filters.tags}
              mode={filters.mode}
              onToggle={tagActions.toggle}
              onModeChange={tagActions.mode}
              onRename={tagActions.rename}
              onMerge={tagActions.merge}
              onDelete={tagActions.delete}
              onColor={tagActions.color}
            />
          </aside>
          <main className="lib-main">
            <div className="lib-reminder">
              <ExportReminder db={db} />
            </div>
            <div className="lib-summary">
              <span className="result-count" aria-live="polite" data-count={results.length}>
                {summary}
              </span>
              {filters.tags.length > 0 && (
                <span className="active-tags">
                  with {filters.tags.length > 1 ? (filters.mode === 'all' ? 'all of' : 'any of') : ''}{' '}
                  {filters.tags.map((t) => (
                    <button key={t} type="button" className="chip filter-chip" aria-label={`Stop filtering by tag ${t}`} onClick={() => setFilters((f) => ({ ...f, tags: f.tags.filter((x) => x !== t) }))}>
                      <span>{t}</span> ×
                    </button>
                  ))}
                </span>
              )}
              {filtered && (
                <button type="button" className="link-btn" onClick={() => setFilters({ ...DEFAULT_FILTERS, sort: filters.sort })}>
                  Clear filters
                </button>
              )}
            </div>
            <BulkBar
              selectedCount={selectedInView.length}
              matchingCount={results.length}
              allMatchingSelected={selectedInView.length === results.length}
              selectedTags={selectedTags}
              tagSuggestions={tagNames}
              onSelectAllMatching={() => setSelected(new Set(results.map((it) => it.id)))}
              onClear={() => setSelected(new Set())}
              onStar={bulk.star}
              onAddTag={bulk.addTag}
              onRemoveTag={bulk.removeTag}
              onDelete={bulk.delete}
            />
            {ready && results.length === 0 ? (
              <div className="no-results">
                <p>No paper matches this view.</p>
                <button type="button" onClick={() => setFilters({ ...DEFAULT_FILTERS, sort: filters.sort })}>
                  Clear search and filters
                </button>
              </div>
            ) : (
              <LibraryList
                items={results}
                query={filters.q}
                label="Papers in your library"
                selected={selected}
                activeIndex={activeIndex}
                editing={editing}
                tagColors={tagColors}
                tagSuggestions={tagNames}
                onEditorChange={onEditorChange}
                onToggleSelect={onToggleSelect}
                onStar={onStar}
                onAddTag={onAddTag}
                onRemoveTag={onRemoveTag}
                onSaveNote={onSaveNote}
                noteVersions={noteVersions}
                onDelete={onDeleteOne}
              />
            )}
          </main>
        </div>
      )}
      <UndoToast
        entry={toast}
        busy={undoing}
        status={status}
        onUndo={() => void undo()}
        onDismiss={() => setToast(null)}
      />
      {snap.phase === 'error' && (
        <div className="error pad" role="alert">
          Margins could not read your library: {snap.error}
        </div>
      )}
    </div>
  );
}
