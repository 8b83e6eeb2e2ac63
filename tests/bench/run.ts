/**
 * `npm run bench`: runs every tests/bench/*.bench.ts (each exports `run(): Promise<BenchResult[]>`), in real
 * Chromium with the built extension, and prints one table: value, baseline and ratio when there is one,
 * budget and whether it holds. Benchmarks are not tests: they report, and exit non-zero only when asked
 * to enforce budgets (`npm run bench -- --enforce`).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchResult } from './types';

const dir = import.meta.dirname;
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const enforce = process.argv.includes('--enforce');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only.length || only.some((o) => f.includes(o)))
  .sort();

const rows: (BenchResult & { file: string })[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { run(): Promise<BenchResult[]> };
  console.error(`running ${file}…`);
  const results = await mod.run();
  for (const r of results) rows.push({ ...r, file });
}

const fmt = (n: number | undefined) => (n === undefined ? '' : Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1));
console.log('| benchmark | value | baseline | ratio | budget | within |');
console.log('|---|---|---|---|---|---|');
let over = 0;
for (const r of rows) {
  const ratio = r.baseline ? r.value / r.baseline : undefined;
  const ok = r.budget === undefined ? '' : r.value <= r.budget ? 'yes' : 'NO';
  if (ok === 'NO') over++;
  console.log(
    `| ${r.name}${r.note ? ` (${r.note})` : ''} | ${fmt(r.value)} ${r.unit} | ${r.baseline !== undefined ? `${fmt(r.baseline)} ${r.unit}` : ''} | ${ratio !== undefined ? `${ratio.toFixed(2)}x` : ''} | ${r.budget !== undefined ? `${fmt(r.budget)} ${r.unit}` : ''} | ${ok} |`,
  );
}
if (enforce && over) process.exit(1);
