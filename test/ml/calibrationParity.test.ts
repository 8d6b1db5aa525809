// Native (training) and ONNX (served) calibrated scores agree on every row, including a row whose raw
// score is exactly an isotonic step edge while onnxruntime's float32 score lands just above it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../src/features/featureNames.js';
import { applyIsotonicAll, fitCalibration, isotonicTableToJson } from '../../src/ml/calibration/index.js';
import { predictProba } from '../../src/ml/gbdt/index.js';
import { bundleScorer, loadModelBundle } from '../../src/ml/modelBundle.js';
import { exportTreeEnsembleOnnx, loadOnnxClassifier } from '../../src/ml/onnx/index.js';
import { sha256Hex, writeModelVersion } from '../../src/ml/registry/index.js';
import type { TreeEnsemble } from '../../src/ml/treeEnsemble.js';
import { MODEL_FEATURES } from '../../src/train/modelFeatures.js';

const dir = mkdtempSync(join(tmpdir(), 'pt-calibration-parity-'));
const keys = { localKeyDir: join(dir, '.pt', 'keys'), env: {}, notice: () => {} };
const names = MODEL_FEATURES.slice(0, 3) as string[];
const K = 400;

/** One chain tree on feature 0: x ≤ k + 0.5 ends in leaf k, so row x = k scores margin m_k exactly. */
function chainModel(): TreeEnsemble {
  const n = 2 * K - 1;
  const feature = new Int32Array(n).fill(-1);
  const threshold = new Float64Array(n);
  const left = new Int32Array(n);
  const right = new Int32Array(n);
  const value = new Float64Array(n);
  // Split node 2k (k < K−1) sends x ≤ k + 0.5 to leaf 2k+1 and the rest to node 2k+2; node 2K−2 is the last leaf.
  for (let k = 0; k < K; k++) {
    const margin = -2.5 + (5 * k) / K + Math.SQRT2 * 1e-3 * ((k * 7) % 11);
    if (k < K - 1) {
      feature[2 * k] = 0;
      threshold[2 * k] = k + 0.5;
      left[2 * k] = 2 * k + 1;
      right[2 * k] = 2 * k + 2;
      value[2 * k + 1] = margin;
    } else value[2 * k] = margin;
  }
  return {
    objective: 'binary',
    featureNames: names,
    baseScore: 0.1,
    trees: [{ feature, threshold, left, right, missingLeft: new Uint8Array(n), value }],
  };
}

describe('calibration on float32 scores', () => {
  it('gives equal native and ONNX calibrated scores, also on a row exactly on a step edge', async () => {
    const model = chainModel();
    const onnx = exportTreeEnsembleOnnx(model);
    const inputs = names.map((_, j) => Float64Array.from({ length: K }, (_v, k) => (j === 0 ? k : 0)));
    const native = predictProba(model, inputs);
    const classifier = await loadOnnxClassifier(onnx, names);
    const served = await classifier.predictProba(inputs);
    await classifier.release();

    // A row whose onnxruntime score is above the float32 of its native score: an edge placed there is
    // crossed by the served score unless the table allows for it.
    const k = Array.from(served).findIndex((p, i) => i > 5 && i < K - 5 && p > Math.fround(native[i]!));
    expect(k).toBeGreaterThan(0);

    // Validation rows around k: label 0 below, 0 and 1 at k, 1 above, so k's score is a block's upper edge.
    const rows = [k - 3, k - 2, k - 1, k, k, k + 1, k + 2, k + 3];
    const labels = rows.map((r, i) => (r < k ? 0 : r > k ? 1 : i % 2));
    const table = fitCalibration(
      rows.map((r) => native[r]!),
      labels,
    );
    const edge = Array.from(table.x).indexOf(Math.fround(native[k]!));
    expect(edge).toBeGreaterThanOrEqual(0);
    expect(served[k]!).toBeGreaterThan(table.x[edge]!);
    expect(table.y[edge + 1]! - table.y[edge]!).toBeGreaterThan(0.4);

    const { dir: version } = await writeModelVersion(
      join(dir, 'models'),
      {
        'model_ai1.onnx': onnx,
        'model_ai2.onnx': onnx,
        'calibration_ai1.json': JSON.stringify(isotonicTableToJson(table, sha256Hex(onnx))),
        'feature_schema.json': JSON.stringify({
          names,
          normalisation: Object.fromEntries(
            ['ai1', 'ai2'].map((kind) => [
              kind,
              {
                names,
                median: [0, 0, 0],
                mad: [1, 1, 1],
                lower: [-1e9, -1e9, -1e9],
                upper: [1e9, 1e9, 1e9],
                clipped: [],
                clip: 5,
              },
            ]),
          ),
        }),
        'params.yaml': 'theta1: 0.7\ntheta2: 0.3\nz_entry: 2\nz_exit: 0.5\nM: 48\ntheta_stop: 0.45\n',
        'metrics.json': '{}',
      },
      { keys },
    );
    const columns = FEATURE_NAMES.map(() => new Float64Array(K));
    columns[FEATURE_NAMES.indexOf(names[0] as (typeof FEATURE_NAMES)[number])]!.set(inputs[0]!);
    const scored = await bundleScorer(await loadModelBundle(version, keys)).scoreColumns(
      columns,
      new Uint8Array(K).fill(1),
    );
    // The native path of training (predictRows: the table over predictProba).
    const nativeCalibrated = applyIsotonicAll(table, native);
    expect(scored.returnProb[k]).toBe(nativeCalibrated[k]);
    expect(scored.returnProb[k]).toBe(table.y[edge]);
    let worst = 0;
    for (let r = 0; r < K; r++) worst = Math.max(worst, Math.abs(scored.returnProb[r]! - nativeCalibrated[r]!));
    expect(worst).toBeLessThanOrEqual(1e-6);
  });
});
