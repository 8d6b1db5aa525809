// The objective interface the booster uses, and objectives created by name (LightGBM's objective_function.h).
import { BinaryLogloss } from './binaryLogloss.js';

export interface Objective {
  readonly name: string;
  /** Starting score of every row (log-odds scale). */
  baseScore(): number;
  /** Fills `grad` and `hess` (preallocated, one entry per row) at the current `scores`. */
  gradients(scores: Float64Array, grad: Float64Array, hess: Float64Array): void;
}

/** Objective names pt knows. */
export type ObjectiveName = 'binary';

/** An objective by name over 0/1 `labels` and optional per-row `weights`. */
export function createObjective(name: ObjectiveName, labels: Uint8Array, weights?: Float64Array): Objective {
  if (name === 'binary') return new BinaryLogloss(labels, weights);
  throw new RangeError(`unknown objective ${String(name)}`);
}
