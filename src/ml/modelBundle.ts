// A verified model version ready to score bars: both ONNX classifiers, their input scalers and
// calibration tables, and params.yaml — the one loader the backtest and pt live use (SPEC §5).
import { parse } from 'yaml';
import { PtError } from '../core/ptError.js';
import type { PairFeatures } from '../features/computePairFeatures.js';
import { FEATURE_NAMES } from '../features/featureNames.js';
import { applyIsotonicAll, isotonicTableFromJson, type IsotonicTable } from './calibration/index.js';
import { scaleValue, type FeatureScalerStats } from './featureScaler.js';
import { loadOnnxClassifier, type OnnxClassifier } from './onnx/index.js';
import { loadVerifiedModel } from './registry/index.js';
import type { ModelKeyOptions } from './registry/modelKeys.js';

export interface ModelBundle {
  version: string;
  featureNames: string[];
  featureSchemaHash: string;
  params: { theta1: number; theta2: number; z_entry: number; z_exit: number; M: number; theta_stop: number };
  ai1: { onnx: OnnxClassifier; scaler: FeatureScalerStats; calibration?: IsotonicTable };
  ai2: { onnx: OnnxClassifier; scaler: FeatureScalerStats; calibration?: IsotonicTable };
}

interface FeatureSchemaFile {
  names: string[];
  hash: string;
  normalisation: { ai1: FeatureScalerStats; ai2: FeatureScalerStats };
}

/** Loads `dir` only after its signature verifies; refuses a schema whose features pt does not compute. */
export async function loadModelBundle(dir: string, keys?: ModelKeyOptions): Promise<ModelBundle> {
  const model = await loadVerifiedModel(dir, keys ? { keys } : {});
  const text = (name: string): string => {
    const bytes = model.files.get(name);
    if (!bytes) throw new PtError('CORE_MODEL_ARTEFACT', `${model.version}: ${name} is missing`, { source: 'models' });
    return Buffer.from(bytes).toString('utf8');
  };
  const schema = JSON.parse(text('feature_schema.json')) as FeatureSchemaFile;
  const unknown = schema.names.filter((n) => !(FEATURE_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new PtError('CORE_MODEL_ARTEFACT', `${model.version}: feature_schema.json names features pt does not compute: ${unknown.join(', ')}`, { source: 'models' });
  }
  const calibration = (kind: string): IsotonicTable | undefined => (model.files.has(`calibration_${kind}.json`) ? isotonicTableFromJson(text(`calibration_${kind}.json`)) : undefined);
  const load = async (kind: 'ai1' | 'ai2') => ({
    onnx: await loadOnnxClassifier(model.files.get(`model_${kind}.onnx`)!, schema.names),
    scaler: schema.normalisation[kind],
    calibration: calibration(kind),
  });
  return {
    version: model.version, featureNames: schema.names, featureSchemaHash: schema.hash,
    params: parse(text('params.yaml')) as ModelBundle['params'],
    ai1: await load('ai1'), ai2: await load('ai2'),
  };
}

/** Calibrated return_prob (AI1) and risk_score (AI2) for every bar of a pair; NaN on invalid rows. */
export async function scorePair(bundle: ModelBundle, f: PairFeatures): Promise<{ returnProb: Float64Array; riskScore: Float64Array }> {
  const index = bundle.featureNames.map((n) => FEATURE_NAMES.indexOf(n as (typeof FEATURE_NAMES)[number]));
  const score = async (m: ModelBundle['ai1']): Promise<Float64Array> => {
    const cols = index.map((k, j) => {
      const out = new Float64Array(f.length);
      const src = f.columns[k]!;
      for (let t = 0; t < f.length; t++) out[t] = scaleValue(m.scaler, j, src[t]!);
      return out;
    });
    const raw = await m.onnx.predictProba(cols);
    const p = m.calibration ? applyIsotonicAll(m.calibration, raw) : raw;
    for (let t = 0; t < f.length; t++) if (!f.valid[t]) p[t] = Number.NaN;
    return p;
  };
  return { returnProb: await score(bundle.ai1), riskScore: await score(bundle.ai2) };
}
