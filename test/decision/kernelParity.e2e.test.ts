// Parity is the product: on the bundled real pairs, the backtest engine's actions equal a bar-by-bar
// replay of the kernel as `pt live` runs it (PairFeatureState.update → observe → per-row ONNX score →
// decide); batch and row scores are equal; every entry is an AI1 event start of SPEC §3.1's batch
// pseudo-code; changing bars after t changes nothing at or before t; β < 0 legs are same-sided.
import { beforeAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/engine.js';
import {
  ACTION_CODES,
  ACTION_NAMES,
  type BacktestPairInput,
  type BacktestResult,
  type ConversionRate,
} from '../../src/backtest/backtestTypes.js';
import type { DecisionParams } from '../../src/decision/decide.js';
import { decisionParamsFrom } from '../../src/decision/decisionParams.js';
import { kernelParamsFrom, newKernelBar, PairKernel, setKernelFeatures } from '../../src/decision/pairKernel.js';
import { PairSessionGate } from '../../src/decision/sessionGate.js';
import { computePairFeatures, type PairFeatures } from '../../src/features/computePairFeatures.js';
import { F, FEATURE_COUNT } from '../../src/features/featureNames.js';
import { featureParamsFrom } from '../../src/features/featureParams.js';
import { PairFeatureState } from '../../src/features/pairFeatureState.js';
import { buildAi1Events, labelInputsFromFeatures, labelParamsFrom } from '../../src/labels/index.js';
import type { AlignedPair } from '../../src/model/bar.js';
import type { Scorer } from '../../src/ports/scorer.js';
import { SeededRng } from '../../src/core/rng.js';
import { BUNDLED_PAIR_IDS, bundledPair } from '../helpers/bundledPairs.js';
import { naiveAi1 } from '../helpers/naiveAi1.js';
import { randomModelScorer } from '../helpers/testScorer.js';
import { config, pairOf } from './config.js';

const H = 3_600_000;
interface Loaded {
  id: string;
  pair: AlignedPair;
  f: PairFeatures;
  prob: Float64Array;
  risk: Float64Array;
}
let scorer: Scorer;
let loaded: Loaded[] = [];
let params: DecisionParams;

/** USD per CAD from USDCAD's own closes (AUDUSD_USDCAD's leg B is quoted in CAD). */
function conversionFrom(pairs: Loaded[]): ConversionRate {
  const cad = pairs.find((p) => p.id === 'AUDUSD_USDCAD')!.pair;
  const at = new Map<number, number>();
  cad.ts.forEach((t, i) => at.set(t, 1 / cad.b.close[i]!));
  return (symbol, tsMs) => (symbol === 'USDCAD' ? at.get(tsMs)! : 1);
}

function input(l: Loaded, pair = l.pair, f = l.f, prob = l.prob, risk = l.risk): BacktestPairInput {
  return {
    pair: pairOf(l.id),
    ts: pair.ts,
    a: { close: pair.a.close },
    b: { close: pair.b.close },
    features: { columns: f.columns, valid: f.valid },
    returnProb: prob,
    riskScore: risk,
  };
}

/** A quantile of the valid values of a column. */
function quantile(values: Float64Array, q: number): number {
  const v = Array.from(values)
    .filter((x) => !Number.isNaN(x))
    .sort((a, b) => a - b);
  return v[Math.floor(q * (v.length - 1))]!;
}

function backtest(pairs: BacktestPairInput[], extra: { ruleOnly?: boolean } = {}): BacktestResult {
  // A small capital so that the DD levels (warn, halt, flatten) are visited and reach the replay as ops.
  return runBacktest({
    pairs,
    config,
    timeframe: '1h',
    conversionRate: conversionFrom(loaded),
    params,
    initialCapitalUsd: 5_000,
    recordOps: true,
    ...extra,
  });
}

beforeAll(async () => {
  const fp = featureParamsFrom(config);
  const base = await Promise.all(BUNDLED_PAIR_IDS.map(async (id) => ({ id, pair: await bundledPair(id) })));
  const withF = base.map((b) => ({ ...b, f: computePairFeatures(b.pair, fp) }));
  scorer = (await randomModelScorer(17, withF[0]!.f.columns, withF[0]!.f.valid)).scorer;
  loaded = [];
  for (const b of withF) {
    const s = await scorer.scoreColumns(b.f.columns, b.f.valid);
    loaded.push({ ...b, prob: s.returnProb, risk: s.riskScore });
  }
  // θ at score quantiles so that about half of the event starts pass both filters.
  const all = (k: 'prob' | 'risk') => Float64Array.from(loaded.flatMap((l) => Array.from(l[k])));
  params = { ...decisionParamsFrom(config), theta1: quantile(all('prob'), 0.3), theta2: quantile(all('risk'), 0.7) };
}, 120_000);

describe('Scorer port: batch and per-row scores', () => {
  it('are equal on every row of a bundled pair (same ONNX session, scaling and calibration)', async () => {
    const l = loaded[0]!;
    const row = new Float64Array(FEATURE_COUNT);
    const out = { returnProb: 0, riskScore: 0 };
    let checked = 0;
    for (let t = 0; t < l.f.length; t++) {
      for (let k = 0; k < FEATURE_COUNT; k++) row[k] = l.f.columns[k]![t]!;
      await scorer.scoreRow(row, l.f.valid[t] === 1, out);
      expect(out.returnProb).toBe(l.prob[t]);
      expect(out.riskScore).toBe(l.risk[t]);
      if (l.f.valid[t]) checked++;
    }
    expect(checked).toBeGreaterThan(15_000);
  });
});

describe('engine = kernel replay (parity)', () => {
  it("the backtest's action at every bar of every bundled pair equals a live-style replay of the kernel, and so do the lots", async () => {
    const result = backtest(loaded.map((l) => input(l)));
    expect(result.trades.length).toBeGreaterThan(30);
    // the DD policy acted during the run, so the ops the replay is given are not all trivial
    expect(Object.values(result.pairDdBars).every((b) => b[1] > 0 && b[2] > 0 && b[3] > 0)).toBe(true);
    const rates = conversionFrom(loaded);
    for (const l of loaded) {
      const spec = pairOf(l.id);
      const kernel = new PairKernel(spec, kernelParamsFrom(config, result.params), new PairSessionGate(config, spec));
      const features = new PairFeatureState(featureParamsFrom(config));
      const log = result.opsLog![l.id]!;
      const row = new Float64Array(FEATURE_COUNT);
      const scores = { returnProb: 0, riskScore: 0 };
      const replayed = new Int8Array(l.pair.length);
      const bar = newKernelBar();
      const openLots: number[][] = [];
      const p = l.pair;
      for (let i = 0; i < p.length; i++) {
        const valid = features.update(
          p.ts[i]!,
          p.a.high[i]!,
          p.a.low[i]!,
          p.a.close[i]!,
          p.b.high[i]!,
          p.b.low[i]!,
          p.b.close[i]!,
          row,
        );
        Object.assign(bar, {
          tsMs: p.ts[i]!,
          closeMs: p.ts[i]! + H,
          closeA: p.a.close[i]!,
          closeB: p.b.close[i]!,
          filled: false,
          usdPerQuoteA: 1,
          usdPerQuoteB: rates(spec.leg_B.canonical_symbol, p.ts[i]!),
        });
        kernel.observe(setKernelFeatures(bar, row, valid, 'raw'));
        await scorer.scoreRow(row, valid, scores);
        bar.returnProb = scores.returnProb;
        bar.riskScore = scores.riskScore;
        const a = kernel.decide(bar, {
          allowEntries: log.allowEntries[i] === 1,
          flatten: log.flatten[i] === 1,
          leverageScale: log.leverageScale[i]!,
        });
        replayed[i] = ACTION_CODES[a.action];
        if (a.action === 'open') openLots.push([a.targetLotsA, a.targetLotsB]);
      }
      const engine = result.actions[l.id]!;
      const firstDiff = engine.findIndex((v, i) => v !== replayed[i]);
      expect(
        firstDiff,
        firstDiff >= 0
          ? `${l.id} bar ${firstDiff}: engine ${ACTION_NAMES[engine[firstDiff]!]}, replay ${ACTION_NAMES[replayed[firstDiff]!]}`
          : '',
      ).toBe(-1);
      const trades = result.trades.filter((t) => t.pair_id === l.id);
      expect(trades.length).toBeGreaterThan(5);
      expect(trades.map((t) => [t.qty_A, t.qty_B])).toEqual(openLots.slice(0, trades.length));
    }
  }, 180_000);
});

describe('entries are event starts only', () => {
  for (const signalZ of ['raw', 'ema'] as const) {
    it(`the streaming event machine (buildAi1Events) equals SPEC §3.1's batch pseudo-code on every bundled pair (signal_z ${signalZ})`, () => {
      const lp = labelParamsFrom(config, 24);
      for (const l of loaded) {
        const inputs = labelInputsFromFeatures(l.f, signalZ);
        const naive = naiveAi1(
          Array.from(inputs.z),
          Array.from(inputs.deltaZ),
          Array.from(inputs.valid, (v) => v === 1),
          {
            zEntry: lp.zEntry,
            zExit: lp.zExit,
            M: lp.maxHoldingBars,
            K: lp.speedLookbackBars,
            thetaSpeed: lp.thetaSpeed,
          },
        );
        const got = buildAi1Events(inputs, lp);
        expect(Array.from(got.t0, (t0, i) => [t0, got.t1[i]!, got.direction[i]!, got.y[i]!])).toEqual(naive.events);
        expect(got.counts).toEqual(naive.counts);
        expect(naive.counts.events).toBeGreaterThan(50);
      }
    });
  }

  it("every open of the model run and of the rule-only run is an event start of the batch pseudo-code, on the start bar's side", () => {
    const lp = labelParamsFrom(config, 24);
    for (const ruleOnly of [false, true]) {
      const result = backtest(
        loaded.map((l) => input(l)),
        { ruleOnly },
      );
      for (const l of loaded) {
        const z = l.f.columns[F.z]!;
        const naive = naiveAi1(
          Array.from(z),
          Array.from(l.f.columns[F.delta_z]!),
          Array.from(l.f.valid, (v) => v === 1),
          {
            zEntry: lp.zEntry,
            zExit: lp.zExit,
            M: lp.maxHoldingBars,
            K: lp.speedLookbackBars,
            thetaSpeed: lp.thetaSpeed,
          },
        );
        const starts = new Set(naive.starts);
        const opens: number[] = [];
        result.actions[l.id]!.forEach((a, i) => {
          if (a === ACTION_CODES.open) opens.push(i);
        });
        expect(opens.length).toBeGreaterThan(5);
        expect(opens.filter((i) => !starts.has(i))).toEqual([]);
        // the trade's side is the event's: a rich spread (z > 0) is sold
        const trades = result.trades.filter((t) => t.pair_id === l.id);
        for (const t of trades) {
          const i = l.pair.ts.indexOf(t.ts_entry - H);
          expect(t.side).toBe(z[i]! > 0 ? 'SHORT_SPREAD' : 'LONG_SPREAD');
        }
      }
    }
  });
});

describe('β < 0: AUDUSD_USDCAD', () => {
  it('holds long-long or short-short legs whenever β < 0 at entry, and opposite legs when β > 0', () => {
    const l = loaded.find((x) => x.id === 'AUDUSD_USDCAD')!;
    const result = backtest([input(l)], { ruleOnly: true });
    const beta = l.f.columns[F.beta]!;
    let negative = 0;
    for (const t of result.trades) {
      const b = beta[l.pair.ts.indexOf(t.ts_entry - H)]!;
      expect(Math.sign(t.qty_B)).toBe(-Math.sign(t.qty_A) * Math.sign(b));
      if (b < 0) negative++;
    }
    expect(negative).toBeGreaterThan(5);
  });
});

describe('no look-ahead on real bars', () => {
  it('changing the bars after t (prices, hence features and scores) changes no action at or before t', async () => {
    const ref = backtest(loaded.map((l) => input(l)));
    const fp = featureParamsFrom(config);
    for (const cut of [0.3, 0.7]) {
      const rng = new SeededRng(Math.round(cut * 100));
      const pairs: BacktestPairInput[] = [];
      const cuts: Record<string, number> = {};
      // One cut instant for the whole portfolio: the DD policy couples the pairs through the equity.
      const cutMs = loaded[0]!.pair.ts[Math.floor(loaded[0]!.pair.length * cut)]!;
      for (const l of loaded) {
        let t = 0;
        while (t + 1 < l.pair.length && l.pair.ts[t + 1]! <= cutMs) t++;
        cuts[l.id] = t;
        const p: AlignedPair = {
          ...l.pair,
          a: { ...l.pair.a, close: l.pair.a.close.slice(), high: l.pair.a.high.slice(), low: l.pair.a.low.slice() },
          b: { ...l.pair.b, close: l.pair.b.close.slice() },
        };
        for (let i = t + 1; i < p.length; i++) {
          const k = Math.exp(0.01 * rng.gaussian());
          p.a.close[i] = p.a.close[i]! * k;
          p.a.high[i] = Math.max(p.a.high[i]! * k, p.a.close[i]!);
          p.a.low[i] = Math.min(p.a.low[i]! * k, p.a.close[i]!);
          p.b.close[i] = Math.min(Math.max(p.b.close[i]! * Math.exp(0.01 * rng.gaussian()), p.b.low[i]!), p.b.high[i]!);
        }
        const f = computePairFeatures(p, fp);
        const s = await scorer.scoreColumns(f.columns, f.valid);
        pairs.push(input(l, p, f, s.returnProb, s.riskScore));
      }
      const run = backtest(pairs);
      for (const l of loaded) {
        const t = cuts[l.id]!;
        expect(Array.from(run.actions[l.id]!.subarray(0, t + 1))).toEqual(
          Array.from(ref.actions[l.id]!.subarray(0, t + 1)),
        );
        expect(Array.from(run.actions[l.id]!.subarray(t + 1)).some((v, j) => v !== ref.actions[l.id]![t + 1 + j])).toBe(
          true,
        );
      }
    }
  }, 120_000);
});
