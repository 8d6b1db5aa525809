// Bar-store benchmark: upsert of 10 symbols × 3 years of 1h bars (rows/s), an identical re-run (nothing rewritten),
// and aligned reads of a 3-year pair (first and warm median).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SYMBOLS = ['XAUUSD', 'XAGUSD', 'EURUSD', 'GBPUSD', 'USDJPY', 'AUDUSD', 'NZDUSD', 'USDCAD', 'USDCHF', 'EURGBP'];

export async function runStoreBench(root) {
  const { openBarStore } = await import(join(root, 'dist', 'adapters/duckdb/index.js'));
  const { hourlyTimes, makeBar } = await import(pathToFileURL(join(root, 'test/helpers/barFixtures.mjs')).href);
  const times = hourlyTimes(Date.UTC(2021, 0, 1), Date.UTC(2024, 0, 1));
  const data = SYMBOLS.map((s) => times.map((ts, k) => makeBar(s, ts, { seq: k })));
  const dir = mkdtempSync(join(tmpdir(), 'pt-bench-store-'));
  const store = await openBarStore(dir);
  try {
    let rows = 0;
    let t0 = performance.now();
    for (let i = 0; i < SYMBOLS.length; i++)
      rows += (await store.upsert(SYMBOLS[i], '1h', data[i], 'synthetic')).inserted;
    const writeMs = performance.now() - t0;
    t0 = performance.now();
    for (let i = 0; i < SYMBOLS.length; i++) await store.upsert(SYMBOLS[i], '1h', data[i], 'synthetic');
    const rerunMs = performance.now() - t0;
    t0 = performance.now();
    await store.readAlignedPair('XAUUSD', 'XAGUSD', '1h');
    const coldMs = performance.now() - t0;
    const warm = [];
    for (let k = 0; k < 7; k++) {
      t0 = performance.now();
      await store.readAlignedPair('XAUUSD', 'XAGUSD', '1h');
      warm.push(performance.now() - t0);
    }
    warm.sort((a, b) => a - b);
    return [
      {
        name: `upsert ${rows} rows (${SYMBOLS.length} symbols × 3 y 1h)`,
        value: Math.round(rows / (writeMs / 1000)),
        unit: 'rows/s',
      },
      { name: 'identical re-run (nothing rewritten)', value: Math.round(rerunMs), unit: 'ms' },
      { name: 'aligned pair read, first', value: Number(coldMs.toFixed(1)), unit: 'ms' },
      {
        name: 'aligned pair read, warm median of 7',
        value: Number(warm[3].toFixed(1)),
        unit: 'ms',
        target: '< 100',
        pass: warm[3] < 100,
      },
    ];
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
