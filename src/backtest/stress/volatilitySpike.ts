// SPEC §7 volatility spike: Gaussian noise of std (k − 1)·ATR14 added to each leg's closes, OHLC kept consistent.
import { SeededRng, seedFromString } from '../../core/rng.js';
import type { AlignedPair } from '../../model/bar.js';
import { clonePair } from './clonePair.js';
import type { StressWindow } from './stressWindow.js';
import { windowMask } from './stressWindow.js';
import { trueRangeAtr } from './trueRangeAtr.js';

export interface VolatilitySpikeOptions {
  /** Volatility multiple (SPEC: 1.5 or 2.0); the noise std is (k − 1)·ATR14. */
  k: number;
  seed: number;
  /** Bars to perturb; everywhere when absent. */
  windows?: readonly StressWindow[];
}

export const VOL_SPIKE_ATR_PERIOD = 14;
/** A noisy close never falls below this fraction of the raw close, so prices stay > 0. */
export const VOL_SPIKE_MIN_PRICE_FRACTION = 0.01;

function spikeLeg(leg: AlignedPair['a'], k: number, rng: SeededRng, mask: Uint8Array | null): void {
  const atr = trueRangeAtr(leg.high, leg.low, leg.close, VOL_SPIKE_ATR_PERIOD);
  const { open, high, low, close } = leg;
  for (let i = 0; i < close.length; i++) {
    if (mask && mask[i] === 0) continue;
    const eps = rng.gaussian();
    const a = atr[i]!;
    if (!(a > 0)) continue; // ATR warm-up (first 13 bars) or a flat market: no noise
    const raw = close[i]!;
    const c = Math.max(raw + (k - 1) * a * eps, raw * VOL_SPIKE_MIN_PRICE_FRACTION);
    close[i] = c;
    high[i] = Math.max(high[i]!, open[i]!, c);
    low[i] = Math.min(low[i]!, open[i]!, c);
  }
}

/**
 * A new pair whose closes carry independent N(0, ((k − 1)·ATR14_t)²) noise per bar and leg (one
 * seeded stream per leg, from the seed and the leg's symbol); open is kept, high and low widened
 * just enough to hold the new close. ATR14 is computed on the raw prices of the whole series.
 */
export function volatilitySpike(pair: AlignedPair, options: VolatilitySpikeOptions): AlignedPair {
  const { k, seed, windows } = options;
  if (!(k >= 1) || !Number.isFinite(k)) throw new RangeError(`vol spike k must be ≥ 1, got ${k}`);
  const out = clonePair(pair);
  const mask = windows ? windowMask(windows, pair.length) : null;
  spikeLeg(out.a, k, new SeededRng(seedFromString(`A:${pair.a.symbol}`, seed)), mask);
  spikeLeg(out.b, k, new SeededRng(seedFromString(`B:${pair.b.symbol}`, seed)), mask);
  return out;
}
