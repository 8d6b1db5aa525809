// Data-layer benchmark: CSV ingest of 10 symbols × 3 years of 1h bars (rows/s), then one aligned 3-year pair read (ms).
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyntheticProvider } from '../src/adapters/synthetic/index.js';
import { loadConfig } from '../src/config/loadConfig.js';
import { openBarStore } from '../src/adapters/duckdb/index.js';
import { runIngest } from '../src/data/ingest/runIngest.js';
import { setupSource } from '../src/cli/commands/ingestSources.js';
import type { BenchResult } from './benchResult.js';

export async function runDataBench(root: string): Promise<BenchResult[]> {
  const config = loadConfig(join(root, 'config'));
  const work = mkdtempSync(join(tmpdir(), 'pt-bench-'));
  const csvDir = join(work, 'csv');
  const from = Date.UTC(2022, 0, 1);
  const to = Date.UTC(2025, 0, 1);
  const symbols = Array.from({ length: 10 }, (_, i) => `SYN${String.fromCharCode(65 + i)}`);
  const synthetic = new SyntheticProvider({ ingestRunId: 'bench' });
  let rows = 0;
  mkdirSync(csvDir, { recursive: true });
  for (const s of symbols) {
    const bars = await synthetic.fetchTimeSeries(s, '1h', from, to);
    rows += bars.length;
    const lines = ['time,open,high,low,close'];
    for (const b of bars)
      lines.push(
        `${new Date(b.ts_utc).toISOString().slice(0, 19).replace('T', ' ')},${b.open},${b.high},${b.low},${b.close}`,
      );
    writeFileSync(join(csvDir, `${s}_H1.csv`), `${lines.join('\n')}\n`);
  }
  const dataDir = join(work, 'data');
  const store = await openBarStore(dataDir);
  const setup = setupSource(config, {
    source: 'csv',
    symbols: [],
    timeframe: '1h',
    path: csvDir,
    tz: 'UTC',
    now: Date.now,
  });
  const t0 = performance.now();
  await runIngest(
    { source: 'csv', symbols: setup.symbols, timeframe: '1h', full: false, defaultFromMs: 0, runKey: setup.runKey },
    { config, store, fetchBars: setup.fetchBars },
  );
  const ingestMs = performance.now() - t0;
  // Warm once, then take the median of 10 aligned reads.
  await store.readAlignedPair('SYNA', 'SYNB', '1h', from, to);
  const times: number[] = [];
  let aligned = 0;
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    aligned = (await store.readAlignedPair('SYNA', 'SYNB', '1h', from, to)).length;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  await store.close();
  rmSync(work, { recursive: true, force: true });
  const rowsPerSec = Math.round(rows / (ingestMs / 1000));
  const readMs = Number(times[5]!.toFixed(1));
  return [
    {
      name: 'csv ingest 10 symbols x 3y 1h',
      value: rowsPerSec,
      unit: 'rows/s',
      target: '>= 200000',
      pass: rowsPerSec >= 200_000,
      rows,
    },
    {
      name: 'aligned pair read 3y 1h (median of 10)',
      value: readMs,
      unit: 'ms',
      target: '< 100',
      pass: readMs < 100,
      aligned_rows: aligned,
    },
  ];
}
