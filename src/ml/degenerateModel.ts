// Whether a fitted classifier learned anything: a model without a split, or whose scores over the
// rows it is judged on are constant or take fewer than three values, cannot rank rows, so a θ
// threshold on it passes every trade or none. pt train refuses to write such a version, and the
// model bundle refuses to filter with one (docs/models.md "Degenerate models").
import type { TreeEnsemble } from './treeEnsemble.js';

/** `no_split`: no tree splits; `constant_predictions`: raw max − min ≤ 1e-9; `calibrated_levels`: < 3 calibrated values. */
export type DegenerateReason = 'no_split' | 'constant_predictions' | 'calibrated_levels';

export interface DegenerateVerdict {
  degenerate: boolean;
  reasons: DegenerateReason[];
}

/** Raw probabilities whose range is at most this are one constant. */
export const CONSTANT_PROBABILITY_RANGE = 1e-9;
/** Fewer distinct calibrated values than this cannot separate pass, fail and anything between. */
export const MIN_CALIBRATED_LEVELS = 3;

/** Internal nodes over all trees (a tree of one leaf has none; so has the base-rate model with no trees). */
export function countSplits(model: TreeEnsemble): number {
  let splits = 0;
  for (const t of model.trees) for (const f of t.feature) if (f >= 0) splits++;
  return splits;
}

/** Distinct values of `v`. */
export function distinctValues(v: ArrayLike<number>): number {
  return new Set(Array.from(v)).size;
}

/**
 * The verdict on one model from its split count and its scores over the evaluated rows: `raw`, the
 * model's probabilities, and `calibrated`, the isotonic table applied to them (undefined when there
 * is no table: the output is then `raw`, which the constant rule covers).
 */
export function degenerateVerdict(
  splits: number,
  raw: ArrayLike<number>,
  calibrated?: ArrayLike<number>,
): DegenerateVerdict {
  const reasons: DegenerateReason[] = [];
  if (splits === 0) reasons.push('no_split');
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < raw.length; i++) {
    min = Math.min(min, raw[i]!);
    max = Math.max(max, raw[i]!);
  }
  // No rows at all says nothing varies either.
  if (!(max - min > CONSTANT_PROBABILITY_RANGE)) reasons.push('constant_predictions');
  if (calibrated !== undefined && distinctValues(calibrated) < MIN_CALIBRATED_LEVELS) reasons.push('calibrated_levels');
  return { degenerate: reasons.length > 0, reasons };
}

const REASON_TEXT: Record<DegenerateReason, string> = {
  no_split: 'no tree has a split',
  constant_predictions: 'its probabilities are one constant',
  calibrated_levels: `its calibrated scores take fewer than ${MIN_CALIBRATED_LEVELS} values`,
};

/** The reasons in words, e.g. "no tree has a split, its probabilities are one constant". */
export function describeDegenerate(reasons: readonly string[]): string {
  return reasons.map((r) => REASON_TEXT[r as DegenerateReason] ?? r).join(', ');
}
