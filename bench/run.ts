// `npm run bench`: every speed target of the product, measured, printed as one table.
// Each bench module exports an async function returning rows; a module that fails prints its
// error as a row instead of hiding the others' numbers.
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export interface BenchRow {
  name: string;
  value: number | string;
  unit: string;
  target?: string;
  ok?: boolean;
}

const SUITES: Array<[file: string, exportName: string]> = [
  ['bench/store.ts', 'benchStore'],
  ['bench/sync.ts', 'benchSync'],
  ['bench/load.ts', 'benchLoad'],
  ['bench/renderer.ts', 'benchRenderer'],
  ['bench/softphone.ts', 'benchSoftphone'],
  ['bench/import.ts', 'benchImport'],
  ['bench/instances.ts', 'benchInstances'],
  ['bench/strategies.ts', 'benchStrategies'],
  ['bench/habits.ts', 'benchHabits'],
  ['bench/live.ts', 'benchLive'],
  ['bench/strategy-send.ts', 'benchStrategySend'],
  ['bench/portal.ts', 'benchPortal'],
  ['bench/risk.ts', 'benchRisk'],
];

const only = process.argv.slice(2);
const rows: Array<BenchRow & { suite: string }> = [];
for (const [file, exportName] of SUITES) {
  if (only.length && !only.some((o) => file.includes(o))) continue;
  const path = resolve(file);
  if (!existsSync(path)) continue;
  const t0 = Date.now();
  process.stderr.write(`bench: ${file} …\n`);
  try {
    const mod = (await import(pathToFileURL(path).href)) as Record<string, () => Promise<BenchRow[]>>;
    const fn = mod[exportName];
    if (!fn) throw new Error(`${file} does not export ${exportName}`);
    for (const r of await fn()) rows.push({ suite: file.replace(/^bench\/|\.ts$/g, ''), ...r });
  } catch (err) {
    rows.push({ suite: file, name: 'FAILED', value: String((err as Error).message ?? err), unit: '' });
  }
  process.stderr.write(`bench: ${file} done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

const fmt = (v: number | string) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1)) : v);
const table = rows.map((r) => [r.suite, r.name, fmt(r.value), r.unit, r.target ?? '', r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED']);
const header = ['suite', 'measure', 'value', 'unit', 'target', ''];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => String(row[i]).length)));
const line = (cells: string[]) => cells.map((c, i) => String(c).padEnd(widths[i]!)).join(' │ ');
console.log(line(header));
console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'));
for (const row of table) console.log(line(row.map(String)));
process.exit(rows.some((r) => r.name === 'FAILED') ? 1 : 0);
