// trainBooster claims: it learns, stays deterministic, honours weights, NaN, early stopping and its output format.
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/rng.js';
import { binaryLoglossOf } from '../../../src/ml/gbdt/binaryLogloss.js';
import { type GbdtOptions, predictMargins, predictProba, trainBooster } from '../../../src/ml/gbdt/index.js';
import { type TreeEnsemble, predictMargin, sigmoid, treeEnsembleToJson } from '../../../src/ml/treeEnsemble.js';

interface Data {
  X: Float64Array[];
  y: Uint8Array;
}

/** n rows of `numFeatures` uniform(−1, 1) columns and a label from `label(row)`. */
function makeData(seed: number, n: number, numFeatures: number, label: (x: number[], rng: SeededRng) => number): Data {
  const rng = new SeededRng(seed);
  const X = Array.from({ length: numFeatures }, () => new Float64Array(n));
  const y = new Uint8Array(n);
  const row: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < numFeatures; f++) X[f]![i] = row[f] = 2 * rng.next() - 1;
    y[i] = label(row, rng);
  }
  return { X, y };
}

/** Mann–Whitney AUC, ties counted half. */
function auc(p: Float64Array, y: Uint8Array): number {
  let pairs = 0;
  let wins = 0;
  for (let i = 0; i < p.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < p.length; j++) {
      if (y[j] !== 0) continue;
      pairs++;
      wins += p[i]! > p[j]! ? 1 : p[i] === p[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

const names = (k: number): string[] => Array.from({ length: k }, (_, f) => `f${f}`);
const base = (k: number): GbdtOptions => ({
  featureNames: names(k),
  numBoostRound: 80,
  learningRate: 0.1,
  numLeaves: 15,
  minDataInLeaf: 10,
  featureFraction: 1,
  baggingFraction: 1,
  baggingFreq: 0,
});
const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / a.length;
const usedFeatures = (m: TreeEnsemble): Set<number> =>
  new Set(m.trees.flatMap((t) => [...t.feature].filter((f) => f >= 0)));

describe('trainBooster', () => {
  it('learns XOR (sign of x0·x1) to held-out AUC > 0.95', () => {
    const xor = (x: number[]) => (x[0]! * x[1]! > 0 ? 1 : 0);
    const train = makeData(1, 3000, 4, xor);
    const test = makeData(2, 1000, 4, xor);
    const { model } = trainBooster(train.X, train.y, base(4));
    expect(auc(predictProba(model, test.X), test.y)).toBeGreaterThan(0.95);
  });

  it('learns an additive problem to held-out AUC > 0.95, gain importance on the signal features', () => {
    const additive = (x: number[], rng: SeededRng) =>
      Math.sin(3 * x[0]!) + 2 * x[1]! ** 2 - 0.6 + x[2]! + 0.1 * rng.gaussian() > 0 ? 1 : 0;
    const train = makeData(3, 3000, 5, additive);
    const test = makeData(4, 1000, 5, additive);
    const result = trainBooster(train.X, train.y, {
      ...base(5),
      featureFraction: 0.8,
      baggingFraction: 0.8,
      baggingFreq: 1,
    });
    expect(auc(predictProba(result.model, test.X), test.y)).toBeGreaterThan(0.95);
    const g = result.featureImportanceGain;
    expect(Math.min(g[0]!, g[1]!, g[2]!)).toBeGreaterThan(5 * Math.max(g[3]!, g[4]!));
  });

  it('never splits a constant feature', () => {
    const data = makeData(5, 1000, 3, (x) => (x[0]! + x[2]! > 0 ? 1 : 0));
    data.X[1] = new Float64Array(1000).fill(3.5);
    const { model } = trainBooster(data.X, data.y, {
      ...base(3),
      featureFraction: 0.7,
      baggingFraction: 0.7,
      baggingFreq: 1,
    });
    expect(model.trees.length).toBeGreaterThan(0);
    expect(usedFeatures(model).has(1)).toBe(false);
  });

  it('the same seed gives a bit-identical model, another seed a different one (fractions < 1)', () => {
    const data = makeData(6, 1500, 6, (x, rng) => (x[0]! - x[3]! + 0.5 * rng.gaussian() > 0 ? 1 : 0));
    const opts = { ...base(6), numBoostRound: 30, featureFraction: 0.6, baggingFraction: 0.7, baggingFreq: 2 };
    const bytes = (m: TreeEnsemble): string =>
      JSON.stringify(treeEnsembleToJson(m), (_k, v: unknown) =>
        typeof v === 'number' ? Buffer.from(Float64Array.of(v).buffer).toString('hex') : v,
      );
    const a = trainBooster(data.X, data.y, { ...opts, seed: 11 });
    const b = trainBooster(data.X, data.y, { ...opts, seed: 11 });
    const c = trainBooster(data.X, data.y, { ...opts, seed: 12 });
    expect(bytes(a.model)).toBe(bytes(b.model));
    expect(a.evals.train).toEqual(b.evals.train);
    expect(bytes(a.model)).not.toBe(bytes(c.model));
  });

  it('sample weights: base score is the weighted log-odds, up-weighting class 1 raises the mean prediction', () => {
    const data = makeData(7, 2000, 3, (x, rng) => (x[0]! + rng.gaussian() > 0.3 ? 1 : 0));
    const plain = trainBooster(data.X, data.y, base(3));
    const weights = Float64Array.from(data.y, (v) => (v === 1 ? 4 : 1));
    const weighted = trainBooster(data.X, data.y, { ...base(3), weights });
    const pos = data.y.reduce((s, v) => s + v, 0);
    expect(weighted.model.baseScore).toBeCloseTo(Math.log((4 * pos) / (data.y.length - pos)), 12);
    expect(mean(predictProba(weighted.model, data.X))).toBeGreaterThan(mean(predictProba(plain.model, data.X)) + 0.1);
  });

  it('weight 2 on a row fits like the row written twice', () => {
    const data = makeData(8, 400, 2, (x, rng) => (x[0]! + 0.5 * rng.gaussian() > 0 ? 1 : 0));
    // Few distinct values, so the duplicated rows cannot move the quantile bins.
    const X = data.X.map((c) => c.map((v) => Math.round(v * 10) / 10));
    const twice = Float64Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 2 : 1));
    const rows = [...twice.keys()].flatMap((i) => (twice[i] === 2 ? [i, i] : [i]));
    const dupX = X.map((c) => Float64Array.from(rows, (i) => c[i]!));
    const dupY = Uint8Array.from(rows, (i) => data.y[i]!);
    const opts = { ...base(2), numBoostRound: 20, minDataInLeaf: 1, numLeaves: 6 };
    const a = predictProba(trainBooster(X, data.y, { ...opts, weights: twice }).model, X);
    const b = predictProba(trainBooster(dupX, dupY, opts).model, X);
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 9);
  });

  it('early stopping ends before numBoostRound on a noisy problem and keeps bestIteration trees', () => {
    const noisy = (x: number[], rng: SeededRng) => (0.3 * x[0]! + rng.gaussian() > 0 ? 1 : 0);
    const train = makeData(9, 1500, 5, noisy);
    const valid = makeData(10, 1000, 5, noisy);
    let calls = 0;
    const result = trainBooster(train.X, train.y, {
      ...base(5),
      numBoostRound: 500,
      numLeaves: 31,
      minDataInLeaf: 5,
      learningRate: 0.2,
      earlyStoppingRounds: 15,
      valid,
      onIteration: () => void calls++,
    });
    const v = result.evals.valid!;
    expect(v.length).toBeLessThan(500);
    expect(v.length).toBe(result.bestIteration + 15);
    expect(calls).toBe(v.length);
    expect(result.model.trees.length).toBe(result.bestIteration);
    expect(v[result.bestIteration - 1]).toBe(Math.min(...v));
    // The kept model reproduces the best validation loss exactly.
    expect(binaryLoglossOf(predictMargins(result.model, valid.X), valid.y)).toBe(v[result.bestIteration - 1]);
  });

  it('learns from NaN-ness: NaN rows score high, value rows low', () => {
    const n = 2000;
    const data = makeData(11, n, 3, () => 0);
    const rng = new SeededRng(12);
    for (let i = 0; i < n; i++) {
      const missing = rng.next() < 0.4;
      if (missing) data.X[0]![i] = Number.NaN;
      data.y[i] = rng.next() < (missing ? 0.9 : 0.1) ? 1 : 0;
    }
    const { model } = trainBooster(data.X, data.y, { ...base(3), numBoostRound: 30 });
    expect(model.trees[0]!.feature[0]).toBe(0);
    const p = predictProba(model, [
      Float64Array.of(Number.NaN, 0.5, -0.9),
      Float64Array.of(0, 0, 0),
      Float64Array.of(0, 0, 0),
    ]);
    expect(p[0]).toBeGreaterThan(0.8);
    expect(p[1]).toBeLessThan(0.2);
    expect(p[2]).toBeLessThan(0.2);
  });

  it('learns the default direction of NaN: with the high values, or with the low ones', () => {
    for (const nanLike of [0.9, -0.9]) {
      const n = 2000;
      const data = makeData(13, n, 2, () => 0);
      for (let i = 0; i < n; i++) {
        const x = data.X[0]![i]!;
        data.y[i] = (i % 4 === 0 ? nanLike : x) > 0 ? 1 : 0;
        if (i % 4 === 0) data.X[0]![i] = Number.NaN;
      }
      const { model } = trainBooster(data.X, data.y, { ...base(2), numBoostRound: 5 });
      const root = model.trees[0]!;
      expect(root.feature[0]).toBe(0);
      expect(Math.abs(root.threshold[0]!)).toBeLessThan(0.05);
      expect(root.missingLeft[0]).toBe(nanLike < 0 ? 1 : 0);
    }
  });

  it('predictProba equals sigmoid(predictMargin) row by row, bit for bit', () => {
    const data = makeData(14, 800, 4, (x, rng) => (x[0]! * x[1]! + x[2]! + 0.3 * rng.gaussian() > 0 ? 1 : 0));
    for (let i = 0; i < 800; i += 7) data.X[i % 4]![i] = Number.NaN;
    const { model } = trainBooster(data.X, data.y, {
      ...base(4),
      featureFraction: 0.75,
      baggingFraction: 0.8,
      baggingFreq: 1,
    });
    const p = predictProba(model, data.X);
    for (let i = 0; i < 800; i++)
      expect(p[i]).toBe(
        sigmoid(
          predictMargin(
            model,
            data.X.map((c) => c[i]!),
          ),
        ),
      );
  });

  it('bins come from the training rows: values outside the training range still predict, like the edge values', () => {
    const data = makeData(15, 1000, 2, (x) => (x[0]! > 0.2 ? 1 : 0));
    const { model } = trainBooster(data.X, data.y, base(2));
    const lo = Math.min(...data.X[0]!);
    const hi = Math.max(...data.X[0]!);
    const p = predictProba(model, [Float64Array.of(-50, lo, 50, hi), Float64Array.of(0, 0, 0, 0)]);
    for (const v of p) expect(Number.isFinite(v)).toBe(true);
    expect(p[0]).toBe(p[1]);
    expect(p[2]).toBe(p[3]);
    expect(p[2]!).toBeGreaterThan(0.9);
  });

  it('respects maxDepth and numLeaves', () => {
    const data = makeData(16, 1000, 3, (x) => (x[0]! * x[1]! > 0 ? 1 : 0));
    const depthOf = (m: TreeEnsemble): number =>
      Math.max(
        ...m.trees.map((t) => {
          const depth = (i: number): number =>
            t.feature[i]! < 0 ? 0 : 1 + Math.max(depth(t.left[i]!), depth(t.right[i]!));
          return depth(0);
        }),
      );
    expect(
      depthOf(trainBooster(data.X, data.y, { ...base(3), numBoostRound: 10, maxDepth: 2 }).model),
    ).toBeLessThanOrEqual(2);
    const wide = trainBooster(data.X, data.y, { ...base(3), numBoostRound: 10, numLeaves: 7 }).model;
    for (const t of wide.trees) expect(t.feature.filter((f) => f < 0).length).toBeLessThanOrEqual(7);
  });

  it('rejects mismatched shapes, single-class labels and bad parameters', () => {
    const data = makeData(17, 100, 2, (x) => (x[0]! > 0 ? 1 : 0));
    expect(() => trainBooster(data.X, data.y, { ...base(3) })).toThrow(RangeError);
    expect(() => trainBooster(data.X, new Uint8Array(100), base(2))).toThrow(RangeError);
    expect(() => trainBooster(data.X, data.y, { ...base(2), numLeaves: 1 })).toThrow(/numLeaves/);
  });
});
