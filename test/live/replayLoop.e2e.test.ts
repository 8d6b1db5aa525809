// Parity inside pt, at the library level: pt live's replay loop (LivePair: PairFeatureState.update →
// observe → per-row ONNX score → decide, over one merged timeline of both bundled pairs) takes, at
// every bar, the action the backtest engine took, with the same lots — given the ops the engine's DD
// policy set at that bar. Warm-up bars are stepped but not emitted, and change nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/engine.js';
import {
  ACTION_CODES,
  ACTION_NAMES,
  type BacktestResult,
  type ConversionRate,
} from '../../src/backtest/backtestTypes.js';
import { mergeTimelines } from '../../src/backtest/mergeTimelines.js';
import { filledColumn, pairInput } from '../../src/backtest/prepareBacktest.js';
import type { DecisionParams, OpsState } from '../../src/decision/decide.js';
import { decisionParamsFrom } from '../../src/decision/decisionParams.js';
import { kernelParamsFrom } from '../../src/decision/pairKernel.js';
import { PairSessionGate } from '../../src/decision/sessionGate.js';
import { featureParamsFrom } from '../../src/features/featureParams.js';
import { LivePair } from '../../src/live/livePair.js';
import { runReplayLoop } from '../../src/live/replayLoop.js';
import { runStreamLoop } from '../../src/live/stream/runStreamLoop.js';
import { ShardBarAssembler } from '../../src/live/stream/shardBarAssembler.js';
import { StreamConversion } from '../../src/live/stream/streamConversion.js';
import { newLiveBar } from '../../src/live/livePair.js';
import { ArrayLegBarFeed, legBarsOf } from '../helpers/arrayLegBarFeed.js';
import type { ReplayData } from '../../src/live/sources/replaySource.js';
import type { AlignedPair } from '../../src/model/bar.js';
import type { Scorer } from '../../src/ports/scorer.js';
import { BUNDLED_PAIR_IDS, bundledPair } from '../helpers/bundledPairs.js';
import { randomModelScorer } from '../helpers/testScorer.js';
import { computePairFeatures } from '../../src/features/computePairFeatures.js';
import { config, pairOf } from '../decision/config.js';

const H = 3_600_000;
let pairs: AlignedPair[] = [];
let scorer: Scorer;
let params: DecisionParams;
let result: BacktestResult;
let conversionRate: ConversionRate;

const quantile = (v: number[], q: number) =>
  v.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b)[Math.floor(q * (v.length - 1))]!;

beforeAll(async () => {
  pairs = await Promise.all(BUNDLED_PAIR_IDS.map((id) => bundledPair(id)));
  const f0 = computePairFeatures(pairs[0]!, featureParamsFrom(config));
  scorer = (await randomModelScorer(17, f0.columns, f0.valid)).scorer;
  const cad = pairs.find((p) => p.pairId === 'AUDUSD_USDCAD')!;
  const at = new Map<number, number>();
  cad.ts.forEach((t, i) => at.set(t, 1 / cad.b.close[i]!));
  conversionRate = (symbol, tsMs) => (symbol === 'USDCAD' ? at.get(tsMs)! : 1);
  const inputs = await Promise.all(pairs.map((p) => pairInput(config, pairOf(p.pairId), p, scorer)));
  const all = (k: 'returnProb' | 'riskScore') => inputs.flatMap((x) => Array.from(x[k]!));
  params = {
    ...decisionParamsFrom(config),
    theta1: quantile(all('returnProb'), 0.3),
    theta2: quantile(all('riskScore'), 0.7),
  };
  // A small capital so that the DD levels are visited and reach the replay as ops.
  result = runBacktest({
    pairs: inputs,
    config,
    timeframe: '1h',
    conversionRate,
    params,
    initialCapitalUsd: 5_000,
    recordOps: true,
  });
}, 180_000);

/** The ops the engine's DD policy set at bar time t, per pair (into `ops`). */
function engineOps(t: number, idx: Map<number, number>[], ops: OpsState[]): OpsState[] {
  pairs.forEach((p, j) => {
    const i = idx[j]!.get(t);
    if (i === undefined) return;
    const log = result.opsLog![p.pairId]!;
    ops[j] = {
      allowEntries: log.allowEntries[i] === 1,
      flatten: log.flatten[i] === 1,
      leverageScale: log.leverageScale[i]!,
    };
  });
  return ops;
}

describe('pt live replay loop = backtest engine', () => {
  it('takes the same action with the same lots at every emitted bar of both pairs; warm-up bars emit nothing', async () => {
    expect(result.trades.length).toBeGreaterThan(30);
    const specs = pairs.map((p) => pairOf(p.pairId));
    const data: ReplayData = {
      specs,
      pairs,
      filled: pairs.map(filledColumn),
      timeline: mergeTimelines(pairs.map((p) => p.ts)),
      conversionRate,
    };
    const kp = kernelParamsFrom(config, result.params);
    const live = specs.map(
      (s) => new LivePair(s, featureParamsFrom(config), kp, new PairSessionGate(config, s), scorer, H),
    );
    // Emit from the middle of the data: the first half only warms the state.
    const emitFromMs = data.timeline.times[Math.floor(data.timeline.times.length / 2)]!;
    const got = pairs.map((p) => new Int8Array(p.length).fill(-1));
    const lots = pairs.map(() => [] as number[][]);
    const cursor = new Int32Array(pairs.length);
    const idx = pairs.map((p) => new Map(Array.from(p.ts, (t, i) => [t, i])));
    let warmEmits = 0;
    const ops: OpsState[] = pairs.map(() => ({ allowEntries: true, flatten: false, leverageScale: 1 }));
    await runReplayLoop(
      data,
      live,
      { emitFromMs, toMs: Infinity, speed: 'max', barMs: H },
      {
        opsAt: async (t) => engineOps(t, idx, ops),
        emit: async (t, stepped, actions) => {
          if (t < emitFromMs) warmEmits++;
          stepped.forEach((j, n) => {
            const i = idx[j]!.get(t)!;
            cursor[j] = i;
            got[j]![i] = ACTION_CODES[actions[n]!.action];
            if (actions[n]!.action === 'open') lots[j]!.push([actions[n]!.targetLotsA, actions[n]!.targetLotsB]);
          });
        },
      },
    );
    expect(warmEmits).toBe(0);
    let opens = 0;
    pairs.forEach((p, j) => {
      const engine = result.actions[p.pairId]!;
      const first = p.ts.findIndex((t) => t >= emitFromMs);
      for (let i = first; i < p.length; i++) {
        if (engine[i] !== got[j]![i])
          expect.fail(`${p.pairId} bar ${i}: engine ${ACTION_NAMES[engine[i]!]}, live ${ACTION_NAMES[got[j]![i]!]}`);
        if (engine[i] === ACTION_CODES.open) opens++;
      }
      const trades = result.trades.filter((t) => t.pair_id === p.pairId && t.ts_entry - H >= emitFromMs);
      expect(lots[j]!.slice(0, trades.length)).toEqual(trades.map((t) => [t.qty_A, t.qty_B]));
    });
    expect(opens).toBeGreaterThan(10);
  }, 180_000);

  it('a live source gives the same actions as the replay: the store warms the first half, the stream brings the rest', async () => {
    const specs = pairs.map((p) => pairOf(p.pairId));
    const half = mergeTimelines(pairs.map((p) => p.ts)).times;
    const splitMs = half[Math.floor(half.length / 2)]!;
    const stored = pairs.map((p) => {
      const n = p.ts.findIndex((t) => t >= splitMs);
      const cut = (c: Float64Array) => c.subarray(0, n);
      const leg = (l: AlignedPair['a']) => ({
        ...l,
        open: cut(l.open),
        high: cut(l.high),
        low: cut(l.low),
        close: cut(l.close),
      });
      return { ...p, length: n, ts: cut(p.ts), a: leg(p.a), b: leg(p.b) } as AlignedPair;
    });
    const kp = kernelParamsFrom(config, result.params);
    const live = specs.map(
      (s) => new LivePair(s, featureParamsFrom(config), kp, new PairSessionGate(config, s), scorer, H),
    );
    const ops: OpsState[] = pairs.map(() => ({ allowEntries: true, flatten: false, leverageScale: 1 }));
    const idx = pairs.map((p) => new Map(Array.from(p.ts, (t, i) => [t, i])));
    const opsAt = async (t: number) => engineOps(t, idx, ops);
    const got = pairs.map((p) => new Int8Array(p.length).fill(-1));
    const emit = async (
      t: number,
      stepped: readonly number[],
      actions: readonly { action: keyof typeof ACTION_CODES }[],
    ) => {
      stepped.forEach((j, n) => (got[j]![idx[j]!.get(t)!] = ACTION_CODES[actions[n]!.action]));
    };
    const warmData: ReplayData = {
      specs,
      pairs: stored,
      filled: stored.map(filledColumn),
      timeline: mergeTimelines(stored.map((p) => p.ts)),
      conversionRate,
    };
    await runReplayLoop(
      warmData,
      live,
      { emitFromMs: Infinity, toMs: Infinity, speed: 'max', barMs: H },
      { opsAt, emit },
    );
    const conversion = new StreamConversion(specs);
    const lastStored = warmData.timeline.times[warmData.timeline.times.length - 1]!;
    conversion.seed(specs, conversionRate, lastStored);
    const assembler = new ShardBarAssembler(
      specs,
      { barMs: H, graceMs: 15_000, maxFillRun: 2 },
      conversion,
      newLiveBar,
    );
    assembler.markReleased(lastStored, new Map());
    const feed = new ArrayLegBarFeed(
      pairs.flatMap((p, j) => legBarsOf(p, specs[j]!.leg_A.canonical_symbol, specs[j]!.leg_B.canonical_symbol)),
    );
    const expected = pairs.reduce((n, p) => n + p.ts.filter((t) => t >= splitMs).length, 0);
    let seen = 0;
    const res = await runStreamLoop(
      feed,
      assembler,
      live,
      {
        emitFromMs: splitMs,
        fromMs: lastStored + H,
        symbols: [...assembler.legSymbols, ...conversion.symbols],
        // Every bar is complete when released: the clock never has to pass a grace period.
        now: () => 0,
        stopRequested: () => seen >= expected,
        pollMs: 1,
      },
      {
        opsAt,
        emit: async (t, stepped, actions) => {
          seen += stepped.length;
          await emit(t, stepped, actions);
        },
        idle: async () => undefined,
        revisedLate: () => expect.fail('no bar is revised'),
      },
    );
    expect(feed.startedWith!.fromMs).toBe(lastStored + H);
    expect(feed.closed).toBe(true);
    expect(res.emittedBarTimes).toBe(half.length - half.findIndex((t) => t >= splitMs));
    let opens = 0;
    pairs.forEach((p, j) => {
      const engine = result.actions[p.pairId]!;
      for (let i = p.ts.findIndex((t) => t >= splitMs); i < p.length; i++) {
        if (engine[i] !== got[j]![i])
          expect.fail(`${p.pairId} bar ${i}: engine ${ACTION_NAMES[engine[i]!]}, stream ${ACTION_NAMES[got[j]![i]!]}`);
        if (engine[i] === ACTION_CODES.open) opens++;
      }
    });
    expect(opens).toBeGreaterThan(10);
  }, 180_000);
});
