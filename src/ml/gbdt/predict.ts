// Native prediction over feature columns, with predictMargin's semantics (same additions in the same order).
import { type Tree, type TreeEnsemble, sigmoid } from '../treeEnsemble.js';

/**
 * Adds one tree's output to `margins[row]` for every row, or for `rows[0..rowCount)` when given.
 * `X` holds columns in the model's feature order.
 */
export function addTreeMargins(
  tree: Tree,
  X: Float64Array[],
  margins: Float64Array,
  rows?: Uint32Array,
  rowCount = rows?.length ?? 0,
): void {
  const { feature, threshold, left, right, missingLeft, value } = tree;
  const n = rows === undefined ? margins.length : rowCount;
  for (let k = 0; k < n; k++) {
    const row = rows === undefined ? k : rows[k]!;
    let i = 0;
    let f = feature[0]!;
    while (f >= 0) {
      const v = X[f]![row]!;
      // Same branch order as predictMargin: NaN first, then x <= threshold.
      i = v !== v ? (missingLeft[i] ? left[i]! : right[i]!) : v <= threshold[i]! ? left[i]! : right[i]!;
      f = feature[i]!;
    }
    margins[row]! += value[i]!;
  }
}

/** Log-odds margins baseScore + Σ trees, one per row; `X` holds columns in `model.featureNames` order. */
export function predictMargins(model: TreeEnsemble, X: Float64Array[]): Float64Array {
  if (X.length !== model.featureNames.length)
    throw new RangeError(`${X.length} feature columns for a model of ${model.featureNames.length} features`);
  const n = X.length > 0 ? X[0]!.length : 0;
  for (const column of X)
    if (column.length !== n) throw new RangeError(`feature columns differ in length (${column.length} vs ${n})`);
  const margins = new Float64Array(n).fill(model.baseScore);
  for (const tree of model.trees) addTreeMargins(tree, X, margins);
  return margins;
}

/** Probabilities sigmoid(margin), bit-identical to `sigmoid(predictMargin(model, row))` for each row. */
export function predictProba(model: TreeEnsemble, X: Float64Array[]): Float64Array {
  const margins = predictMargins(model, X);
  for (let i = 0; i < margins.length; i++) margins[i] = sigmoid(margins[i]!);
  return margins;
}
