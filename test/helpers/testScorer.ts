// A Scorer over real ONNX sessions without training: random tree ensembles on the model features,
// exported to ONNX, with a scaler fitted on the given feature columns; scored by bundleScorer, the
// production code path of every model version.
import { bundleScorer, type ModelBundle } from '../../src/ml/modelBundle.js';
import { fitFeatureScaler } from '../../src/ml/featureScaler.js';
import { exportTreeEnsembleOnnx } from '../../src/ml/onnx/exportTreeEnsembleOnnx.js';
import { loadOnnxClassifier } from '../../src/ml/onnx/index.js';
import type { Scorer } from '../../src/ports/scorer.js';
import { MODEL_FEATURES, MODEL_FEATURE_INDEX } from '../../src/train/modelFeatures.js';
import { randomEnsemble } from '../ml/onnx/randomEnsemble.js';

/** `columns`/`valid` (FEATURE_NAMES order) only fit the scaler, so the scores spread over (0, 1). */
export async function randomModelScorer(
  seed: number,
  columns: Float64Array[],
  valid: Uint8Array,
): Promise<{ scorer: Scorer; bundle: ModelBundle }> {
  const names = [...MODEL_FEATURES];
  const rows: number[] = [];
  for (let t = 0; t < valid.length; t++) if (valid[t]) rows.push(t);
  const scaler = fitFeatureScaler(
    names,
    MODEL_FEATURE_INDEX.map((k) => columns[k]!),
    rows,
    [0.01, 0.99],
    5,
  );
  const model = async (s: number) => {
    const ensemble = { ...randomEnsemble(s, 40, names.length, 4), featureNames: names };
    return { onnx: await loadOnnxClassifier(exportTreeEnsembleOnnx(ensemble), names), scaler };
  };
  const bundle: ModelBundle = {
    version: `test_${seed}`,
    featureNames: names,
    featureSchemaHash: 'test',
    params: { theta1: 0.5, theta2: 0.5, z_entry: 2, z_exit: 0.5, M: 48, theta_stop: 0.45 },
    ai1: await model(seed),
    ai2: await model(seed + 1),
  };
  return { scorer: bundleScorer(bundle), bundle };
}
