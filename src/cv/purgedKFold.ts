// Purged K-fold over contiguous time blocks of a group's timeline, with embargo and validation (SPEC §4).
import { indicesWhere, sampleBars, type EventSamples } from './eventSamples.js';
import { FOLD_ROLE } from './foldRoles.js';
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
  /** Share of the train candidates on the validation side (before the block; after it for the first) used as validation (default 0.2). */
  validationFraction: number;
}

export interface PurgedFold {
  /** Sample indices, ascending. train, valid and test are disjoint. */
  train: Uint32Array;
  valid: Uint32Array;
  test: Uint32Array;
  /** Samples left out of train and valid, by reason; test + train + valid + all reasons = samples. */
  reasons: { purged: number; embargoed: number; validationPurged: number; validationEmbargoed: number };
  /** The test block: times (timeline values of its first and last bar) and bar indices, inclusive. */
  block: { start: number; end: number; startBar: number; endBar: number };
  /** The validation set's first and last t0 bar and their times; undefined without a validation set. */
  validSpan?: { start: number; end: number; startBar: number; endBar: number };
  /** Each sample's FOLD_ROLE in this fold. */
  roles: Uint8Array;
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
 * - the rest is split by `splitValidation` into train and valid: validation is the latest share of the
 *   candidates before the block, or, for the first block, the earliest share after it, purged and
 *   embargoed like a test block. Validation never lies after a test block that has data before it.
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
    const roles = new Uint8Array(n);
    const candidate = new Uint8Array(n);
    let purged = 0;
    let embargoed = 0;
    for (let i = 0; i < n; i++) {
      const b0 = bar0[i]!;
      if (b0 >= bs && b0 <= be) roles[i] = FOLD_ROLE.test;
      else if (b0 < bs && bar1[i]! >= bs - opts.purgeBars) {
        roles[i] = FOLD_ROLE.purged;
        purged++;
      } else if (b0 > be && b0 <= be + opts.embargoBars) {
        roles[i] = FOLD_ROLE.embargoed;
        embargoed++;
      } else candidate[i] = 1;
    }
    const split = splitValidation(
      bars,
      indicesWhere(candidate),
      {
        fraction: opts.validationFraction,
        purgeBars: opts.purgeBars,
        embargoBars: opts.embargoBars,
        side: j === 0 ? { afterBar: be } : { beforeBar: bs },
      },
      roles,
    );
    const test = indicesWhere(Uint8Array.from(roles, (r) => (r === FOLD_ROLE.test ? 1 : 0)));
    if (test.length === 0) warnings.push(`CV_EMPTY_TEST: fold ${j + 1} has no test samples`);
    if (split.train.length === 0) warnings.push(`CV_EMPTY_TRAIN: fold ${j + 1} has no train samples`);
    if (split.valid.length === 0) warnings.push(`CV_EMPTY_VALID: fold ${j + 1} has no validation samples`);
    const { validStartBar: vs, validEndBar: ve } = split;
    folds.push({
      train: split.train,
      valid: split.valid,
      test,
      reasons: {
        purged,
        embargoed,
        validationPurged: split.validationPurged,
        validationEmbargoed: split.validationEmbargoed,
      },
      block: { start: timeline[bs]!, end: timeline[be]!, startBar: bs, endBar: be },
      ...(vs >= 0 ? { validSpan: { start: timeline[vs]!, end: timeline[ve]!, startBar: vs, endBar: ve } } : {}),
      roles,
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
