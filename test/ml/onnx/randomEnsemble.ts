// Seeded random tree ensembles and feature rows (with NaNs and exact threshold hits) for the ONNX parity tests.
import { SeededRng } from '../../../src/core/rng.js';
import type { Tree, TreeEnsemble } from '../../../src/ml/treeEnsemble.js';

interface NodeDraft {
  feature: number;
  threshold: number;
  left: number;
  right: number;
  missingLeft: number;
  value: number;
}

/** One tree grown depth-first to `maxDepth`, stopping early at random; thresholds on a 1/8 grid. */
function randomTree(rng: SeededRng, featureCount: number, maxDepth: number): Tree {
  const nodes: NodeDraft[] = [];
  const grow = (depth: number): number => {
    const id = nodes.length;
    nodes.push({ feature: -1, threshold: 0, left: -1, right: -1, missingLeft: 0, value: 0 });
    if (depth >= maxDepth || (depth > 0 && rng.next() < 0.25)) {
      nodes[id]!.value = rng.gaussian() * 0.2;
      return id;
    }
    const node = nodes[id]!;
    node.feature = Math.floor(rng.next() * featureCount);
    // A coarse grid makes repeated thresholds and exact hits from the row generator likely.
    node.threshold = Math.round(rng.gaussian() * 16) / 8;
    node.missingLeft = rng.next() < 0.5 ? 1 : 0;
    node.left = grow(depth + 1);
    node.right = grow(depth + 1);
    return id;
  };
  grow(0);
  return {
    feature: Int32Array.from(nodes, (n) => n.feature),
    threshold: Float64Array.from(nodes, (n) => n.threshold),
    left: Int32Array.from(nodes, (n) => Math.max(n.left, 0)),
    right: Int32Array.from(nodes, (n) => Math.max(n.right, 0)),
    missingLeft: Uint8Array.from(nodes, (n) => n.missingLeft),
    value: Float64Array.from(nodes, (n) => n.value),
  };
}

export function randomEnsemble(seed: number, treeCount: number, featureCount: number, maxDepth = 6): TreeEnsemble {
  const rng = new SeededRng(seed);
  const trees = Array.from({ length: treeCount }, () => randomTree(rng, featureCount, maxDepth));
  return {
    objective: 'binary',
    featureNames: Array.from({ length: featureCount }, (_, j) => `f${j}`),
    baseScore: -0.3,
    trees,
  };
}

/** Thresholds used on each feature, to put rows exactly on them. */
function thresholdsByFeature(model: TreeEnsemble): number[][] {
  const out = model.featureNames.map(() => [] as number[]);
  for (const t of model.trees)
    for (let i = 0; i < t.feature.length; i++) if (t.feature[i]! >= 0) out[t.feature[i]!]!.push(t.threshold[i]!);
  return out;
}

/** Feature columns: ~10 % NaN, ~20 % exactly on a threshold of that feature, the rest N(0, 2²). */
export function randomColumns(model: TreeEnsemble, rows: number, seed: number): Float64Array[] {
  const rng = new SeededRng(seed);
  const byFeature = thresholdsByFeature(model);
  return byFeature.map((ths) => {
    const col = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const u = rng.next();
      if (u < 0.1) col[r] = Number.NaN;
      else if (u < 0.3 && ths.length > 0) col[r] = ths[Math.floor(rng.next() * ths.length)]!;
      else col[r] = rng.gaussian() * 2;
    }
    return col;
  });
}

/** Row r of column-major data, in feature order. */
export function rowOf(columns: Float64Array[], r: number): Float64Array {
  return Float64Array.from(columns, (c) => c[r]!);
}
