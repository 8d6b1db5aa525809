// Benchmarks: `npm run bench` runs every suite, `npm run bench -- data` one. Prints a table and writes
// reports/bench/latest.json (suites not run keep their previous numbers). Compiled by tsconfig.bench.json into dist-bench/.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { BenchResult } from './benchResult.js';

// dist-bench/bench/run.js → the repository root
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const suites: Record<string, () => Promise<BenchResult[]>> = {
  data: () => import('./dataBench.js').then((m) => m.runDataBench(root)),
  features: () => import('./featuresBench.js').then((m) => m.runFeaturesBench(root)),
  gbdt: () => import('./gbdtBench.js').then((m) => m.runGbdtBench(root)),
  bt: () => import('./btBench.js').then((m) => m.runBtBench(root)),
  optimize: () => import('./optimizeBench.js').then((m) => m.runOptimizeBench(root)),
  store: () => import('./storeBench.js').then((m) => m.runStoreBench(root)),
  cli: () => import('./cliBench.js').then((m) => m.runCliBench(root)),
  live: () => import('./liveBench.js').then((m) => m.runLiveBench(root)),
  api: () => import('./apiBench.js').then((m) => m.runApiBench(root)),
};

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = asked.length > 0 ? asked : Object.keys(suites);
for (const n of names)
  if (!suites[n]) {
    console.error(`ERROR CORE_CLI_USAGE: unknown bench suite "${n}" (have: ${Object.keys(suites).join(', ')})`);
    process.exit(2);
  }

const outPath = join(root, 'reports', 'bench', 'latest.json');
const latest = (existsSync(outPath) ? JSON.parse(readFileSync(outPath, 'utf8')) : { suites: {} }) as {
  suites: Record<string, unknown>;
};
const rows: string[][] = [];
for (const n of names) {
  const results = await suites[n]!();
  latest.suites[n] = { measured_at: new Date().toISOString(), node: process.version, results };
  for (const r of results)
    rows.push([n, r.name, String(r.value), r.unit, r.target ?? '', r.pass === undefined ? '' : r.pass ? 'ok' : 'MISS']);
}
const header = ['suite', 'measure', 'value', 'unit', 'target', ''];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const fmt = (r: string[]) => r.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
console.log(fmt(header));
for (const r of rows) console.log(fmt(r));
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, `${JSON.stringify(latest, null, 2)}\n`);
console.log(`\nwritten ${outPath}`);
