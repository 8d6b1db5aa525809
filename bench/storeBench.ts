// Bar-store benchmark: upsert of 10 symbols × 3 years of 1h bars (rows/s), an identical re-run (nothing rewritten),
// and aligned reads of a 3-year pair (first and warm median).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBarStore } from '../src/adapters/duckdb/index.js';
import { SyntheticProvider } from '../src/adapters/synthetic/index.js';
import type { BenchResult } from './benchResult.js';

const SYMBOLS = ['XAUUSD', 'XAGUSD', 'EURUSD', 'GBPUSD', 'USDJPY', 'AUDUSD', 'NZDUSD', 'USDCAD', 'USDCHF', 'EURGBP'];

export async function runStoreBench(_root: string): Promise<BenchResult[]> {
  const synthetic = new SyntheticProvider({ ingestRunId: 'bench' });
  const data = [];
  for (const s of SYMBOLS)
    data.push(await synthetic.fetchTimeSeries(s, '1h', Date.UTC(2021, 0, 1), Date.UTC(2024, 0, 1)));
  const dir = mkdtempSync(join(tmpdir(), 'pt-bench-store-'));
  const store = await openBarStore(dir);
  try {
    let rows = 0;
    let t0 = performance.now();
    for (let i = 0; i < SYMBOLS.length; i++)
      rows += (await store.upsert(SYMBOLS[i]!, '1h', data[i]!, 'synthetic')).inserted;
    const writeMs = performance.now() - t0;
    t0 = performance.now();
    for (let i = 0; i < SYMBOLS.length; i++) await store.upsert(SYMBOLS[i]!, '1h', data[i]!, 'synthetic');
    const rerunMs = performance.now() - t0;
    t0 = performance.now();
    await store.readAlignedPair('XAUUSD', 'XAGUSD', '1h');
    const coldMs = performance.now() - t0;
    const warm: number[] = [];
    for (let k = 0; k < 7; k++) {
      t0 = performance.now();
      await store.readAlignedPair('XAUUSD', 'XAGUSD', '1h');
      warm.push(performance.now() - t0);
    }
    warm.sort((a, b) => a - b);
    const median = warm[3]!;
    return [
      { name: `upsert ${rows} rows (10 symbols × 3 y 1h)`, value: Math.round(rows / (writeMs / 1000)), unit: 'rows/s' },
      { name: 'identical re-run (nothing rewritten)', value: Math.round(rerunMs), unit: 'ms' },
      { name: 'aligned pair read, first', value: Number(coldMs.toFixed(1)), unit: 'ms' },
      {
        name: 'aligned pair read, warm median of 7',
        value: Number(median.toFixed(1)),
        unit: 'ms',
        target: '< 100',
        pass: median < 100,
      },
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
