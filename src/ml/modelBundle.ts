// A verified model version ready to score bars: both ONNX classifiers, their input scalers and
// calibration tables, and params.yaml — the one loader the backtest and pt live use (SPEC §5).
import { parse } from 'yaml';
import { PtError } from '../core/ptError.js';
import type { PairFeatures } from '../features/computePairFeatures.js';
import { FEATURE_NAMES } from '../features/featureNames.js';
import {
  applyIsotonicAll,
  isotonicTableFromJson,
  isotonicTableOnnxDigest,
  type IsotonicTable,
} from './calibration/index.js';
import { scaleValue, type FeatureScalerStats } from './featureScaler.js';
import { loadOnnxClassifier, type OnnxClassifier } from './onnx/index.js';
import { loadVerifiedModel, sha256Hex } from './registry/index.js';
import { prepareArtefacts } from './registry/modelArtefacts.js';
import { refuseDegenerateBundle } from './refuseDegenerateBundle.js';
import type { ModelKeyOptions } from './registry/modelKeys.js';
import type { Scorer, ScoreColumns } from '../ports/scorer.js';
import type { ModelDecisionParams } from '../model/modelParams.js';

export interface ModelBundle {
  version: string;
  featureNames: string[];
  featureSchemaHash: string;
  params: ModelDecisionParams;
  ai1: { onnx: OnnxClassifier; scaler: FeatureScalerStats; calibration?: IsotonicTable };
  ai2: { onnx: OnnxClassifier; scaler: FeatureScalerStats; calibration?: IsotonicTable };
}

export interface FeatureSchemaFile {
  names: string[];
  hash: string;
  normalisation: { ai1: FeatureScalerStats; ai2: FeatureScalerStats };
  /** The timeframe the version was trained on (pt train writes it). */
  timeframe?: string;
}

/** What is wrong with a stored scaler for these model inputs, or undefined. */
function scalerProblem(s: FeatureScalerStats | undefined, names: string[]): string | undefined {
  if (s === undefined || s === null || typeof s !== 'object') return 'is missing';
  if (!Array.isArray(s.names) || s.names.length !== names.length || s.names.some((n, i) => n !== names[i]))
    return `must name the ${names.length} model inputs in schema order`;
  for (const key of ['median', 'mad', 'lower', 'upper'] as const) {
    const v = s[key];
    if (!Array.isArray(v) || v.length !== names.length || !v.every((x) => typeof x === 'number' && Number.isFinite(x)))
      return `${key} must hold ${names.length} finite numbers`;
  }
  if (s.mad.some((m) => !(m > 0))) return 'mad must be positive';
  if (!Array.isArray(s.clipped) || !(typeof s.clip === 'number' && s.clip > 0)) return 'clipped/clip are malformed';
  return undefined;
}

/**
 * Refuses (CORE_MODEL_ARTEFACT) a feature schema the bundle cannot use: names of features pt does
 * not compute, or a missing or malformed scaler of either model.
 */
export function checkBundleSchema(schema: FeatureSchemaFile, where: string): void {
  const unknown = schema.names.filter((n) => !(FEATURE_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new PtError(
      'CORE_MODEL_ARTEFACT',
      `${where}: feature_schema.json names features pt does not compute: ${unknown.join(', ')}`,
      { source: 'models' },
    );
  }
  for (const kind of ['ai1', 'ai2'] as const) {
    const problem = scalerProblem(schema.normalisation?.[kind], schema.names);
    if (problem)
      throw new PtError('CORE_MODEL_ARTEFACT', `${where}: feature_schema.json normalisation.${kind} ${problem}`, {
        source: 'models',
      });
  }
}

/**
 * The table of a calibration_aiX.json text, checked (CORE_MODEL_ARTEFACT) and bound to `onnx`: its
 * `onnx_sha256` must be the SHA-256 of those bytes (CORE_MODEL_CALIB). A table without the
 * field (versions written before tables were bound) is refused too: nothing shows which model it
 * was fitted for, and a table applied to another model's scores is silently wrong.
 */
export function readBoundCalibration(json: string, onnx: Uint8Array, label: string): IsotonicTable {
  let table: IsotonicTable;
  let digest: string | undefined;
  try {
    table = isotonicTableFromJson(json);
    digest = isotonicTableOnnxDigest(json);
  } catch (e) {
    throw new PtError('CORE_MODEL_ARTEFACT', `${label} is not a valid calibration table (${(e as Error).message})`, {
      source: 'models',
      cause: e,
    });
  }
  const actual = sha256Hex(onnx);
  if (digest !== actual) {
    const why =
      digest === undefined
        ? 'has no onnx_sha256, so nothing shows it was fitted for this model'
        : `was fitted for another ONNX file (onnx_sha256 ${digest.slice(0, 12)}…, the model is ${actual.slice(0, 12)}…)`;
    throw new PtError(
      'CORE_MODEL_CALIB',
      `${label} ${why}; refusing to calibrate with it: retrain, or bind a table fitted on this model with pt models import --calibration-aiX`,
      { source: 'models', details: { tableDigest: digest, onnxDigest: actual } },
    );
  }
  return table;
}

/**
 * Loads `dir` only after its signature verifies, then checks every artefact as it is used, not only
 * as it was written: the registry's checks (required files, params.yaml, feature_schema.json and its
 * hash), features pt computes, one scaler entry per model input for both models, calibration tables,
 * — with `timeframe` — that the version was trained on that timeframe (CORE_MODEL_TIMEFRAME), and
 * that both models learned something (CORE_MODEL_DEGEN: refuseDegenerateBundle).
 */
export async function loadModelBundle(dir: string, keys?: ModelKeyOptions, timeframe?: string): Promise<ModelBundle> {
  const model = await loadVerifiedModel(dir, keys ? { keys } : {});
  prepareArtefacts(Object.fromEntries(model.files));
  const text = (name: string): string => {
    const bytes = model.files.get(name);
    if (!bytes) throw new PtError('CORE_MODEL_ARTEFACT', `${model.version}: ${name} is missing`, { source: 'models' });
    return Buffer.from(bytes).toString('utf8');
  };
  const schema = JSON.parse(text('feature_schema.json')) as FeatureSchemaFile;
  checkBundleSchema(schema, model.version);
  if (timeframe !== undefined && schema.timeframe !== undefined && schema.timeframe !== timeframe) {
    throw new PtError(
      'CORE_MODEL_TIMEFRAME',
      `${model.version} was trained on ${schema.timeframe} bars; it cannot score ${timeframe} bars (train a ${timeframe} model or pass --timeframe ${schema.timeframe})`,
      { source: 'models' },
    );
  }
  refuseDegenerateBundle(model.version, JSON.parse(text('metrics.json')), {
    ai1: model.files.get('model_ai1.onnx')!,
    ai2: model.files.get('model_ai2.onnx')!,
  });
  const calibration = (kind: 'ai1' | 'ai2'): IsotonicTable | undefined => {
    const name = `calibration_${kind}.json`;
    if (!model.files.has(name)) return undefined;
    return readBoundCalibration(text(name), model.files.get(`model_${kind}.onnx`)!, `${model.version}: ${name}`);
  };
  const load = async (kind: 'ai1' | 'ai2') => ({
    onnx: await loadOnnxClassifier(model.files.get(`model_${kind}.onnx`)!, schema.names),
    scaler: schema.normalisation[kind],
    calibration: calibration(kind),
  });
  return {
    version: model.version,
    featureNames: schema.names,
    featureSchemaHash: schema.hash,
    params: parse(text('params.yaml')) as ModelBundle['params'],
    ai1: await load('ai1'),
    ai2: await load('ai2'),
  };
}

/** Calibrated return_prob (AI1) and risk_score (AI2) for every bar of a pair; NaN on invalid rows. */
export async function scorePair(
  bundle: ModelBundle,
  f: Pick<PairFeatures, 'columns' | 'valid'>,
): Promise<ScoreColumns> {
  return bundleScorer(bundle).scoreColumns(f.columns, f.valid);
}

/**
 * The Scorer of a model version: model inputs picked from the feature columns in the schema's order,
 * scaled with the training statistics, run through the ONNX session, then calibrated. A row is
 * scored as a batch of one through the very same steps, so batch and row scores are equal.
 */
export function bundleScorer(bundle: ModelBundle): Scorer {
  const index = bundle.featureNames.map((n) => FEATURE_NAMES.indexOf(n as (typeof FEATURE_NAMES)[number]));
  const scoreModel = async (
    m: ModelBundle['ai1'],
    columns: ArrayLike<number>[],
    valid: ArrayLike<number>,
    n: number,
  ): Promise<Float64Array> => {
    const cols = index.map((k, j) => {
      const out = new Float64Array(n);
      const src = columns[k]!;
      for (let t = 0; t < n; t++) out[t] = scaleValue(m.scaler, j, src[t]!);
      return out;
    });
    const raw = await m.onnx.predictProba(cols);
    const p = m.calibration ? applyIsotonicAll(m.calibration, raw) : raw;
    for (let t = 0; t < n; t++) if (!valid[t]) p[t] = Number.NaN;
    return p;
  };
  const oneValid = Uint8Array.of(1);
  return {
    modelVersion: bundle.version,
    async scoreColumns(columns, valid) {
      const n = valid.length;
      return {
        returnProb: await scoreModel(bundle.ai1, columns, valid, n),
        riskScore: await scoreModel(bundle.ai2, columns, valid, n),
      };
    },
    async scoreRow(row, valid, out) {
      if (!valid) {
        out.returnProb = Number.NaN;
        out.riskScore = Number.NaN;
        return out;
      }
      // A copy of the row: the caller may reuse its buffer while the two inferences are awaited.
      const columns = Array.from({ length: FEATURE_NAMES.length }, (_, k) => Float64Array.of(row[k]!));
      out.returnProb = (await scoreModel(bundle.ai1, columns, oneValid, 1))[0]!;
      out.riskScore = (await scoreModel(bundle.ai2, columns, oneValid, 1))[0]!;
      return out;
    },
  };
}
