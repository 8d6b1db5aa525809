// Split finder, partition and learner claims: L2 gain, leaf constraints, single-bin features, NaN direction.
import { describe, expect, it } from 'vitest';
import { binDataset } from '../../../src/ml/gbdt/binnedDataset.js';
import { DataPartition } from '../../../src/ml/gbdt/dataPartition.js';
import { buildHistogram, createHistogram } from '../../../src/ml/gbdt/histogram.js';
import { SplitInfo, findBestSplit, leafScore } from '../../../src/ml/gbdt/splitFinder.js';
import { TreeLearner } from '../../../src/ml/gbdt/treeLearner.js';
import { SeededRng } from '../../../src/core/rng.js';

const constraints = { minDataInLeaf: 1, minSumHessianInLeaf: 0, lambdaL2: 1 };

function bestSplit(columns: number[][], grad: number[], c = constraints): SplitInfo {
  const data = binDataset(
    columns.map((col) => Float64Array.from(col)),
    255,
  );
  const n = grad.length;
  const hess = new Float64Array(n).fill(1);
  const features = Int32Array.from(columns.keys());
  const hist = createHistogram(data.totalBins);
  buildHistogram(
    data,
    Uint32Array.from({ length: n }, (_, i) => i),
    0,
    n,
    Float64Array.from(grad),
    hess,
    features,
    features.length,
    hist,
  );
  const out = new SplitInfo();
  findBestSplit(
    data,
    hist,
    features,
    features.length,
    grad.reduce((s, g) => s + g, 0),
    n,
    n,
    c,
    out,
  );
  return out;
}

describe('findBestSplit', () => {
  it('picks the boundary with the largest G²/(H+λ) gain and reports that gain', () => {
    const s = bestSplit([[1, 2, 3, 4]], [-1, -1, 1, 1]);
    expect(s.feature).toBe(0);
    expect(s.bin).toBe(1);
    expect(s.gain).toBeCloseTo(leafScore(-2, 2, 1) + leafScore(2, 2, 1) - leafScore(0, 4, 1), 12);
  });

  it('never splits a single-bin feature, even when another feature cannot split either', () => {
    expect(bestSplit([[5, 5, 5, 5]], [-1, -1, 1, 1]).feature).toBe(-1);
    expect(
      bestSplit(
        [
          [5, 5, 5, 5],
          [1, 2, 3, 4],
        ],
        [-1, -1, 1, 1],
      ).feature,
    ).toBe(1);
  });

  it('min_data_in_leaf and min_sum_hessian_in_leaf rule out small children', () => {
    // The best unconstrained split isolates row 0.
    const grad = [-5, 1, 1, 1, 1, 1];
    expect(bestSplit([[1, 2, 3, 4, 5, 6]], grad).leftCount).toBe(1);
    expect(bestSplit([[1, 2, 3, 4, 5, 6]], grad, { ...constraints, minDataInLeaf: 2 }).leftCount).toBe(2);
    expect(bestSplit([[1, 2, 3, 4, 5, 6]], grad, { ...constraints, minSumHessianInLeaf: 3 }).leftCount).toBe(3);
  });

  it('tries NaN on both sides: NaN rows that look like the left rows go left', () => {
    const nan = Number.NaN;
    expect(bestSplit([[1, 2, 3, 4, nan, nan]], [-1, -1, 1, 1, -1, -1]).missingLeft).toBe(true);
    expect(bestSplit([[1, 2, 3, 4, nan, nan]], [-1, -1, 1, 1, 1, 1]).missingLeft).toBe(false);
    // "NaN or not" is a split of its own: every value left, NaN right.
    const s = bestSplit([[1, 1, 2, 2, nan, nan]], [-1, -1, -1, -1, 1, 1]);
    expect([s.bin, s.missingLeft, s.leftCount]).toEqual([1, false, 4]);
  });
});

describe('DataPartition', () => {
  it('splits a leaf into bin <= b (plus NaN when missingLeft) and the rest, both ascending', () => {
    const p = new DataPartition(8, 4);
    p.init(8, null, 8);
    const bins = Uint8Array.from([0, 3, 1, 2, 3, 0, 2, 1]);
    // Code 3 plays the NaN bin.
    expect(p.split(0, 1, bins, 1, 3, true)).toBe(6);
    expect([...p.indices.subarray(0, 6)]).toEqual([0, 1, 2, 4, 5, 7]);
    expect([...p.indices.subarray(6, 8)]).toEqual([3, 6]);
    expect([p.leafBegin[1], p.leafCount[1], p.leaves]).toEqual([6, 2, 2]);
  });
});

describe('TreeLearner', () => {
  it('every leaf holds at least minDataInLeaf rows and leaf values are −G/(H+λ) × learning rate', () => {
    const rng = new SeededRng(21);
    const n = 500;
    const columns = [0, 1, 2].map(() => Float64Array.from({ length: n }, () => rng.gaussian()));
    const data = binDataset(columns, 64);
    const grad = Float64Array.from({ length: n }, (_, i) => Math.sin(3 * columns[0]![i]!) + 0.1 * rng.gaussian());
    const hess = new Float64Array(n).fill(0.25);
    const params = {
      numLeaves: 12,
      maxDepth: -1,
      minDataInLeaf: 20,
      minSumHessianInLeaf: 0,
      lambdaL2: 1,
      learningRate: 0.5,
    };
    const learner = new TreeLearner(data, params);
    const { tree, numLeaves } = learner.train(grad, hess, null, n, Int32Array.from([0, 1, 2]), 3);
    expect(numLeaves).toBeGreaterThan(6);
    expect(numLeaves).toBeLessThanOrEqual(12);
    const leafOf = (i: number): number => {
      let node = 0;
      while (tree.feature[node]! >= 0)
        node = columns[tree.feature[node]!]![i]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
      return node;
    };
    const sums = new Map<number, { g: number; h: number; c: number }>();
    for (let i = 0; i < n; i++) {
      const s = sums.get(leafOf(i)) ?? { g: 0, h: 0, c: 0 };
      sums.set(leafOf(i), { g: s.g + grad[i]!, h: s.h + hess[i]!, c: s.c + 1 });
    }
    expect(sums.size).toBe(numLeaves);
    for (const [node, s] of sums) {
      expect(s.c).toBeGreaterThanOrEqual(20);
      expect(tree.value[node]).toBeCloseTo((-s.g / (s.h + 1)) * 0.5, 10);
    }
  });
});
