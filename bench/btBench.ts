// Backtest benchmark: 30 synthetic pairs × 3 years of 1h bars with features and predictions
// precomputed (seeded pseudo-probabilities stand in for models): one full run (ms) and a θ grid of
// 13 × 13 = 169 runs (s), single thread.
import { join } from 'node:path';
import { SyntheticProvider } from '../src/adapters/synthetic/index.js';
import { loadConfig } from '../src/config/loadConfig.js';
import { featureParamsFrom } from '../src/features/featureParams.js';
import { computePairFeatures } from '../src/features/computePairFeatures.js';
import { runBacktest } from '../src/backtest/engine.js';
import type { BacktestInput, BacktestPairInput } from '../src/backtest/backtestTypes.js';
import { SeededRng } from '../src/core/rng.js';
import { PairSessionGate } from '../src/decision/sessionGate.js';
import type { CanonicalBar } from '../src/model/bar.js';
import type { BenchResult } from './benchResult.js';

/** The session gate's answer at each bar's close, asked once (what an optimiser re-running the same bars keeps). */
function tradableColumn(gate: PairSessionGate, ts: Float64Array): Uint8Array {
  return Uint8Array.from(ts, (t) => (gate.isTradable(t + 3_600_000) ? 1 : 0));
}

/** The bench's 30 synthetic pairs × 3 years of 1h bars, features, sessions and seeded scores (also the optimize bench's). */
export async function btBenchInput(root: string): Promise<BacktestInput> {
  const config = loadConfig(join(root, 'config'));
  const template = config.universe.pairs.find((p) => p.pair_id === 'SYNA_SYNB')!;
  const params = featureParamsFrom(config);
  const synthetic = new SyntheticProvider({ ingestRunId: 'bench' });
  const from = Date.UTC(2022, 0, 1);
  const to = Date.UTC(2025, 0, 1);
  const name = (i: number) => `SYN${String.fromCharCode(65 + (i % 26))}${i >= 26 ? 'X' : ''}`;
  const legs: CanonicalBar[][] = [];
  for (let i = 0; i < 31; i++) legs.push(await synthetic.fetchTimeSeries(name(i), '1h', from, to));
  const col = (bars: CanonicalBar[], k: 'ts_utc' | 'open' | 'high' | 'low' | 'close') =>
    Float64Array.from(bars, (b) => b[k]);
  const rng = new SeededRng(7);
  const pairs: BacktestPairInput[] = [];
  for (let k = 0; k < 30; k++) {
    const a = legs[k]!;
    const b = legs[k + 1]!;
    const leg = (l: typeof template.leg_A, sym: string) => ({ ...l, canonical_symbol: sym, broker_symbol: sym });
    const spec = {
      ...template,
      pair_id: `${name(k)}_${name(k + 1)}`,
      leg_A: leg(template.leg_A, name(k)),
      leg_B: leg(template.leg_B, name(k + 1)),
    };
    const aligned = {
      pairId: spec.pair_id,
      timeframe: '1h' as const,
      length: a.length,
      ts: col(a, 'ts_utc'),
      a: {
        symbol: name(k),
        open: col(a, 'open'),
        high: col(a, 'high'),
        low: col(a, 'low'),
        close: col(a, 'close'),
        volume: new Float64Array(a.length),
        quality: new Uint8Array(a.length),
      },
      b: {
        symbol: name(k + 1),
        open: col(b, 'open'),
        high: col(b, 'high'),
        low: col(b, 'low'),
        close: col(b, 'close'),
        volume: new Float64Array(b.length),
        quality: new Uint8Array(b.length),
      },
      droppedA: 0,
      droppedB: 0,
    };
    const f = computePairFeatures(aligned, params);
    // Sessions are precomputed once, as an optimiser re-running the same bars would.
    pairs.push({
      pair: spec,
      ts: aligned.ts,
      a: aligned.a,
      b: aligned.b,
      features: { columns: f.columns, valid: f.valid },
      tradable: tradableColumn(new PairSessionGate(config, spec), aligned.ts),
      returnProb: Float64Array.from({ length: a.length }, () => 0.55 + 0.4 * rng.next()),
      riskScore: Float64Array.from({ length: a.length }, () => 0.5 * rng.next()),
    });
  }
  return { pairs, config, timeframe: '1h', initialCapitalUsd: 1e8 };
}

export async function runBtBench(root: string): Promise<BenchResult[]> {
  const input = await btBenchInput(root);
  // Two warm-ups (JIT), then the median of five runs: a single run right after one warm-up still pays for compilation.
  runBacktest(input);
  runBacktest(input);
  const times: number[] = [];
  let one = runBacktest(input);
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    one = runBacktest(input);
    times.push(performance.now() - t0);
  }
  const oneMs = times.sort((a, b) => a - b)[2]!;
  const t1 = performance.now();
  let runs = 0;
  for (let i = 0; i < 13; i++) {
    for (let j = 0; j < 13; j++) {
      runBacktest({ ...input, params: { theta1: 0.6 + 0.02 * i, theta2: 0.2 + 0.02 * j } });
      runs++;
    }
  }
  const gridS = (performance.now() - t1) / 1000;
  return [
    {
      name: 'bt one run, 30 pairs x 3y 1h (median of 5)',
      value: Number(oneMs.toFixed(0)),
      unit: 'ms',
      target: '< 300',
      pass: oneMs < 300,
      trades: one.trades.length,
    },
    {
      name: `bt theta grid 13 x 13 (${runs} runs)`,
      value: Number(gridS.toFixed(1)),
      unit: 's',
      target: '< 15',
      pass: gridS < 15,
    },
  ];
}
