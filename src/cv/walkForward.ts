// Expanding-window walk-forward splits with train purged at the test start (SPEC §4).
import { indicesWhere, sampleBars, type EventSamples } from './eventSamples.js';

export interface WalkForwardOptions {
  /** bars_per_day of the timeframe (SPEC §0). */
  barsPerDay: number;
  /** Trading days of bars before the first test (default 360). */
  minTrainDays: number;
  /** Trading days of bars per test step (default 30). */
  stepDays: number;
}

export interface WalkForwardStep {
  /** Sample indices, ascending. */
  train: Uint32Array;
  test: Uint32Array;
  /** Samples with t0 before the test start whose t1 is at or after it. */
  purged: number;
  /** The test window: times of its first and last bar and their bar indices, inclusive. */
  testStart: number;
  testEnd: number;
  testStartBar: number;
  testEndBar: number;
  /** True for a last step shorter than stepDays × barsPerDay bars (the timeline ran out). */
  partial: boolean;
}

export interface WalkForwardResult {
  steps: WalkForwardStep[];
  warnings: string[];
}

/**
 * Step j tests bars [s_j, min(s_j + step, nBars) − 1] with s_j = minTrain + j·step,
 * minTrain = minTrainDays·barsPerDay and step = stepDays·barsPerDay bars of the timeline (bars that
 * exist). test = samples with t0 bar in the step; train = samples with t0 < timeline[s_j] and
 * t1 < timeline[s_j]; purged = samples with t0 < timeline[s_j] ≤ t1. Samples after the step are in
 * neither. The last step may be shorter (`partial`).
 */
export function walkForward(
  samples: EventSamples,
  timeline: Float64Array,
  opts: WalkForwardOptions,
): WalkForwardResult {
  checkWalkForwardOptions(opts);
  const { bar0, bar1 } = sampleBars(samples, timeline);
  const n = bar0.length;
  const nBars = timeline.length;
  const minTrain = opts.minTrainDays * opts.barsPerDay;
  const step = opts.stepDays * opts.barsPerDay;
  const warnings: string[] = [];
  const steps: WalkForwardStep[] = [];
  if (minTrain >= nBars) {
    warnings.push(`WF_TOO_SHORT: ${nBars} bars leave no test after ${minTrain} bars of minimum train; no steps`);
    return { steps, warnings };
  }
  for (let s = minTrain; s < nBars; s += step) {
    const e = Math.min(s + step, nBars) - 1;
    const inTrain = new Uint8Array(n);
    const inTest = new Uint8Array(n);
    let purged = 0;
    for (let i = 0; i < n; i++) {
      const b0 = bar0[i]!;
      if (b0 < s) {
        // t1 < timeline[s] ⇔ bar of t1 < s.
        if (bar1[i]! < s) inTrain[i] = 1;
        else purged++;
      } else if (b0 <= e) inTest[i] = 1;
    }
    const st = { train: indicesWhere(inTrain), test: indicesWhere(inTest) };
    if (st.test.length === 0) warnings.push(`WF_EMPTY_TEST: step ${steps.length} has no test samples`);
    if (st.train.length === 0) warnings.push(`WF_EMPTY_TRAIN: step ${steps.length} has no train samples`);
    steps.push({
      ...st,
      purged,
      testStart: timeline[s]!,
      testEnd: timeline[e]!,
      testStartBar: s,
      testEndBar: e,
      partial: e - s + 1 < step,
    });
  }
  return { steps, warnings };
}

/** Throws a RangeError naming the first invalid option. */
export function checkWalkForwardOptions(opts: WalkForwardOptions): WalkForwardOptions {
  for (const key of ['barsPerDay', 'minTrainDays', 'stepDays'] as const) {
    const v = opts[key];
    if (!(Number.isInteger(v) && v >= 1)) throw new RangeError(`${key}=${v} is not an integer >= 1`);
  }
  return opts;
}
