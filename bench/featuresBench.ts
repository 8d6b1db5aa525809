// Feature benchmark: the full SPEC §2 feature set for 30 pairs × 3 years of 1h bars in one process
// (pair-bars per second), and the p50/p99 microseconds of one streaming update.
import { join } from 'node:path';
import { SyntheticProvider } from '../src/adapters/synthetic/index.js';
import { loadConfig } from '../src/config/loadConfig.js';
import { featureParamsFrom } from '../src/features/featureParams.js';
import { PairFeatureState } from '../src/features/pairFeatureState.js';
import { FEATURE_COUNT } from '../src/features/featureNames.js';
import type { BenchResult } from './benchResult.js';

interface Leg {
  ts: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
}

export async function runFeaturesBench(root: string): Promise<BenchResult[]> {
  const params = featureParamsFrom(loadConfig(join(root, 'config')));
  const synthetic = new SyntheticProvider({ ingestRunId: 'bench' });
  const from = Date.UTC(2022, 0, 1);
  const to = Date.UTC(2025, 0, 1);
  // 30 pairs from 31 synthetic symbols (SYNA..): pair k is symbol k against symbol k+1.
  const legs: Leg[] = [];
  for (let i = 0; i < 31; i++) {
    const bars = await synthetic.fetchTimeSeries(
      `SYN${String.fromCharCode(65 + (i % 26))}${i >= 26 ? 'X' : ''}`,
      '1h',
      from,
      to,
    );
    legs.push({
      ts: Float64Array.from(bars, (b) => b.ts_utc),
      high: Float64Array.from(bars, (b) => b.high),
      low: Float64Array.from(bars, (b) => b.low),
      close: Float64Array.from(bars, (b) => b.close),
    });
  }
  const row = new Float64Array(FEATURE_COUNT);
  let pairBars = 0;
  const t0 = performance.now();
  for (let k = 0; k < 30; k++) {
    const a = legs[k]!;
    const b = legs[k + 1]!;
    const st = new PairFeatureState(params);
    const n = Math.min(a.ts.length, b.ts.length);
    for (let t = 0; t < n; t++)
      st.update(a.ts[t]!, a.high[t]!, a.low[t]!, a.close[t]!, b.high[t]!, b.low[t]!, b.close[t]!, row);
    pairBars += n;
  }
  const batchMs = performance.now() - t0;
  // Per-update latency on one pair after warm-up, timed one update at a time.
  const a = legs[0]!;
  const b = legs[1]!;
  const st = new PairFeatureState(params);
  const n = a.ts.length;
  const lat = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const s = process.hrtime.bigint();
    st.update(a.ts[t]!, a.high[t]!, a.low[t]!, a.close[t]!, b.high[t]!, b.low[t]!, b.close[t]!, row);
    lat[t] = Number(process.hrtime.bigint() - s) / 1000;
  }
  const steady = lat.slice(1000).sort();
  const q = (p: number) => Number(steady[Math.min(steady.length - 1, Math.floor(p * steady.length))]!.toFixed(2));
  const rate = Math.round(pairBars / (batchMs / 1000));
  return [
    {
      name: 'features 30 pairs x 3y 1h',
      value: rate,
      unit: 'pair-bars/s',
      target: '>= 300000',
      pass: rate >= 300_000,
      pair_bars: pairBars,
    },
    { name: 'streaming update p50', value: q(0.5), unit: 'us' },
    { name: 'streaming update p99', value: q(0.99), unit: 'us', target: '< 50', pass: q(0.99) < 50 },
  ];
}
