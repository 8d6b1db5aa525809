// AI1 event labels: candidates, suppression, speed exclusion and the M-bar outcome (SPEC §3.1).
import { checkLabelInputs, type LabelInputs } from './labelInputs.js';
import { checkLabelParams, type LabelParams } from './labelParams.js';
import {
  Ai1EventMachine,
  EVENT_NONE,
  EVENT_SPEED_EXCLUDED,
  EVENT_SUPPRESSED,
  type Ai1EventParams,
} from './ai1EventMachine.js';

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
  /** The event's SpreadSide: +1 LONG_SPREAD (z < 0), −1 SHORT_SPREAD (z > 0). */
  direction: Int8Array;
  /** 1 when |z| came back to `zExit` within M bars. */
  y: Uint8Array;
  counts: Ai1Counts;
}

/**
 * SPEC §3.1: a loop over the streaming Ai1EventMachine (the code `pt live` and the backtest run), plus
 * the label itself, which looks ahead: y = 1 at the first `|z_{t0+j}| ≤ z_exit`, j ∈ 1..M. Bar
 * offsets are row offsets, and z / delta_z of those rows are read as they are, valid or not (a NaN
 * never hits and makes the speed mean undefined: not excluded). An event whose M-bar window runs
 * past the data without a hit is censored: no row, though the machine keeps it active.
 */
export function buildAi1Events(inputs: LabelInputs, params: LabelParams): Ai1Result {
  const n = checkLabelInputs(inputs);
  checkLabelParams(params);
  const { valid, z, deltaZ } = inputs;
  const { zExit, maxHoldingBars: M } = params;
  const machine = new Ai1EventMachine(ai1EventParamsFrom(params));
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

  for (let t = 0; t < n; t++) {
    const side = machine.update(valid[t] !== 0, z[t]!, deltaZ[t]!);
    const outcome = machine.outcome;
    if (outcome === EVENT_NONE) continue;
    candidates++;
    if (outcome === EVENT_SUPPRESSED) {
      suppressed++;
      continue;
    }
    if (outcome === EVENT_SPEED_EXCLUDED) {
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
    if (hit === 0 && t + M > last) {
      censored++;
      continue;
    }
    t0[events] = t;
    t1[events] = hit > 0 ? t + hit : t + M;
    direction[events] = side;
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

/** The event machine's parameters from the label parameters. */
export function ai1EventParamsFrom(
  params: Pick<LabelParams, 'zEntry' | 'zExit' | 'maxHoldingBars' | 'speedLookbackBars' | 'thetaSpeed'>,
): Ai1EventParams {
  return {
    zEntry: params.zEntry,
    zExit: params.zExit,
    maxHoldingBars: params.maxHoldingBars,
    speedLookbackBars: params.speedLookbackBars,
    thetaSpeed: params.thetaSpeed,
  };
}
