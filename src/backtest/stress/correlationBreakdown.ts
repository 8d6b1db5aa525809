// SPEC §7 correlation breakdown: inside stress windows leg B's log returns become w·r_B + sqrt(1 − w²)·σ_B·ε.
import { SeededRng } from '../../core/rng.js';
import type { AlignedPair } from '../../model/bar.js';
import { breakdownWeight } from './breakdownWeight.js';
import { clonePair } from './clonePair.js';
import { pearson, sampleStdOf } from './pearson.js';
import { checkWindows, type StressWindow } from './stressWindow.js';

export interface CorrelationBreakdownOptions {
  /** Target correlation of the returns inside each window (SPEC: 0 or 0.2). */
  rhoTarget: number;
  /** Sorted, disjoint windows of bar indices. */
  windows: readonly StressWindow[];
  seed: number;
}

function logReturns(close: Float64Array, from: number, to: number): Float64Array {
  const r = new Float64Array(to - from);
  for (let t = from; t < to; t++) r[t - from] = Math.log(close[t]! / close[t - 1]!);
  return r;
}

/** Multiplies bar t's open/high/low/close of leg B by f. */
function scaleBar(b: AlignedPair['b'], t: number, f: number): void {
  b.open[t] = b.open[t]! * f;
  b.high[t] = b.high[t]! * f;
  b.low[t] = b.low[t]! * f;
  b.close[t] = b.close[t]! * f;
}

/**
 * A new pair where, in each window [start, end), the return of bar t (ln c_t/c_{t−1}, t ≥ max(start, 1))
 * of leg B is replaced as SPEC §7 says, with ρ_hist the Pearson correlation of r_A and r_B over the
 * window and σ_B the sample std of r_B there. B's closes are rebuilt from the new returns; each bar's
 * open/high/low move by the same factor as its close; bars after the window keep their returns (the
 * level reached at the window's end carries on). Leg A, ts and volumes are untouched.
 */
export function correlationBreakdown(pair: AlignedPair, options: CorrelationBreakdownOptions): AlignedPair {
  const { rhoTarget, windows, seed } = options;
  if (!(rhoTarget >= -1 && rhoTarget <= 1)) throw new RangeError(`rhoTarget must be in [-1, 1], got ${rhoTarget}`);
  checkWindows(windows, pair.length);
  const out = clonePair(pair);
  const rng = new SeededRng(seed);
  const b = out.b;
  for (const win of windows) {
    const first = Math.max(win.start, 1);
    if (win.end - first < 2) continue; // fewer than two returns: no correlation to break
    const rA = logReturns(out.a.close, first, win.end);
    const rB = logReturns(b.close, first, win.end);
    const w = breakdownWeight(rhoTarget, pearson(rA, rB));
    const sigmaB = sampleStdOf(rB);
    const noise = Math.sqrt(Math.max(0, 1 - w * w)) * sigmaB;
    let level = b.close[first - 1]!;
    let f = 1;
    for (let t = first; t < win.end; t++) {
      level *= Math.exp(w * rB[t - first]! + noise * rng.gaussian());
      f = level / b.close[t]!;
      scaleBar(b, t, f);
      b.close[t] = level; // exact rebuilt close, not close·f rounded twice
    }
    if (f !== 1) for (let t = win.end; t < out.length; t++) scaleBar(b, t, f);
  }
  return out;
}
