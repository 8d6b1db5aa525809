// Expanding-window walk-forward splits with train purged at the test start (SPEC §4).
import { indicesWhere, sampleBars, type EventSamples } from './eventSamples.js';
import { FOLD_ROLE } from './foldRoles.js';
import { splitValidation } from './splitValidation.js';

export interface WalkForwardOptions {
  /** bars_per_day of the timeframe (SPEC §0). */
  barsPerDay: number;
  /** Trading days of bars before the first test (default 360). */
  minTrainDays: number;
  /** Trading days of bars per test step (default 30). */
  stepDays: number;
  /** Latest share of a step's train taken as its validation set (retrain_policy.validation_fraction). */
  validationFraction: number;
  /** Purge before the validation set (retrain_policy.purge_bars). */
  purgeBars: number;
}

export interface WalkForwardStep {
  /** Sample indices, ascending. train + valid + validationPurged = the samples that end before the test start. */
  train: Uint32Array;
  valid: Uint32Array;
  test: Uint32Array;
  /** Samples with t0 before the test start whose t1 is at or after it. */
  purged: number;
  /** Samples that end before the test start but reach the validation set's purge window. */
  validationPurged: number;
  /** Each sample's FOLD_ROLE in this step (`none` after the test window). */
  roles: Uint8Array;
  /** The validation set's first and last t0 bar and their times; undefined without a validation set. */
  validSpan?: { start: number; end: number; startBar: number; endBar: number };
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
 * exist). test = samples with t0 bar in the step; purged = samples with t0 < timeline[s_j] ≤ t1. The
 * samples with t0 < timeline[s_j] and t1 < timeline[s_j] are split by `splitValidation` (the latest
 * `validationFraction` of them, purged like a test block) into train and valid. Samples after the step
 * are in none. The last step may be shorter (`partial`).
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
    const roles = new Uint8Array(n);
    const before = new Uint8Array(n);
    let purged = 0;
    for (let i = 0; i < n; i++) {
      const b0 = bar0[i]!;
      if (b0 < s) {
        // t1 < timeline[s] ⇔ bar of t1 < s.
        if (bar1[i]! < s) before[i] = 1;
        else {
          roles[i] = FOLD_ROLE.purged;
          purged++;
        }
      } else if (b0 <= e) roles[i] = FOLD_ROLE.test;
    }
    const split = splitValidation(
      { bar0, bar1 },
      indicesWhere(before),
      { fraction: opts.validationFraction, purgeBars: opts.purgeBars, embargoBars: 0 },
      roles,
    );
    const test = indicesWhere(Uint8Array.from(roles, (r) => (r === FOLD_ROLE.test ? 1 : 0)));
    if (test.length === 0) warnings.push(`WF_EMPTY_TEST: step ${steps.length + 1} has no test samples`);
    if (split.train.length === 0) warnings.push(`WF_EMPTY_TRAIN: step ${steps.length + 1} has no train samples`);
    steps.push({
      train: split.train,
      valid: split.valid,
      test,
      purged,
      validationPurged: split.validationPurged,
      roles,
      testStart: timeline[s]!,
      testEnd: timeline[e]!,
      testStartBar: s,
      testEndBar: e,
      partial: e - s + 1 < step,
      ...(split.validStartBar >= 0
        ? {
            validSpan: {
              start: timeline[split.validStartBar]!,
              end: timeline[split.validEndBar]!,
              startBar: split.validStartBar,
              endBar: split.validEndBar,
            },
          }
        : {}),
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
  if (!(opts.validationFraction > 0 && opts.validationFraction < 1))
    throw new RangeError(`validationFraction=${opts.validationFraction} is not in (0, 1)`);
  if (!(Number.isInteger(opts.purgeBars) && opts.purgeBars >= 0))
    throw new RangeError(`purgeBars=${opts.purgeBars} is not an integer >= 0`);
  return opts;
}
