// The embargo default (retrain_policy.embargo_bars: auto) is the feature lookback: prices more than
// featureLookbackBars bars back never reach a windowed feature, and the default covers the warm-up.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.js';
import { cvOptionsFrom } from '../../src/cv/index.js';
import { computePairFeatures } from '../../src/features/computePairFeatures.js';
import { featureLookbackBars } from '../../src/features/featureLookback.js';
import { F, type FeatureName } from '../../src/features/featureNames.js';
import { featureParamsFrom } from '../../src/features/featureParams.js';
import type { AlignedPair } from '../../src/model/bar.js';
import { syntheticPair } from '../helpers/syntheticPair.js';

const config = loadConfig(fileURLToPath(new URL('../../config', import.meta.url)));
const params = featureParamsFrom(config);

/** Features built only from rolling windows once beta = beta_raw (no EMA or Wilder memory). */
const WINDOWED: FeatureName[] = [
  'beta_raw',
  'spread',
  'z_raw',
  'delta_z',
  'half_life',
  'rho_rolling',
  'corr_stability',
  'beta_stability',
  'slope_spread',
  'abs_delta_S',
  'abs_delta_z',
  'slope_z',
];

function bumped(pair: AlignedPair, from: number, to: number, factor: number): AlignedPair {
  const leg = (l: AlignedPair['a']): AlignedPair['a'] => {
    const scale = (c: Float64Array) => c.map((v, i) => (i >= from && i <= to ? v * factor : v));
    return { ...l, open: scale(l.open), high: scale(l.high), low: scale(l.low), close: scale(l.close) };
  };
  return { ...pair, a: leg(pair.a) };
}

describe('featureLookbackBars and the embargo default', () => {
  it('is 378 bars at the SPEC windows, at least W = 180 plus the warm-up, and is what embargo auto resolves to', async () => {
    const lookback = featureLookbackBars(params);
    expect(lookback).toBe(378);
    const pair = await syntheticPair(Date.UTC(2024, 0, 1), Date.UTC(2024, 3, 1));
    const warmup = computePairFeatures(pair, params).firstValid;
    expect(warmup).toBeGreaterThan(180);
    expect(lookback).toBeGreaterThanOrEqual(warmup);
    expect(config.retrain_policy.embargo_bars).toBe('auto');
    expect(cvOptionsFrom(config, 24, lookback).kFold.embargoBars).toBe(lookback);
  });

  it('a price change inside a block reaches windowed features up to lookback − 1 bars later, never further', async () => {
    // beta's EMA made memoryless (half-life → 0) so that every listed feature is purely windowed.
    const p = { ...params, betaHalfLife: 1e-9 };
    const lookback = featureLookbackBars(p);
    const pair = await syntheticPair(Date.UTC(2024, 0, 1), Date.UTC(2024, 4, 1));
    const [from, to] = [500, 560];
    const base = computePairFeatures(pair, p);
    const moved = computePairFeatures(bumped(pair, from, to, 1.05), p);
    const maxDiff = (t: number): number =>
      Math.max(
        ...WINDOWED.map((name) => {
          const a = base.columns[F[name]]![t]!;
          const b = moved.columns[F[name]]![t]!;
          return Math.abs(a - b) / Math.max(1, Math.abs(a));
        }),
      );
    // The last row the block can reach: t = to + lookback − 1 (slope_z: 20 z's, each from 180 S's, each from 180 prices).
    expect(maxDiff(to + lookback - 1)).toBeGreaterThan(1e-6);
    for (let t = to + lookback; t < Math.min(pair.length, to + lookback + 200); t++)
      expect(maxDiff(t)).toBeLessThan(1e-9);
  });
});
