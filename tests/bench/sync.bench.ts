/**
 * Sync at 50,000 papers, in real Chromium with the built extension, through the library's Sync &
 * backup panel as a reader uses it:
 * - export: from the click on Export to the panel saying the file was written (the whole library read,
 *   serialised and handed to the browser's downloads), budget 2 s;
 * - import-merge: a file from "another device" that changes every one of the 50,000 papers (a newer
 *   star, a new tag on a fifth of them, a conflicting note on a tenth), and a usual sync (500 of them
 *   changed): from picking the file to the preview (the background reads, validates and plans it
 *   against the library, and holds the plan), and from the confirm to the result (the held plan written
 *   in one transaction); budget 5 s for both together. Measured with the confirm clicked as soon as the
 *   preview shows, and after the reader has looked at the preview for READ_MS (until session 11 the
 *   library page previewed a usual sync itself and the background planned at the confirm, so this
 *   second set differed; it is kept to show that it no longer does).
 * Baseline: reading the stored packs of papers and annotations with bare IndexedDB getAll() in the
 * same page, the floor under any export; and putting every annotation pack back in one transaction,
 * the floor under an import that changes every paper.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { type ExtensionBrowser, launchExtension } from '../e2e/harness';
import { generateLibrary, writeLibraryInPage } from '../library/seed';
import type { ExportFile } from '../../lib/sync/format';
import type { BenchResult } from './types';

const PAPERS = Number(process.env.BENCH_SYNC_PAPERS ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** How long the reader looks at the preview before confirming, in the second set of runs. */
const READ_MS = 3_000;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

declare global {
  interface Window {
    __t0?: number;
    __t1?: number;
  }
}

async function openPanel(b: ExtensionBrowser): Promise<Page> {
  const page = await b.extensionPage('library.html?view=settings');
  await page.getByRole('region', { name: 'Sync & backup' }).waitFor();
  return page;
}

/**
 * Time in the page from a click or file pick (the event's timestamp) to the frame after an element
 * matching `done` is added to the DOM.
 */
async function timeInPage(page: Page, start: () => Promise<unknown>, done: string): Promise<number> {
  // A string, not a function: tsx would wrap named functions in a helper the page does not have.
  await page.evaluate(`(() => {
    const sel = ${JSON.stringify(done)};
    window.__t0 = undefined;
    window.__t1 = undefined;
    document.addEventListener('click', (e) => (window.__t0 ??= e.timeStamp), { capture: true, once: true });
    document.addEventListener('change', (e) => (window.__t0 ??= e.timeStamp), { capture: true, once: true });
    const observer = new MutationObserver((records) => {
      if (window.__t0 === undefined) return;
      for (const r of records) {
        for (const node of r.addedNodes) {
          if (node instanceof Element && (node.matches(sel) || node.querySelector(sel))) {
            observer.disconnect();
            requestAnimationFrame(() => (window.__t1 ??= performance.now()));
            return;
          }
        }
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
  })()`);
  await start();
  await page.waitForFunction(() => window.__t1 !== undefined, null, { timeout: 120_000 });
  return page.evaluate(() => window.__t1! - window.__t0!);
}

async function rawReadBaseline(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const t0 = performance.now();
        const req = indexedDB.open('margins');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const tx = req.result.transaction(['paperPacks', 'annotationPacks'], 'readonly');
          let left = 2;
          for (const store of ['paperPacks', 'annotationPacks']) {
            tx.objectStore(store).getAll().onsuccess = () => {
              if (--left === 0) {
                req.result.close();
                resolve(performance.now() - t0);
              }
            };
          }
        };
      }),
  );
}

/** The floor under an import that changes every paper: put every annotation pack back, in one transaction. */
async function rawWriteBaseline(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const req = indexedDB.open('margins');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          db.transaction('annotationPacks', 'readonly').objectStore('annotationPacks').getAll().onsuccess = (e) => {
            const rows = (e.target as IDBRequest<unknown[]>).result;
            const t0 = performance.now();
            const tx = db.transaction('annotationPacks', 'readwrite');
            const store = tx.objectStore('annotationPacks');
            for (const row of rows) store.put(row);
            tx.oncomplete = () => {
              db.close();
              resolve(performance.now() - t0);
            };
            tx.onerror = () => reject(tx.error);
          };
        };
      }),
  );
}

/** Where the background's last preview and import spent their time (its performance marks), for the log. */
async function backgroundPhases(b: ExtensionBrowser): Promise<string> {
  const marks = await b.worker.evaluate<[string, number][]>(`(() => {
    const all = performance.getEntriesByType('mark').filter((m) => /^margins:(preview|import)-/.test(m.name));
    const start = all.findLast((m) => m.name === 'margins:preview-asked') ?? all.findLast((m) => m.name === 'margins:import-asked');
    const out = all.filter((m) => start && m.startTime >= start.startTime).map((m) => [m.name.slice('margins:'.length), m.startTime]);
    performance.clearMarks();
    return out;
  })()`);
  return marks.map(([name, t], i) => (i ? `${name} +${Math.round(t - marks[i - 1][1])}` : name)).join(', ');
}

/** The same library as edited on another device: every paper changes, some in conflict. */
function fromOtherDevice(file: ExportFile, run: number, flip: boolean, changed = file.annotations.length): string {
  const t = Math.max(...file.annotations.map((a) => Math.max(a.star?.c.t ?? 0, a.note?.c.t ?? 0))) + 1_000 * (run + 1);
  const c = { t, d: 'benchotherdevice' };
  const annotations = file.annotations.map((a, i) => i >= changed ? a : ({
    ...a,
    // Flipped (or flipped back, on every other run from the same base): each run changes what every paper shows.
    star: { v: flip ? !(a.star?.v ?? false) : (a.star?.v ?? false), c },
    tags: i % 5 === 0 ? { ...a.tags, [`other-${run}`]: { v: true, c } } : a.tags,
    ...(i % 10 === 0 ? { note: { v: `Other device, run ${run}: ${a.note?.v ?? ''}`.slice(0, 1_000), c } } : {}),
  }));
  return JSON.stringify({ ...file, device: 'benchotherdevice', exportedAt: t, annotations });
}

export async function run(): Promise<BenchResult[]> {
  const b = await launchExtension();
  const tmp = await mkdtemp(path.join(tmpdir(), 'margins-sync-bench-'));
  try {
    const page = await openPanel(b);
    await writeLibraryInPage(page, generateLibrary({ papers: PAPERS, tags: 200, seed: 7 }));
    await page.reload();
    await page.getByRole('region', { name: 'Sync & backup' }).waitFor();
    // The library page loads its own copy of the library at start: measure after that, not during it.
    await page.waitForSelector('.library[data-phase="ready"]', { timeout: 300_000 });
    const panel = page.getByRole('region', { name: 'Sync & backup' });

    const baseline: number[] = [];
    for (let i = 0; i < RUNS; i++) baseline.push(await rawReadBaseline(page));

    // Export, RUNS times; the last file is the one the other device edits.
    const exportTimes: number[] = [];
    let exported = '';
    for (let i = 0; i < RUNS; i++) {
      const [download, ms] = await Promise.all([
        page.waitForEvent('download', { timeout: 120_000 }),
        timeInPage(page, () => panel.getByRole('button', { name: 'Export', exact: true }).click(), '.sync-export [role="status"]'),
      ]);
      exportTimes.push(ms);
      exported = await readFile((await download.path())!, 'utf8');
    }
    const file = JSON.parse(exported) as ExportFile;
    if (file.annotations.length !== PAPERS) throw new Error(`the export holds ${file.annotations.length} papers, not ${PAPERS}`);

    /** Pick a file, read the preview, confirm; times in the page. Waits for the library page to settle after. */
    const importOnce = async (text: string, name: string, expectUpdated: number, readMs = 0) => {
      // From a path: the browser reads the file itself, as when a reader picks it (no 30 MB over the protocol).
      const filePath = path.join(tmp, name);
      await writeFile(filePath, text);
      const preview = await timeInPage(page, () => page.getByLabel('Import a Margins file…').setInputFiles(filePath, { timeout: 120_000 }), '[data-count="papersUpdated"]');
      await page.waitForTimeout(readMs);
      const apply = await timeInPage(page, () => page.getByRole('button', { name: 'Import', exact: true }).click(), '[data-testid="import-result"]');
      const summary = (await page.getByTestId('import-result').textContent()) ?? '';
      if (!summary.includes(`${expectUpdated.toLocaleString('en-US')} papers updated`)) throw new Error(`unexpected import result: ${summary}`);
      // The library list re-reads the papers that changed: let it finish before the next measurement.
      await page.waitForTimeout(3_000);
      // (A string: tsx would name the helper function with a __name call the page does not have.)
      const sent = await page.evaluate<number>(
        `Math.round(performance.getEntriesByName('margins:import-answered').at(-1).startTime - performance.getEntriesByName('margins:import-send').at(-1).startTime)`,
      );
      // (The page's marks of the preview: picked, staged, answered.)
      const previewPhases = await page.evaluate<string>(
        `(() => { const all = performance.getEntriesByType('mark'); const start = all.findLast((m) => m.name === 'margins:preview-start'); return all.filter((m) => m.startTime >= start.startTime && m.name.startsWith('margins:preview-')).map((m) => m.name.slice('margins:preview-'.length) + ' ' + Math.round(m.startTime - start.startTime)).join(', '); })()`,
      );
      const pageMarks = await page.evaluate<string>(
        `(() => { const all = performance.getEntriesByType('mark'); const send = all.filter((m) => m.name === 'margins:import-send').at(-1); return all.filter((m) => m.startTime >= send.startTime).map((m) => m.name.replace('margins:', '') + ' ' + Math.round(m.startTime - send.startTime)).join(', '); })()`,
      );
      console.error(`  page after send: ${pageMarks}`);
      console.error(`  ${name}${readMs ? ` (confirmed after ${readMs} ms)` : ''}: preview ${Math.round(preview)} ms (${previewPhases}), apply ${Math.round(apply)} ms (message sent to answer ${sent} ms); in the background: ${await backgroundPhases(b)}`);
      return { preview, apply, summary };
    };

    // Worst case: the file changes every paper. Each file is newer than the last, so every run does.
    type Timed = { preview: number; apply: number; summary: string };
    const worst: Timed[] = [];
    const worstRead: Timed[] = [];
    let last = '';
    for (let i = 0; i < 2 * RUNS; i++) {
      last = fromOtherDevice(file, i, i % 2 === 0);
      (i < RUNS ? worst : worstRead).push(await importOnce(last, `all-${i}.json`, PAPERS, i < RUNS ? 0 : READ_MS));
    }
    // The usual sync: the other device's whole library, which this one already merged once, with a
    // few hundred papers changed since.
    const synced = JSON.parse(last) as ExportFile;
    const TYPICAL = Math.min(500, PAPERS);
    const typical: Timed[] = [];
    const typicalRead: Timed[] = [];
    for (let i = 0; i < 2 * RUNS; i++) {
      const text = fromOtherDevice(synced, 2 * RUNS + i, i % 2 === 0, TYPICAL);
      (i < RUNS ? typical : typicalRead).push(await importOnce(text, `some-${i}.json`, TYPICAL, i < RUNS ? 0 : READ_MS));
    }
    // A new device: the whole library into an empty one (every paper and annotation written), once.
    const fresh = await launchExtension();
    let firstSync: Timed;
    try {
      const other = await openPanel(fresh);
      const filePath = path.join(tmp, 'new-device.json');
      await writeFile(filePath, exported);
      const preview = await timeInPage(other, () => other.getByLabel('Import a Margins file…').setInputFiles(filePath, { timeout: 120_000 }), '[data-count="papersUpdated"]');
      const apply = await timeInPage(other, () => other.getByRole('button', { name: 'Import', exact: true }).click(), '[data-testid="import-result"]');
      const summary = (await other.getByTestId('import-result').textContent()) ?? '';
      if (!summary.includes(`${PAPERS.toLocaleString('en-US')} papers added`)) throw new Error(`unexpected import result on the new device: ${summary}`);
      console.error(`  new device: preview ${Math.round(preview)} ms, apply ${Math.round(apply)} ms; in the background: ${await backgroundPhases(fresh)}`);
      firstSync = { preview, apply, summary };
    } finally {
      await fresh.close();
    }
    const writeBaseline: number[] = [];
    for (let i = 0; i < RUNS; i++) writeBaseline.push(await rawWriteBaseline(page));

    const n = PAPERS.toLocaleString('en-US');
    const mb = (Buffer.byteLength(exported) / 1e6).toFixed(1);
    const total = (xs: { preview: number; apply: number }[]) => median(xs.map((x) => x.preview + x.apply));
    const note = (xs: { summary: string }[]) => xs[0].summary.replace(/^Imported: /, '').replace(/\.$/, '');
    return [
      { name: `sync: export ${n} papers to a Margins file (${mb} MB), click to done, median of ${RUNS}`, value: median(exportTimes), unit: 'ms', budget: 2_000, baseline: median(baseline), note: 'baseline: bare IndexedDB getAll of the paper and annotation packs' },
      { name: `sync: import ${n} papers all changed, pick file to preview (read, validate, plan), median of ${RUNS}`, value: median(worst.map((x) => x.preview)), unit: 'ms' },
      { name: `sync: import ${n} papers all changed, confirm (clicked as the preview shows) to merged, median of ${RUNS}`, value: median(worst.map((x) => x.apply)), unit: 'ms', baseline: median(writeBaseline), note: 'baseline: bare IndexedDB put of every annotation pack in one transaction' },
      { name: `sync: import ${n} papers all changed, confirm (after reading the preview ${READ_MS / 1000} s) to merged, median of ${RUNS}`, value: median(worstRead.map((x) => x.apply)), unit: 'ms', baseline: median(writeBaseline), note: 'baseline: as above' },
      { name: `sync: import-merge ${n} papers all changed, preview + apply (confirmed as the preview shows), median of ${RUNS}`, value: total(worst), unit: 'ms', budget: 5_000, note: note(worst) },
      { name: `sync: import-merge ${n} papers all changed, preview + apply (confirmed after reading the preview ${READ_MS / 1000} s, not counted), median of ${RUNS}`, value: total(worstRead), unit: 'ms', budget: 5_000, note: note(worstRead) },
      { name: `sync: import-merge ${n} papers of which ${TYPICAL} changed, preview + apply (confirmed as the preview shows), median of ${RUNS}`, value: total(typical), unit: 'ms', budget: 5_000, note: note(typical) },
      { name: `sync: import-merge ${n} papers of which ${TYPICAL} changed, preview + apply (confirmed after reading the preview ${READ_MS / 1000} s, not counted), median of ${RUNS}`, value: total(typicalRead), unit: 'ms', budget: 5_000, note: note(typicalRead) },
      { name: `sync: a new device, ${n} papers into an empty library, preview + apply, one run`, value: firstSync.preview + firstSync.apply, unit: 'ms', budget: 5_000, note: `preview ${Math.round(firstSync.preview)} ms; ${note([firstSync]).replace(/, new tags?: .*$/, '')}` },
    ];
  } finally {
    await b.close();
    await rm(tmp, { recursive: true, force: true });
  }
}
