// The trained model format shared by the booster, native prediction, ONNX export and the registry.

/**
 * One regression tree as parallel arrays. Node 0 is the root; node i is a leaf when feature[i] is -1.
 * An internal node sends x to `left` when x[feature] <= threshold, to `right` otherwise, and a
 * missing value (NaN) to `left` when missingLeft[i] is 1, else to `right`.
 */
export interface Tree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  missingLeft: Uint8Array;
  /** Leaf output on the log-odds scale, learning rate already applied (0 for internal nodes). */
  value: Float64Array;
}

/** A binary classifier: p = sigmoid(baseScore + Σ trees), features in `featureNames` order. */
export interface TreeEnsemble {
  objective: 'binary';
  featureNames: string[];
  baseScore: number;
  trees: Tree[];
}

/** Log-odds margin of one row (`x` in featureNames order). */
export function predictMargin(model: TreeEnsemble, x: ArrayLike<number>): number {
  let margin = model.baseScore;
  for (const t of model.trees) {
    let i = 0;
    while (t.feature[i]! >= 0) {
      const v = x[t.feature[i]!]!;
      i = Number.isNaN(v)
        ? t.missingLeft[i]
          ? t.left[i]!
          : t.right[i]!
        : v <= t.threshold[i]!
          ? t.left[i]!
          : t.right[i]!;
    }
    margin += t.value[i]!;
  }
  return margin;
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** JSON form (typed arrays as plain arrays). */
export interface TreeEnsembleJson {
  objective: 'binary';
  featureNames: string[];
  baseScore: number;
  trees: Array<{
    feature: number[];
    threshold: number[];
    left: number[];
    right: number[];
    missingLeft: number[];
    value: number[];
  }>;
}

export function treeEnsembleToJson(m: TreeEnsemble): TreeEnsembleJson {
  return {
    objective: m.objective,
    featureNames: [...m.featureNames],
    baseScore: m.baseScore,
    trees: m.trees.map((t) => ({
      feature: [...t.feature],
      threshold: [...t.threshold],
      left: [...t.left],
      right: [...t.right],
      missingLeft: [...t.missingLeft],
      value: [...t.value],
    })),
  };
}

export function treeEnsembleFromJson(j: TreeEnsembleJson): TreeEnsemble {
  return {
    objective: j.objective,
    featureNames: [...j.featureNames],
    baseScore: j.baseScore,
    trees: j.trees.map((t) => ({
      feature: Int32Array.from(t.feature),
      threshold: Float64Array.from(t.threshold),
      left: Int32Array.from(t.left),
      right: Int32Array.from(t.right),
      missingLeft: Uint8Array.from(t.missingLeft),
      value: Float64Array.from(t.value),
    })),
  };
}
