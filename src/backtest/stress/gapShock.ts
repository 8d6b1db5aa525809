// SPEC §7 gap: a permanent ±x% level shift of leg A's prices from bar `atIndex` on.
import type { AlignedPair } from '../../model/bar.js';
import { clonePair } from './clonePair.js';

export interface GapShockOptions {
  /** First shifted bar. */
  atIndex: number;
  /** Signed shift in percent (SPEC: ±0.5, ±1, ±2); must be > −100. */
  percent: number;
}

/** A new pair with A's open/high/low/close multiplied by (1 + percent/100) on bars atIndex.. end. */
export function gapShock(pair: AlignedPair, options: GapShockOptions): AlignedPair {
  const { atIndex, percent } = options;
  if (!Number.isInteger(atIndex) || atIndex < 0 || atIndex >= pair.length)
    throw new RangeError(`gap atIndex ${atIndex} outside 0..${pair.length - 1}`);
  if (!(percent > -100) || !Number.isFinite(percent))
    throw new RangeError(`gap percent must be > -100, got ${percent}`);
  const out = clonePair(pair);
  const f = 1 + percent / 100;
  const a = out.a;
  for (let t = atIndex; t < out.length; t++) {
    a.open[t] = a.open[t]! * f;
    a.high[t] = a.high[t]! * f;
    a.low[t] = a.low[t]! * f;
    a.close[t] = a.close[t]! * f;
  }
  return out;
}
