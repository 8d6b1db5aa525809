import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computePairFeatures } from '../../src/features/computePairFeatures.js';
import { FEATURE_COUNT, FEATURE_NAMES, F } from '../../src/features/featureNames.js';
import { featureParamsFrom } from '../../src/features/featureParams.js';
import { PairFeatureState } from '../../src/features/pairFeatureState.js';
import { decodeState, encodeState } from '../../src/features/stateCodec.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { PtError } from '../../src/core/ptError.js';
import { SeededRng } from '../../src/core/rng.js';
import { repoRoot } from '../helpers/runPt.js';
import { syntheticPair } from '../helpers/syntheticPair.js';
import type { AlignedPair } from '../../src/model/bar.js';

const params = featureParamsFrom(loadConfig(join(repoRoot, 'config')));
const pair = await syntheticPair(Date.UTC(2022, 0, 1), Date.UTC(2023, 0, 1));

function sameBits(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

describe('PairFeatureState', () => {
  it('first valid row comes after the SPEC warm-up (about 375 bars at the defaults)', () => {
    const f = computePairFeatures(pair, params);
    expect(f.firstValid).toBeGreaterThanOrEqual(370);
    expect(f.firstValid).toBeLessThanOrEqual(380);
    for (let t = f.firstValid; t < f.length; t++) expect(f.valid[t]).toBe(1);
    for (let k = 0; k < FEATURE_COUNT; k++)
      expect(Number.isFinite(f.columns[k]![f.length - 1]!), FEATURE_NAMES[k]).toBe(true);
  });

  it('streaming one bar at a time with a serialise/restore in the middle reproduces the batch bit for bit', () => {
    const batch = computePairFeatures(pair, params);
    const row = new Float64Array(FEATURE_COUNT);
    let state = new PairFeatureState(params);
    const cut = 1234;
    for (let t = 0; t < pair.length; t++) {
      if (t === cut) state = PairFeatureState.restore(params, decodeState(encodeState(state.snapshot())));
      const ok = state.update(
        pair.ts[t]!,
        pair.a.high[t]!,
        pair.a.low[t]!,
        pair.a.close[t]!,
        pair.b.high[t]!,
        pair.b.low[t]!,
        pair.b.close[t]!,
        row,
      );
      expect(ok).toBe(batch.valid[t] === 1);
      for (let k = 0; k < FEATURE_COUNT; k++) {
        if (!sameBits(row[k]!, batch.columns[k]![t]!))
          throw new Error(`bar ${t} ${FEATURE_NAMES[k]}: ${row[k]} != ${batch.columns[k]![t]}`);
      }
    }
  });

  it('has no look-ahead: changing bars after t leaves every feature at or before t unchanged', () => {
    const base = computePairFeatures(pair, params);
    const rng = new SeededRng(99);
    for (let trial = 0; trial < 5; trial++) {
      const t = 400 + Math.floor(rng.next() * (pair.length - 500));
      const perturbed: AlignedPair = structuredClone(pair);
      for (let i = t + 1; i < pair.length; i++) {
        const k = Math.exp(0.05 * rng.gaussian());
        perturbed.a.close[i] = pair.a.close[i]! * k;
        perturbed.a.high[i] = Math.max(pair.a.high[i]! * k, perturbed.a.close[i]!);
        perturbed.a.low[i] = Math.min(pair.a.low[i]! * k, perturbed.a.close[i]!);
      }
      const f = computePairFeatures(perturbed, params);
      for (let i = 0; i <= t; i++)
        for (let k = 0; k < FEATURE_COUNT; k++) {
          if (!sameBits(f.columns[k]![i]!, base.columns[k]![i]!))
            throw new Error(`look-ahead: ${FEATURE_NAMES[k]} at ${i} changed by bars after ${t}`);
        }
      expect(f.columns[F.p_A]![t + 1]).not.toBe(base.columns[F.p_A]![t + 1]);
    }
  });

  it('clips z to ±5, keeps half_life inside [1, 240] and RSI inside [0, 100]', () => {
    const f = computePairFeatures(pair, params);
    for (let t = f.firstValid; t < f.length; t++) {
      expect(Math.abs(f.columns[F.z]![t]!)).toBeLessThanOrEqual(5);
      expect(f.columns[F.half_life]![t]!).toBeGreaterThanOrEqual(1);
      expect(f.columns[F.half_life]![t]!).toBeLessThanOrEqual(240);
      expect(f.columns[F.rsi_spread]![t]!).toBeGreaterThanOrEqual(0);
      expect(f.columns[F.rsi_spread]![t]!).toBeLessThanOrEqual(100);
    }
  });

  it('rejects too short a pair with a clear error, not NaNs', () => {
    const short: AlignedPair = { ...pair, length: 300 };
    expect(() => computePairFeatures(short, params)).toThrowError(/never complete the feature windows/);
    try {
      computePairFeatures(short, params);
    } catch (e) {
      expect((e as PtError).id).toBe('CORE_FEATURES_WARMUP');
    }
  });

  it('rejects NaN and non-positive prices, and bars out of order, at the boundary', () => {
    const s = new PairFeatureState(params);
    const row = new Float64Array(FEATURE_COUNT);
    expect(() => s.update(1, 2, 1, Number.NaN, 2, 1, 1.5, row)).toThrowError(/non-positive or NaN price/);
    expect(() => s.update(1, 2, 1, 1.5, 2, 1, 0, row)).toThrowError(/non-positive or NaN price/);
    s.update(10, 2, 1, 1.5, 2, 1, 1.5, row);
    expect(() => s.update(10, 2, 1, 1.5, 2, 1, 1.5, row)).toThrowError(/not after the previous bar/);
  });
});
