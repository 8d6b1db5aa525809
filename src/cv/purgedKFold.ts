// Purged K-fold over contiguous time blocks of a group's timeline, with embargo and validation (SPEC §4).
import { indicesWhere, sampleBars, type EventSamples } from './eventSamples.js';
import { kFoldBlocks } from './kFoldBlocks.js';
import { splitValidation } from './splitValidation.js';

export interface PurgedKFoldOptions {
  /** Number of blocks K (SPEC default 5). */
  k: number;
  /** Bars before a test block whose overlapping events leave train (default 24). */
  purgeBars: number;
  /** Bars after a test block whose events (by t0) leave train (default 24). */
  embargoBars: number;
  /** Shortest block in bars (default 240); fewer folds otherwise. */
  minBlockLenBars: number;
  /** Last share of train (in time) used as the validation set (default 0.2). */
  validationFraction: number;
}

export interface PurgedFold {
  /** Sample indices, ascending. train, valid and test are disjoint. */
  train: Uint32Array;
  valid: Uint32Array;
  test: Uint32Array;
  /** Samples left out of train and valid, by reason; test + train + valid + all reasons = samples. */
  reasons: { purged: number; embargoed: number; validationPurged: number };
  /** The test block: times (timeline values of its first and last bar) and bar indices, inclusive. */
  block: { start: number; end: number; startBar: number; endBar: number };
}

export interface PurgedKFoldResult {
  folds: PurgedFold[];
  warnings: string[];
}

/**
 * For each block [bs, be] (bars of `timeline`, see `kFoldBlocks`):
 * - test: samples with t0 bar in [bs, be];
 * - purged: other samples whose [t0, t1] meets [timeline[bs − purgeBars], timeline[be]], i.e. with
 *   t0 bar < bs and t1 bar ≥ bs − purgeBars (samples after the block cannot meet it);
 * - embargoed: samples with t0 bar in [be + 1, be + embargoBars];
 * - the rest is split by `splitValidation` into train and valid (valid purged like a test block).
 */
export function purgedKFold(
  samples: EventSamples,
  timeline: Float64Array,
  opts: PurgedKFoldOptions,
): PurgedKFoldResult {
  checkKFoldOptions(opts);
  const bars = sampleBars(samples, timeline);
  const { bar0, bar1 } = bars;
  const n = bar0.length;
  const { blocks, warnings } = kFoldBlocks(timeline.length, opts.k, opts.minBlockLenBars);
  const folds: PurgedFold[] = [];
  for (const [j, { startBar: bs, endBar: be }] of blocks.entries()) {
    const inTest = new Uint8Array(n);
    const candidate = new Uint8Array(n);
    let purged = 0;
    let embargoed = 0;
    for (let i = 0; i < n; i++) {
      const b0 = bar0[i]!;
      if (b0 >= bs && b0 <= be) inTest[i] = 1;
      else if (b0 < bs && bar1[i]! >= bs - opts.purgeBars) purged++;
      else if (b0 > be && b0 <= be + opts.embargoBars) embargoed++;
      else candidate[i] = 1;
    }
    const split = splitValidation(bars, indicesWhere(candidate), opts.validationFraction, opts.purgeBars);
    const test = indicesWhere(inTest);
    if (test.length === 0) warnings.push(`CV_EMPTY_TEST: fold ${j} has no test samples`);
    if (split.train.length === 0) warnings.push(`CV_EMPTY_TRAIN: fold ${j} has no train samples`);
    if (split.valid.length === 0) warnings.push(`CV_EMPTY_VALID: fold ${j} has no validation samples`);
    folds.push({
      train: split.train,
      valid: split.valid,
      test,
      reasons: { purged, embargoed, validationPurged: split.validationPurged },
      block: { start: timeline[bs]!, end: timeline[be]!, startBar: bs, endBar: be },
    });
  }
  return { folds, warnings };
}

/** Throws a RangeError naming the first invalid option. */
export function checkKFoldOptions(opts: PurgedKFoldOptions): PurgedKFoldOptions {
  const nonNegInt = (v: number): boolean => Number.isInteger(v) && v >= 0;
  if (!(Number.isInteger(opts.k) && opts.k >= 2)) throw new RangeError(`k=${opts.k} is not an integer >= 2`);
  if (!nonNegInt(opts.purgeBars)) throw new RangeError(`purgeBars=${opts.purgeBars} is not an integer >= 0`);
  if (!nonNegInt(opts.embargoBars)) throw new RangeError(`embargoBars=${opts.embargoBars} is not an integer >= 0`);
  if (!(Number.isInteger(opts.minBlockLenBars) && opts.minBlockLenBars >= 1))
    throw new RangeError(`minBlockLenBars=${opts.minBlockLenBars} is not an integer >= 1`);
  if (!(opts.validationFraction > 0 && opts.validationFraction < 1))
    throw new RangeError(`validationFraction=${opts.validationFraction} is not in (0, 1)`);
  return opts;
}
