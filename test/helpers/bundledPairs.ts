// The real legs bundled in data/sample, read with the csv adapter, and two of its pairs aligned in UTC
// (XAUUSD/XAGUSD on two broker clocks, AUDUSD/USDCAD with β < 0) for kernel, parity and label tests:
// quote currencies USD and CAD only, so a test needs one conversion rate. No DQ: the raw bars.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { readCsvBars } from '../../src/adapters/csv/index.js';
import { SAMPLE } from '../../src/cli/commands/quickstart.js';
import { alignColumns } from '../../src/data/alignColumns.js';
import { QUALITY_FLAGS, type AlignedPair, type BarColumns } from '../../src/model/bar.js';

const SAMPLE_DIR = fileURLToPath(new URL('../../data/sample/', import.meta.url));
// The files, clocks and price scales are quickstart's own (one description of the sample).
const FILES = Object.fromEntries(SAMPLE.map((s) => [s.symbol, s])) as Record<
  (typeof SAMPLE)[number]['symbol'],
  (typeof SAMPLE)[number]
>;
export const BUNDLED_PAIR_IDS = ['XAUUSD_XAGUSD', 'AUDUSD_USDCAD'] as const;

/** One bundled symbol's raw 1h bars, in UTC. */
export async function bundledLeg(symbol: keyof typeof FILES): Promise<BarColumns> {
  const f = FILES[symbol];
  const { bars } = await readCsvBars(join(SAMPLE_DIR, f.file), {
    symbol,
    timeframe: '1h',
    tz: f.tz,
    ...('priceScale' in f ? { priceScale: Number(f.priceScale) } : {}),
    ingestRunId: 'test',
  });
  return {
    symbol,
    timeframe: '1h',
    length: bars.length,
    ts: Float64Array.from(bars, (b) => b.ts_utc),
    open: Float64Array.from(bars, (b) => b.open),
    high: Float64Array.from(bars, (b) => b.high),
    low: Float64Array.from(bars, (b) => b.low),
    close: Float64Array.from(bars, (b) => b.close),
    volume: Float64Array.from(bars, (b) => b.volume ?? Number.NaN),
    quality: Uint8Array.from(bars, (b) => QUALITY_FLAGS.indexOf(b.quality_flag)),
  };
}

const cache = new Map<string, Promise<AlignedPair>>();

/** One bundled pair, aligned (read once per test file). */
export function bundledPair(pairId: (typeof BUNDLED_PAIR_IDS)[number]): Promise<AlignedPair> {
  let p = cache.get(pairId);
  if (!p) {
    const [a, b] = pairId.split('_') as [keyof typeof FILES, keyof typeof FILES];
    p = Promise.all([bundledLeg(a), bundledLeg(b)]).then(([ca, cb]) => ({ ...alignColumns(ca, cb), pairId }));
    cache.set(pairId, p);
  }
  return p;
}
