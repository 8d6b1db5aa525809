// Hand-checkable edge cases through PairFeatureState itself, with small windows.
import { describe, expect, it } from 'vitest';
import { computePairFeatures } from '../../src/features/computePairFeatures.js';
import { F } from '../../src/features/featureNames.js';
import type { FeatureParams } from '../../src/features/featureParams.js';
import type { AlignedPair } from '../../src/model/bar.js';

const small: FeatureParams = {
  priceTransform: 'raw',
  betaWindow: 5,
  betaHalfLife: 1e12,
  huber: { madRatioSwitch: 2, c: 1.345, maxSolves: 50, tolerance: 1e-10 },
  zWindow: 5,
  zClip: 5,
  zEmaHalfLife: 1,
  atrPeriod: 3,
  medianWindow: 5,
  rhoWindow: 5,
  stabilityWindow: 5,
  halfLifeWindow: 5,
  halfLifeBounds: [1, 240],
  emaFastSpan: 3,
  emaSlowSpan: 5,
  slopeWindow: 4,
  dzSpeedHalfLife: 1,
  recomputeEvery: 2048,
};

/** Leg B follows a wiggle so the OLS is defined; leg A = B + the given spread (beta stays at its first value, 1). */
function pairFromSpread(spread: number[]): AlignedPair {
  const n = spread.length;
  const b = Float64Array.from({ length: n }, (_, i) => 100 + (i % 3) + 0.5 * Math.sin(i));
  const a = Float64Array.from(b, (x, i) => x + spread[i]!);
  const leg = (c: Float64Array) => ({
    symbol: 'X',
    open: c,
    high: c.map((x) => x + 0.1),
    low: c.map((x) => x - 0.1),
    close: c,
    volume: new Float64Array(n),
    quality: new Uint8Array(n),
  });
  return {
    pairId: 'X_Y',
    timeframe: '1h',
    length: n,
    ts: Float64Array.from({ length: n }, (_, i) => i * 3_600_000),
    a: leg(a),
    b: leg(b),
    droppedA: 0,
    droppedB: 0,
  };
}

describe('feature edge cases', () => {
  it('RSI is 100 when the spread only rises (average loss 0), and half_life is 240 when S does not revert (b >= 0)', () => {
    const f = computePairFeatures(pairFromSpread(Array.from({ length: 40 }, (_, i) => 1 + 0.1 * i * i)), small);
    const t = f.length - 1;
    expect(f.columns[F.rsi_spread]![t]).toBe(100);
    expect(f.columns[F.half_life]![t]).toBe(240);
  });

  it('clips z at ±5 on a jump far outside the window', () => {
    const spread = Array.from({ length: 60 }, (_, i) => (i % 2) * 0.01);
    spread[59] = 50;
    const small40 = { ...small, zWindow: 40 };
    const f = computePairFeatures(pairFromSpread(spread), small40);
    expect(f.columns[F.z_raw]![59]!).toBeGreaterThan(5);
    expect(f.columns[F.z]![59]).toBe(5);
  });

  it('a mean-reverting spread gives ln2/(-b) inside [1, 240]', () => {
    const spread: number[] = [1];
    for (let i = 1; i < 80; i++) spread.push(spread[i - 1]! * 0.5 + (i % 2 ? 0.3 : -0.3));
    const f = computePairFeatures(pairFromSpread(spread), small);
    const hl = f.columns[F.half_life]![79]!;
    expect(hl).toBeGreaterThanOrEqual(1);
    expect(hl).toBeLessThan(240);
  });
});
