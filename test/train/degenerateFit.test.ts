// fitModel on the AI1 scale of ~100 rows: with the tree size scaled to the rows, an XOR of two
// features gets real splits and a non-degenerate verdict, where the configured min_data_in_leaf 50
// cannot split at all; a set without signal is degenerate and pt train's refusal names it.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.js';
import { SeededRng } from '../../src/core/rng.js';
import { PtError } from '../../src/core/ptError.js';
import { scaleColumns } from '../../src/ml/featureScaler.js';
import { countSplits, degenerateVerdict } from '../../src/ml/degenerateModel.js';
import { gbdtOptionsFrom, predictProba, trainBooster } from '../../src/ml/gbdt/index.js';
import type { Dataset } from '../../src/train/buildDatasets.js';
import { degenerateFit, fitModel, predictRows } from '../../src/train/fitModel.js';
import { MODEL_FEATURES } from '../../src/train/modelFeatures.js';
import { degenerateRefusal } from '../../src/train/runTrain.js';
import { repoRoot } from '../helpers/runPt.js';

const config = loadConfig(join(repoRoot, 'config'));
const N = 120;
const rows = (from: number, to: number) => Uint32Array.from({ length: to - from }, (_, i) => from + i);
// The fits' own split: the first 96 rows train (96 < 2 × 50: no split can leave 50 rows on both sides), 24 validate.
const train = rows(0, 96);
const valid = rows(96, N);
const all = rows(0, N);

function dataset(X: Float64Array[], y: Uint8Array): Dataset {
  const n = y.length;
  return {
    X,
    y,
    t0: Float64Array.from({ length: n }, (_, i) => i * 3_600_000),
    t1: Float64Array.from({ length: n }, (_, i) => (i + 1) * 3_600_000),
    pair: new Uint16Array(n),
    bar: Uint32Array.from({ length: n }, (_, i) => i),
  };
}

/**
 * y = (x1 > 0) xor (x2 > 0) on model features 0 and 1, three noise features, the rest constant (no
 * split possible). Seed 4: on 24 validation rows a near-perfect separator can calibrate to two
 * levels, which the calibrated_levels rule flags (about half of the seeds; docs/models.md), so the
 * seed is one whose table keeps more.
 */
function xorDataset(seed: number, n = N): Dataset {
  const rng = new SeededRng(seed);
  const X = MODEL_FEATURES.map((_, k) => Float64Array.from({ length: n }, () => (k < 5 ? rng.gaussian() : 0)));
  const y = Uint8Array.from({ length: n }, (_, i) => Number(X[0]![i]! > 0 !== X[1]![i]! > 0));
  return dataset(X, y);
}

describe('AI1-sized fits', () => {
  it('an XOR of two features on 120 rows splits on them with the scaled tree size, and not at min_data_in_leaf 50', () => {
    const data = xorDataset(4);
    const fit = fitModel(config, data, train, valid, 42);
    expect(config.retrain_policy.gbdt.min_data_in_leaf).toBe(50);
    expect({ minDataInLeaf: fit.minDataInLeaf, numLeaves: fit.numLeaves }).toEqual({ minDataInLeaf: 5, numLeaves: 9 });
    expect(countSplits(fit.model)).toBeGreaterThan(0);
    // The gain goes to the two XOR features, more than to the noise features together, and the
    // model classifies fresh rows of the same XOR well.
    const gain = Array.from(fit.featureImportanceGain);
    const noise = gain.slice(2).reduce((a, b) => a + b, 0);
    expect(gain[0]! + gain[1]!).toBeGreaterThan(2 * noise);
    const fresh = xorDataset(99, 2000);
    const p = predictRows(fit, fresh, rows(0, 2000));
    let right = 0;
    for (let i = 0; i < 2000; i++) right += Number(p[i]! > 0.5 === (fresh.y[i] === 1));
    expect(right / 2000).toBeGreaterThan(0.9);
    expect(degenerateFit(fit, data, all)).toEqual({ degenerate: false, reasons: [] });

    // The same rows through the booster at the configured size: no split fits, the model is its base score.
    const Xtr = scaleColumns(fit.scaler, data.X, train);
    const unscaled = trainBooster(
      Xtr,
      Uint8Array.from(train, (i) => data.y[i]!),
      { ...gbdtOptionsFrom(config), featureNames: [...MODEL_FEATURES] },
    );
    expect(countSplits(unscaled.model)).toBe(0);
    const raw = predictProba(unscaled.model, scaleColumns(fit.scaler, data.X, all));
    expect(degenerateVerdict(countSplits(unscaled.model), raw).reasons).toEqual(['no_split', 'constant_predictions']);
  });

  it('features without signal (all rows alike) and a single-class train give degenerate models, and pt train refuses them', () => {
    const rng = new SeededRng(3);
    const flat = dataset(
      MODEL_FEATURES.map(() => new Float64Array(N).fill(1.5)),
      Uint8Array.from({ length: N }, () => Number(rng.next() < 0.3)),
    );
    const fit = fitModel(config, flat, train, valid, 42);
    const verdict = degenerateFit(fit, flat, all);
    expect(verdict.reasons).toContain('no_split');
    expect(verdict.reasons).toContain('constant_predictions');

    const oneClass = dataset(xorDataset(4).X, new Uint8Array(N));
    const constant = fitModel(config, oneClass, train, valid, 42);
    expect(constant.constant).toBe(true);
    expect(degenerateFit(constant, oneClass, all).reasons).toEqual(['no_split', 'constant_predictions']);

    const xor = xorDataset(4);
    const good = fitModel(config, xor, train, valid, 42);
    const results = [
      { kind: 'ai1' as const, data: flat, final: fit, degenerate: verdict },
      { kind: 'ai2' as const, data: xor, final: good, degenerate: degenerateFit(good, xor, all) },
    ];
    const refusal = degenerateRefusal(results, false);
    expect(refusal).toBeInstanceOf(PtError);
    expect(refusal!.id).toBe('CORE_MODEL_DEGEN');
    expect(refusal!.message).toMatch(
      /^no model version written: the final AI1 learned nothing \(no_split, constant_predictions[^:]*: no tree has a split, its probabilities are one constant[^;]*; 120 rows, min_data_in_leaf 5\); .*--allow-degenerate/,
    );
    expect(refusal!.message).not.toContain('AI2');
    expect(degenerateRefusal(results, true)).toBeUndefined();
    expect(degenerateRefusal([results[1]!], false)).toBeUndefined();
  });
});
