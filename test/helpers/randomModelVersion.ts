// A signed model version pt live and pt bt run load like any other, without training: random tree
// ensembles (real ONNX) on the model features, with a scaler fitted on a real pair's features.
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { PtConfig } from '../../src/config/schemas/index.js';
import { computePairFeatures } from '../../src/features/computePairFeatures.js';
import { featureParamsFrom } from '../../src/features/featureParams.js';
import { fitFeatureScaler } from '../../src/ml/featureScaler.js';
import { exportTreeEnsembleOnnx } from '../../src/ml/onnx/exportTreeEnsembleOnnx.js';
import { modelParamsFromConfig } from '../../src/ml/registry/modelParamsFromConfig.js';
import { writeModelVersion } from '../../src/ml/registry/index.js';
import type { AlignedPair } from '../../src/model/bar.js';
import { MODEL_FEATURES, MODEL_FEATURE_INDEX } from '../../src/train/modelFeatures.js';
import { randomEnsemble } from '../ml/onnx/randomEnsemble.js';

/** Writes the version under `modelsDir`, signed with the local key of `home` (the HOME the CLI runs with). */
export async function writeRandomModelVersion(
  config: PtConfig,
  pair: AlignedPair,
  modelsDir: string,
  home: string,
  seed: number,
): Promise<{ version: string; dir: string }> {
  const names = [...MODEL_FEATURES];
  const f = computePairFeatures(pair, featureParamsFrom(config));
  const rows: number[] = [];
  for (let t = 0; t < f.valid.length; t++) if (f.valid[t]) rows.push(t);
  const scaler = fitFeatureScaler(
    names,
    MODEL_FEATURE_INDEX.map((k) => f.columns[k]!),
    rows,
    [0.01, 0.99],
    5,
  );
  const onnx = (s: number) =>
    exportTreeEnsembleOnnx({ ...randomEnsemble(s, 40, names.length, 4), featureNames: names });
  const keys = { localKeyDir: join(home, '.pt', 'keys'), env: {}, notice: () => {} };
  return writeModelVersion(
    modelsDir,
    {
      'model_ai1.onnx': onnx(seed),
      'model_ai2.onnx': onnx(seed + 1),
      'feature_schema.json': JSON.stringify({ names, normalisation: { ai1: scaler, ai2: scaler }, timeframe: '1h' }),
      'params.yaml': stringify(modelParamsFromConfig(config)),
      'metrics.json': '{}',
    },
    { keys },
  );
}
