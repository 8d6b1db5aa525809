// Carves a purged validation set out of a fold's train candidates, on the side of the test block SPEC §4 allows.
import { indicesWhere, type SampleBars } from './eventSamples.js';
import { FOLD_ROLE } from './foldRoles.js';

export interface ValidationOptions {
  /** Share of the side's samples taken as validation, in (0, 1) (default 0.2). */
  fraction: number;
  /** Train samples whose [t0, t1] reaches within purgeBars bars of the validation start leave train. */
  purgeBars: number;
  /** Train samples starting within embargoBars bars after the validation set leave train. */
  embargoBars: number;
  /**
   * Where validation comes from: the latest samples with t0 bar < `beforeBar`, or the earliest with
   * t0 bar > `afterBar` (used when the test block is the first). Absent: the latest of all candidates.
   */
  side?: { beforeBar: number } | { afterBar: number };
}

export interface ValidationSplit {
  train: Uint32Array;
  valid: Uint32Array;
  /** Candidates dropped because their [t0, t1] reaches the validation purge window. */
  validationPurged: number;
  /** Candidates dropped because they start within the embargo after the validation set. */
  validationEmbargoed: number;
  /** First and last t0 bar of the validation set; −1 when there is none. */
  validStartBar: number;
  validEndBar: number;
}

/**
 * The side's candidates are sorted by t0 bar and nv = clamp(round(fraction · n_side), 1, n_side − 1)
 * are taken from its far end (latest before the block, earliest after it), widened so a bar is never
 * split. The validation set [vs, ve] is then treated like a test block: other candidates with t0 bar
 * < vs and t1 bar ≥ vs − purgeBars are purged, those with t0 bar in [ve + 1, ve + embargoBars] are
 * embargoed, the rest is train. With fewer than 2 side candidates there is no validation set.
 * `roles`, when given, receives train/valid/validPurged/validEmbargoed for every candidate.
 */
export function splitValidation(
  bars: SampleBars,
  candidates: Uint32Array,
  o: ValidationOptions,
  roles?: Uint8Array,
): ValidationSplit {
  if (!(o.fraction > 0 && o.fraction < 1)) throw new RangeError(`validationFraction=${o.fraction} is not in (0, 1)`);
  const { bar0, bar1 } = bars;
  const side = o.side;
  const onSide = (i: number): boolean =>
    side === undefined ? true : 'beforeBar' in side ? bar0[i]! < side.beforeBar : bar0[i]! > side.afterBar;
  const pool = Array.from(candidates)
    .filter(onSide)
    .sort((a, b) => bar0[a]! - bar0[b]! || a - b);
  const n = pool.length;
  let vs = -1;
  let ve = -1;
  if (n >= 2) {
    const nv = Math.min(Math.max(Math.round(o.fraction * n), 1), n - 1);
    if (side !== undefined && 'afterBar' in side) {
      vs = bar0[pool[0]!]!;
      ve = bar0[pool[nv - 1]!]!;
    } else {
      vs = bar0[pool[n - nv]!]!;
      ve = bar0[pool[n - 1]!]!;
    }
  }
  const inTrain = new Uint8Array(bar0.length);
  const inValid = new Uint8Array(bar0.length);
  let validationPurged = 0;
  let validationEmbargoed = 0;
  for (const i of candidates) {
    const b0 = bar0[i]!;
    let role: number = FOLD_ROLE.train;
    if (vs < 0) inTrain[i] = 1;
    else if (b0 >= vs && b0 <= ve && onSide(i)) {
      inValid[i] = 1;
      role = FOLD_ROLE.valid;
    } else if (b0 < vs && bar1[i]! >= vs - o.purgeBars) {
      validationPurged++;
      role = FOLD_ROLE.validPurged;
    } else if (b0 > ve && b0 <= ve + o.embargoBars) {
      validationEmbargoed++;
      role = FOLD_ROLE.validEmbargoed;
    } else inTrain[i] = 1;
    if (roles) roles[i] = role;
  }
  return {
    train: indicesWhere(inTrain),
    valid: indicesWhere(inValid),
    validationPurged,
    validationEmbargoed,
    validStartBar: vs,
    validEndBar: ve,
  };
}
