// Shared fixtures of the stress tests: the synthetic pair (cached), a pair fingerprint and log returns.
import type { AlignedPair } from '../../../src/model/bar.js';
import { syntheticPair } from '../../helpers/syntheticPair.js';

let cached: Promise<AlignedPair> | undefined;

/** SYNA/SYNB 1h over 2022-01-01..2023-01-01 (about 6,200 bars). */
export function pairFixture(): Promise<AlignedPair> {
  cached ??= syntheticPair(Date.UTC(2022, 0, 1), Date.UTC(2023, 0, 1));
  return cached;
}

/** Every number of the pair as one array, to compare a pair before and after a call. */
export function fingerprint(p: AlignedPair): number[] {
  const legs = [p.a, p.b].flatMap((l) => [l.open, l.high, l.low, l.close, l.volume].flatMap((x) => Array.from(x)));
  return [...Array.from(p.ts), ...legs];
}

export function logReturns(close: Float64Array, from: number, to: number): Float64Array {
  const r = new Float64Array(to - from);
  for (let t = from; t < to; t++) r[t - from] = Math.log(close[t]! / close[t - 1]!);
  return r;
}
