/**
 * The library's rows in memory, kept in step with the database.
 *
 * Why not one useLiveQuery over the tables: at 50,000 papers every write (a note autosaving while the
 * reader types) would re-read and re-parse every record. Instead:
 *  1. the first page is read from the packs holding the newest changes (queries.ts), so rows show at once;
 *  2. then everything is read once (for search, counts and the other sorts);
 *  3. after that, Dexie's `storagemutated` event (fired for writes in this page and, through a
 *     BroadcastChannel, for the background's writes) names the packs that changed (packs.ts), and
 *     only those packs are read again.
 * It also keeps the stored records themselves (every annotation, blank ones with only tombstones
 * included, and every paper): the Sync & backup panel exports and previews imports from them
 * (`records()`) instead of reading 100,000 records from IndexedDB again.
 */
import Dexie, { RangeSet, type ObservabilitySet } from 'dexie';
import { packOf } from '@/lib/db/packs';
import { newestShown } from '@/lib/db/queries';
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
  /** Packs of annotations, and packs of papers, that changed and are not yet read again. */
  private readonly pending = new Set<number>();
  private readonly pendingPapers = new Set<number>();
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
    const { db } = this;
    const [anns, papers] = await db.transaction('r', [...db.annotationStore.tables, ...db.paperStore.tables], async () => {
      const newest = await newestShown(db, FIRST_PAGE_SIZE);
      return [newest, await db.paperStore.bulkGet(newest.map((a) => a.id))] as const;
    });
    performance.mark('margins:first-page-read');
    // The full load may have won the race (it never does in practice): keep the fuller answer.
    if (this.snapshot.phase !== 'starting') return;
    this.setItems(new Map(anns.map((a, i) => [a.id, itemFrom(a, papers[i])])), 'first-page');
  }

  private async loadAll() {
    // Packs that change while we read are read again afterwards.
    this.pending.clear();
    this.pendingPapers.clear();
    this.fullReloadPending = false;
    const { db } = this;
    const [anns, papers] = await db.transaction('r', [...db.annotationStore.tables, ...db.paperStore.tables], () =>
      Promise.all([db.annotationStore.toArray(), db.paperStore.toArray()]),
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
    if (this.pending.size || this.pendingPapers.size || this.fullReloadPending) this.scheduleFlush();
  }

  private onMutated = (parts: ObservabilitySet) => {
    let touched = false;
    for (const [table, pending] of [
      ['annotationPacks', this.pending],
      ['paperPacks', this.pendingPapers],
    ] as const) {
      const tree = parts[`${this.prefix}${table}/`];
      if (!tree || !('from' in tree)) continue;
      touched = true;
      for (const range of RangeSet(tree)) {
        if (typeof range.from === 'number' && range.from === range.to) pending.add(range.from);
        // A whole range changed (a clear, a write of 50 packs or more): read everything again.
        else this.fullReloadPending = true;
      }
    }
    if (touched && this.snapshot.phase === 'ready') this.scheduleFlush();
  };

  private scheduleFlush() {
    if (this.flushing) return;
    this.flushing = (async () => {
      // Let a burst of writes (one transaction fires once, but several may follow) gather first.
      await new Promise((r) => setTimeout(r, 0));
      while (!this.stopped && (this.pending.size || this.pendingPapers.size || this.fullReloadPending)) {
        if (this.fullReloadPending) {
          await this.loadAll();
          continue;
        }
        const packs = [...this.pending];
        const paperPacks = [...this.pendingPapers];
        this.pending.clear();
        this.pendingPapers.clear();
        await this.applyChanged(packs, paperPacks);
      }
    })().finally(() => {
      this.flushing = null;
    });
  }

  /**
   * Read the changed packs again (about 50 records each at 50,000 papers) and update the records
   * they hold. Only records that differ from the ones in memory become new list items, so rows
   * that did not change keep their identity (and are not drawn again).
   */
  private async applyChanged(packs: number[], paperPacks: number[]) {
    performance.mark('margins:changes-read-start');
    const { db } = this;
    const [anns, papers] = await db.transaction('r', [...db.annotationStore.tables, ...db.paperStore.tables], () =>
      Promise.all([db.annotationStore.inPacks(packs), db.paperStore.inPacks(paperPacks)]),
    );
    const replace = <T extends { id: string }>(records: Map<string, T>, packIds: number[], rows: T[]): Set<string> => {
      const changed = new Set<string>();
      // Records of these packs that are gone now (nothing deletes one today, but the packs say so).
      const packSet = new Set(packIds);
      const present = new Set(rows.map((r) => r.id));
      for (const id of records.keys()) {
        if (packSet.has(packOf(id)) && !present.has(id)) {
          records.delete(id);
          changed.add(id);
        }
      }
      for (const row of rows) {
        const old = records.get(row.id);
        if (old && JSON.stringify(old) === JSON.stringify(row)) continue;
        records.set(row.id, row);
        changed.add(row.id);
      }
      return changed;
    };
    const annotationsChanged = replace(this.annotationRecords, packs, anns);
    const papersChanged = replace(this.paperRecords, paperPacks, papers);
    if (!annotationsChanged.size && !papersChanged.size) return;
    const known = this.snapshot.byId;
    const byId = new Map(known);
    for (const id of new Set([...annotationsChanged, ...papersChanged])) {
      const a = this.annotationRecords.get(id);
      const item = known.get(id);
      if (!a || isBlank(a)) byId.delete(id);
      // A paper's own record unchanged: keep what the item took from it (no need to rebuild it).
      else if (item && !papersChanged.has(id)) byId.set(id, itemWithAnnotation(item, a));
      else byId.set(id, itemFrom(a, this.paperRecords.get(id)));
    }
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
