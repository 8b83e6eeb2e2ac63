/**
 * A library written by the previous schema (v2: one IndexedDB row per annotation and per paper) opens in
 * this version in real Chromium with every star, tag, tombstone and note, moved into packs; and the
 * reader can go on working with it. The v2 database is written with raw IndexedDB exactly as Dexie
 * created it (IDB version 20, the same stores and indexes), before Margins first opens it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_V2 } from '../../lib/db/schema';
import { deriveAnnotation } from '../../lib/model';
import { generateLibrary } from '../library/seed';
import { type ExtensionBrowser, launchExtension } from './harness';

const PAPERS = 3_000;
const lib = generateLibrary({ papers: PAPERS, tags: 30, seed: 77 });
// Removed tags (tombstones) on a hundred papers: they must survive the move like everything else.
lib.annotations = lib.annotations.map((a, i) =>
  i % 30 ? a : deriveAnnotation({ ...a, tags: { ...a.tags, dropped: { v: false, c: { t: a.updatedAt, d: 'olddevice' } } } }),
);
const noted = lib.annotations.filter((a) => a.note?.v);

/** Store names in Chromium's IndexedDB for the extension, read from the service worker (no Dexie). */
async function storeNames(b: ExtensionBrowser): Promise<string[]> {
  return b.worker.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const req = indexedDB.open('margins');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const names = [...req.result.objectStoreNames];
          req.result.close();
          resolve(names);
        };
      }),
  );
}

describe('upgrading a v2 library in Chromium', () => {
  let b: ExtensionBrowser;
  afterEach(async () => {
    await b?.close();
  });

  it('opens a library written by schema v2 with every note, and keeps working', { timeout: 120_000 }, async () => {
    b = await launchExtension();
    // Nothing of Margins has opened the database yet (the background opens it on its first message).
    await b.worker.evaluate(
      ([schema, json]) =>
        new Promise<void>((resolve, reject) => {
          const data = JSON.parse(json) as { papers: unknown[]; annotations: unknown[]; history: unknown[] };
          const req = indexedDB.open('margins', 20); // Dexie stores version n as 10n
          req.onupgradeneeded = () => {
            const idb = req.result;
            for (const [name, spec] of Object.entries(schema)) {
              const [primary, ...indexes] = spec.split(',').map((s) => s.trim());
              const auto = primary.startsWith('++');
              const store = idb.createObjectStore(name, { keyPath: primary.replace('++', ''), autoIncrement: auto });
              for (const index of indexes) {
                const multi = index.startsWith('*');
                store.createIndex(index.replace('*', ''), index.replace('*', ''), { multiEntry: multi });
              }
            }
          };
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            const idb = req.result;
            const tx = idb.transaction(['papers', 'annotations', 'noteHistory'], 'readwrite');
            for (const p of data.papers) tx.objectStore('papers').put(p);
            for (const a of data.annotations) tx.objectStore('annotations').put(a);
            for (const h of data.history) tx.objectStore('noteHistory').put(h);
            tx.oncomplete = () => {
              idb.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      [
        SCHEMA_V2 as Record<string, string>,
        JSON.stringify({
          papers: lib.papers,
          annotations: lib.annotations,
          history: [{ id: noted[0].id, text: 'an older text of this note', c: { t: 1, d: 'old' }, reason: 'import', savedAt: 2 }],
        }),
      ] as const,
    );
    expect(await storeNames(b)).toContain('annotations');

    const page = await b.extensionPage('library.html');
    await page.waitForSelector('.library[data-phase="ready"]', { timeout: 60_000 });
    // The upgrade moved everything and dropped the per-row tables.
    const names = await storeNames(b);
    expect(names).toEqual(expect.arrayContaining(['annotationPacks', 'annotationSummaries', 'paperPacks', 'paperSummaries']));
    expect(names).not.toContain('annotations');
    expect(names).not.toContain('papers');
    expect(names).toContain('historyChunks');
    expect(names).not.toContain('noteHistory');
    const shown = lib.annotations.filter((a) => a.starred || a.tagList.length || a.note?.v).length;
    await expect(page.locator('.result-count').textContent()).resolves.toContain(shown.toLocaleString('en-US'));

    // A noted paper, found by its title: its note reads as written under v2.
    const paper = lib.papers.find((p) => p.id === noted[0].id)!;
    await page.getByRole('searchbox', { name: /Search titles/ }).fill(paper.title);
    const row = page.locator('.lib-row', { hasText: paper.title }).first();
    await expect(row.innerText()).resolves.toContain(noted[0].note!.v.slice(0, 40));

    // Starring it now is written into its pack and shows (a write after the upgrade).
    const star = row.locator('.star-btn');
    const before = await star.getAttribute('aria-pressed');
    await star.click();
    await page.waitForFunction(
      ([title, was]) => [...document.querySelectorAll('.lib-row')].some((r) => r.textContent!.includes(title) && r.querySelector('.star-btn')!.getAttribute('aria-pressed') !== was),
      [paper.title, before] as const,
    );

    // Every record is in the packs as v2 had it: each note, each tombstone, and the note history.
    const stored = await b.worker.evaluate(
      () =>
        new Promise<{ annotations: [string, string, number][]; papers: number; history: string[] }>((resolve, reject) => {
          const req = indexedDB.open('margins');
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            const idb = req.result;
            const tx = idb.transaction(['annotationPacks', 'paperPacks', 'historyChunks']);
            type Row = { id: string; note?: { v: string }; tags: Record<string, { v: boolean }> };
            const out = { annotations: [] as [string, string, number][], papers: 0, history: [] as string[] };
            tx.objectStore('annotationPacks').getAll().onsuccess = (e) => {
              for (const p of (e.target as IDBRequest<{ rows: Row[] }[]>).result)
                for (const r of p.rows) out.annotations.push([r.id, r.note?.v ?? '', Object.values(r.tags).filter((t) => !t.v).length]);
            };
            tx.objectStore('paperPacks').getAll().onsuccess = (e) => {
              for (const p of (e.target as IDBRequest<{ rows: unknown[] }[]>).result) out.papers += p.rows.length;
            };
            tx.objectStore('historyChunks').getAll().onsuccess = (e) => {
              out.history = (e.target as IDBRequest<{ entries: { text: string }[] }[]>).result.flatMap((c) => c.entries.map((h) => h.text));
            };
            tx.oncomplete = () => {
              idb.close();
              resolve(out);
            };
          };
        }),
    );
    expect(stored.papers).toBe(PAPERS);
    expect(new Map(stored.annotations.map(([id, note, tombs]) => [id, [note, tombs]]))).toEqual(
      new Map(lib.annotations.map((a) => [a.id, [a.note?.v ?? '', Object.values(a.tags).filter((t) => !t.v).length]])),
    );
    expect(stored.annotations.filter(([, , tombs]) => tombs > 0).length).toBeGreaterThanOrEqual(100);
    expect(stored.history).toEqual(['an older text of this note']);
  });
});
