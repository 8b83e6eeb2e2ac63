/**
 * The library's rows in memory, kept in step with the database.
 *
 * Why not one useLiveQuery over the tables: at 50,000 papers every write (a note autosaving while the
 * reader types) would re-read and re-parse every record. Instead:
 *  1. the first page is read by the `updatedAt` index (newest first), so rows show at once;
 *  2. then everything is read once (for search, counts and the other sorts);
 *  3. after that, Dexie's `storagemutated` event (fired for writes in this page and, through a
 *     BroadcastChannel, for the background's writes) names the keys that changed, and only those
 *     records are read again.
 * It also keeps the stored records themselves (every annotation, blank ones with only tombstones
 * included, and every paper): the Sync & backup panel exports and previews imports from them
 * (`records()`) instead of reading 100,000 records from IndexedDB again.
 */
import Dexie, { RangeSet, type ObservabilitySet } from 'dexie';
import { readByKeys } from '@/lib/db/read';
import type { MarginsDB } from '@/lib/db/schema';
import { type Annotation, type Paper, isBlank } from '@/lib/model';
import { type LibraryItem, itemFrom, itemWithAnnotation } from './query';

export type LoadPhase = 'starting' | 'first-page' | 'ready' | 'error';

/** The annotations and papers tables as the database holds them (a copy: later changes do not show). */
export interface LibraryRecords {
  annotations: ReadonlyMap<string, Annotation>;
  papers: ReadonlyMap<string, Paper>;
}

export interface LibrarySnapshot {
  phase: LoadPhase;
  /** Papers in the library, in no particular order (the view sorts them). */
  items: readonly LibraryItem[];
  byId: ReadonlyMap<string, LibraryItem>;
  /** Bumped on every change, so views can memoise on it. */
  version: number;
  error?: string;
}

/** Enough rows to fill a tall window (rows are about 80 px); the rest comes with the full load. */
export const FIRST_PAGE_SIZE = 30;

interface IndexWithGetAllRecords {
  getAllRecords(options: { count?: number; direction?: IDBCursorDirection }): IDBRequest<{ value: unknown }[]>;
}

/**
 * The `count` newest papers of the library (blank annotations left out) in one request, where the
 * browser has IDBIndex.getAllRecords (Chromium 141+). Null where it has not, or when blank records
 * crowd the newest ones: then a cursor finds them. A cursor, walking newest first, costs a round trip
 * to the database every few rows, and on a page that just opened that was a third of the time to
 * its first rows.
 */
export async function newestInOneRequest(db: MarginsDB, count: number): Promise<Annotation[] | null> {
  await db.open();
  const index = db.backendDB().transaction('annotations', 'readonly').objectStore('annotations').index('updatedAt');
  if (typeof (index as unknown as Partial<IndexWithGetAllRecords>).getAllRecords !== 'function') return null;
  const asked = count * 2;
  const records = await new Promise<{ value: unknown }[]>((resolve, reject) => {
    const request = (index as unknown as IndexWithGetAllRecords).getAllRecords({ count: asked, direction: 'prev' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const newest = (records.map((r) => r.value) as Annotation[]).filter((a) => !isBlank(a)).slice(0, count);
  return newest.length < count && records.length === asked ? null : newest;
}

/** Wait until the browser has painted what React just rendered (or a short while, in a hidden tab). */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 50);
    if (typeof requestAnimationFrame === 'function') {
      requestAnimationFrame(() => {
        clearTimeout(timer);
        setTimeout(resolve, 0);
      });
    }
  });
}

export class LibraryStore {
  private snapshot: LibrarySnapshot = { phase: 'starting', items: [], byId: new Map(), version: 0 };
  private readonly listeners = new Set<() => void>();
  /** Ids whose annotation changed, and ids whose paper record changed, not yet read again. */
  private readonly pending = new Set<string>();
  private readonly pendingPapers = new Set<string>();
  private fullReloadPending = false;
  private flushing: Promise<void> | null = null;
  /** The full load (`start`), once started. */
  private loading: Promise<void> | null = null;
  /** The stored records, by id (the list above leaves out blank annotations; these do not). */
  private annotationRecords = new Map<string, Annotation>();
  private paperRecords = new Map<string, Paper>();
  private stopped = false;
  private readonly prefix: string;

  constructor(private readonly db: MarginsDB) {
    this.prefix = `idb://${db.name}/`;
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): LibrarySnapshot => this.snapshot;

  private publish(next: Partial<LibrarySnapshot>) {
    this.snapshot = { ...this.snapshot, ...next, version: this.snapshot.version + 1 };
    for (const fn of this.listeners) fn();
  }

  private setItems(byId: Map<string, LibraryItem>, phase: LoadPhase = this.snapshot.phase) {
    this.publish({ byId, items: [...byId.values()], phase });
  }

  /** Load the first page, then everything; then follow changes. Resolves when everything is loaded. */
  start(opts: { firstPage?: boolean } = {}): Promise<void> {
    this.loading = this.load(opts);
    return this.loading;
  }

  private async load(opts: { firstPage?: boolean }): Promise<void> {
    Dexie.on('storagemutated', this.onMutated);
    try {
      if (opts.firstPage !== false) {
        await this.loadFirstPage();
        await afterPaint();
      }
      if (this.stopped) return;
      await this.loadAll();
    } catch (err) {
      this.publish({ phase: 'error', error: err instanceof Error ? err.message : String(err) });
    }
  }

  stop(): void {
    this.stopped = true;
    Dexie.on('storagemutated').unsubscribe(this.onMutated);
  }

  private async loadFirstPage() {
    performance.mark('margins:first-page-query');
    const anns =
      (await newestInOneRequest(this.db, FIRST_PAGE_SIZE)) ??
      (await this.db.annotations
        .orderBy('updatedAt')
        .reverse()
        .filter((a) => !isBlank(a))
        .limit(FIRST_PAGE_SIZE)
        .toArray());
    const papers = await this.db.papers.bulkGet(anns.map((a) => a.id));
    performance.mark('margins:first-page-read');
    // The full load may have won the race (it never does in practice): keep the fuller answer.
    if (this.snapshot.phase !== 'starting') return;
    this.setItems(new Map(anns.map((a, i) => [a.id, itemFrom(a, papers[i])])), 'first-page');
  }

  private async loadAll() {
    // Keys that change while we read are read again afterwards.
    this.pending.clear();
    this.pendingPapers.clear();
    this.fullReloadPending = false;
    const [anns, papers] = await this.db.transaction('r', [this.db.annotations, this.db.papers], () =>
      Promise.all([this.db.annotations.toArray(), this.db.papers.toArray()]),
    );
    performance.mark('margins:all-read');
    const paperById = new Map<string, Paper>();
    for (const p of papers) paperById.set(p.id, p);
    const annotationById = new Map<string, Annotation>();
    const byId = new Map<string, LibraryItem>();
    for (const a of anns) {
      annotationById.set(a.id, a);
      if (!isBlank(a)) byId.set(a.id, itemFrom(a, paperById.get(a.id)));
    }
    this.annotationRecords = annotationById;
    this.paperRecords = paperById;
    this.setItems(byId, 'ready');
    if (this.pending.size || this.fullReloadPending) this.scheduleFlush();
  }

  private onMutated = (parts: ObservabilitySet) => {
    let touched = false;
    for (const table of ['annotations', 'papers'] as const) {
      const tree = parts[`${this.prefix}${table}/`];
      if (!tree || !('from' in tree)) continue;
      touched = true;
      for (const range of RangeSet(tree)) {
        if (typeof range.from === 'string' && range.from === range.to) {
          this.pending.add(range.from);
          if (table === 'papers') this.pendingPapers.add(range.from);
        } else {
          // A whole range changed (a clear, an import of many records): read everything again.
          this.fullReloadPending = true;
        }
      }
    }
    if (touched && this.snapshot.phase === 'ready') this.scheduleFlush();
  };

  private scheduleFlush() {
    if (this.flushing) return;
    this.flushing = (async () => {
      // Let a burst of writes (one transaction fires once, but several may follow) gather first.
      await new Promise((r) => setTimeout(r, 0));
      while (!this.stopped && (this.pending.size || this.fullReloadPending)) {
        if (this.fullReloadPending) {
          await this.loadAll();
          continue;
        }
        const ids = [...this.pending];
        const paperIds = new Set(this.pendingPapers);
        this.pending.clear();
        this.pendingPapers.clear();
        await this.applyChanged(ids, paperIds);
      }
    })().finally(() => {
      this.flushing = null;
    });
  }

  /**
   * Read the changed records again. A paper record is read only when it changed or is new to the
   * list: renaming a tag on 5,000 papers reads 5,000 annotations, not 5,000 papers as well. When most
   * of a table changed (an import), the whole table is read: much faster than key by key.
   */
  private async applyChanged(ids: string[], paperIds: ReadonlySet<string>) {
    performance.mark('margins:changes-read-start');
    const known = this.snapshot.byId;
    const needPaper = ids.filter((id) => paperIds.has(id) || !known.has(id));
    const [anns, papers] = await this.db.transaction('r', [this.db.annotations, this.db.papers], () =>
      Promise.all([
        readByKeys(this.db.annotations, ids, (a) => a.id, this.annotationRecords.size),
        readByKeys(this.db.papers, needPaper, (p) => p.id, this.paperRecords.size),
      ]),
    );
    const paperById = new Map<string, Paper | undefined>(needPaper.map((id, i) => [id, papers[i]]));
    for (const [id, p] of paperById) {
      if (p) this.paperRecords.set(id, p);
      else this.paperRecords.delete(id);
    }
    const byId = new Map(known);
    ids.forEach((id, i) => {
      const a: Annotation | undefined = anns[i];
      if (a) this.annotationRecords.set(id, a);
      else this.annotationRecords.delete(id);
      if (!a || isBlank(a)) byId.delete(id);
      else byId.set(id, paperById.has(id) ? itemFrom(a, paperById.get(id)) : itemWithAnnotation(known.get(id)!, a));
    });
    performance.mark('margins:changes-read');
    this.setItems(byId);
    performance.mark('margins:changes-shown');
  }

  /** Resolves once every change seen so far is reflected. */
  async settled(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /**
   * The stored annotations and papers, with every change seen so far read in; null when they are not
   * in memory (the store was never started, or its load failed): read the database then.
   *
   * A write that completed before the reader clicked is in: the page's own writes fire
   * `storagemutated` when their transaction completes, and Dexie posts the background's to every page
   * (a BroadcastChannel) at that same moment, so it arrives within milliseconds. Code that writes
   * through the background and reads back at once cannot rely on that order of arrival (folder sync
   * reads the database after a merge).
   */
  records = async (): Promise<LibraryRecords | null> => {
    if (!this.loading) return null;
    await this.loading;
    await this.settled();
    if (this.snapshot.phase !== 'ready' || this.stopped) return null;
    // Copies (a few milliseconds at 50,000): the maps change in place as later writes are read in.
    return { annotations: new Map(this.annotationRecords), papers: new Map(this.paperRecords) };
  };
}
