// AI1 event labels: candidates, suppression, speed exclusion and the M-bar outcome (SPEC §3.1).
import { checkLabelInputs, type LabelInputs } from './labelInputs.js';
import { checkLabelParams, type LabelParams } from './labelParams.js';

/** What happened to the candidates; `candidates = events + censored + suppressed + speedExcluded`. */
export interface Ai1Counts {
  /** Valid rows with `|z| >= zEntry`. */
  candidates: number;
  /** Rows emitted (labelled events). */
  events: number;
  /** Emitted rows with `y = 1`. */
  positives: number;
  /** Events whose M-bar window runs past the data without a hit: no row, still active. */
  censored: number;
  /** Candidates in the direction of the active event. */
  suppressed: number;
  /** Candidates dropped by the speed exclusion. */
  speedExcluded: number;
}

/** One entry per event, in order of `t0`. Indices are rows of the input columns. */
export interface Ai1Result {
  /** Start row (a valid candidate row). */
  t0: Int32Array;
  /** End row used for purging: `t0 + hit` when y = 1, `t0 + M` when y = 0. */
  t1: Int32Array;
  /** +1 SHORT_SPREAD (z > 0), -1 LONG_SPREAD (z < 0). */
  direction: Int8Array;
  /** 1 when |z| came back to `zExit` within M bars. */
  y: Uint8Array;
  counts: Ai1Counts;
}

/**
 * SPEC §3.1 as its pseudo-code says. Only valid rows are candidates; bar offsets (`t + j`, `t + M`,
 * the K-bar speed window) are row offsets, and the z / delta_z values of those rows are read as
 * they are, valid or not (a NaN never hits and makes the speed mean undefined: not excluded).
 */
export function buildAi1Events(inputs: LabelInputs, params: LabelParams): Ai1Result {
  const n = checkLabelInputs(inputs);
  checkLabelParams(params);
  const { valid, z, deltaZ } = inputs;
  const { zEntry, zExit, maxHoldingBars: M, speedLookbackBars: K, thetaSpeed } = params;
  const last = n - 1;
  const t0 = new Int32Array(n);
  const t1 = new Int32Array(n);
  const direction = new Int8Array(n);
  const y = new Uint8Array(n);
  let events = 0;
  let positives = 0;
  let candidates = 0;
  let censored = 0;
  let suppressed = 0;
  let speedExcluded = 0;
  let activeDirection = 0;
  let activeEnd = -1;

  for (let t = 0; t < n; t++) {
    if (valid[t] === 0) continue;
    if (activeDirection !== 0 && t > activeEnd) activeDirection = 0;
    const zt = z[t]!;
    // Written as !(>=) so that a NaN z is never a candidate.
    if (!(Math.abs(zt) >= zEntry)) continue;
    candidates++;
    const d = zt > 0 ? 1 : -1;
    if (activeDirection === d) {
      suppressed++;
      continue;
    }
    // SPEC §3.1: an opposite candidate closes the active event; its emitted row stays as it is.
    activeDirection = 0;
    if (speedMean(deltaZ, t, K) > thetaSpeed) {
      speedExcluded++;
      continue;
    }
    let hit = 0;
    const jMax = Math.min(M, last - t);
    for (let j = 1; j <= jMax; j++) {
      if (Math.abs(z[t + j]!) <= zExit) {
        hit = j;
        break;
      }
    }
    activeDirection = d;
    if (hit > 0) {
      activeEnd = t + hit;
    } else {
      activeEnd = t + M;
      // SPEC §3.1: censored when the window runs past the data; it stays active and suppresses.
      if (activeEnd > last) {
        censored++;
        continue;
      }
    }
    t0[events] = t;
    t1[events] = activeEnd;
    direction[events] = d;
    y[events] = hit > 0 ? 1 : 0;
    positives += hit > 0 ? 1 : 0;
    events++;
  }

  return {
    t0: t0.slice(0, events),
    t1: t1.slice(0, events),
    direction: direction.slice(0, events),
    y: y.slice(0, events),
    counts: { candidates, events, positives, censored, suppressed, speedExcluded },
  };
}

/** Mean of |delta_z| over rows t-K+1..t summed in order; NaN when the window starts before row 0. */
function speedMean(deltaZ: Float64Array, t: number, K: number): number {
  const start = t - K + 1;
  if (start < 0) return Number.NaN;
  let sum = 0;
  for (let i = start; i <= t; i++) sum += Math.abs(deltaZ[i]!);
  return sum / K;
}
