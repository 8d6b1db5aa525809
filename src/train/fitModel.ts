// One model fit: scaler on train, boosting with early stopping on valid, isotonic calibration on
// valid (SPEC §4-5), and a predictor giving calibrated probabilities for any rows. Every fit (CV
// fold, walk-forward step, final) sizes its trees for its training rows (scaleTreeSize).
import type { PtConfig } from '../config/schemas/index.js';
import { fitFeatureScaler, scaleColumns, type FeatureScalerStats } from '../ml/featureScaler.js';
import { gbdtOptionsFrom, predictProba, trainBooster } from '../ml/gbdt/index.js';
import { applyIsotonicAll, fitCalibration, type IsotonicTable } from '../ml/calibration/index.js';
import type { TreeEnsemble } from '../ml/treeEnsemble.js';
import { countSplits, degenerateVerdict, type DegenerateVerdict } from '../ml/degenerateModel.js';
import { classWeights } from '../labels/index.js';
import { MODEL_FEATURES } from './modelFeatures.js';
import type { Dataset } from './buildDatasets.js';
import { scaleTreeSize } from './scaleTreeSize.js';

export interface FittedModel {
  model: TreeEnsemble;
  /** True when train had a single class: the model is the smoothed base rate, no trees. */
  constant: boolean;
  scaler: FeatureScalerStats;
  /** Undefined when the validation set had a single class: probabilities are then uncalibrated. */
  calibration?: IsotonicTable;
  bestIteration: number;
  featureImportanceGain: Float64Array;
  /** The tree size this fit used: the configured values scaled to its training rows. */
  minDataInLeaf: number;
  numLeaves: number;
}

function take(col: Uint8Array, rows: Uint32Array): Uint8Array {
  return Uint8Array.from(rows, (i) => col[i]!);
}

/** Inverse-frequency class weights clipped to 1:class_weight_ratio_max (SPEC §3.2). */
function sampleWeights(y: Uint8Array, ratioMax: number): Float64Array {
  const { w0, w1 } = classWeights(y, ratioMax);
  return Float64Array.from(y, (v) => (v ? w1 : w0));
}

export function fitModel(
  config: PtConfig,
  data: Dataset,
  train: Uint32Array,
  valid: Uint32Array,
  seed: number,
): FittedModel {
  const f = config.features_policy;
  const scaler = fitFeatureScaler([...MODEL_FEATURES], data.X, train, f.winsorize_quantiles, f.model_input_clip);
  const Xtr = scaleColumns(scaler, data.X, train);
  const ytr = take(data.y, train);
  const ratio = config.core_policy.class_weight_ratio_max;
  const configured = gbdtOptionsFrom(config);
  const size = scaleTreeSize(train.length, configured);
  const options = { ...configured, ...size };
  const hasValid = valid.length > 0;
  const Xva = hasValid ? scaleColumns(scaler, data.X, valid) : undefined;
  const yva = hasValid ? take(data.y, valid) : undefined;
  let positives = 0;
  for (const v of ytr) positives += v;
  if (positives === 0 || positives === ytr.length) {
    // One class only (e.g. an early walk-forward step with few events): nothing to split on, so the
    // model is the base rate, smoothed away from 0 and 1 so its log-odds stay finite.
    const rate = (positives + 0.5) / (ytr.length + 1);
    const model: TreeEnsemble = {
      objective: 'binary',
      featureNames: [...MODEL_FEATURES],
      baseScore: Math.log(rate / (1 - rate)),
      trees: [],
    };
    return {
      model,
      constant: true,
      scaler,
      bestIteration: 0,
      featureImportanceGain: new Float64Array(MODEL_FEATURES.length),
      ...size,
    };
  }
  const result = trainBooster(Xtr, ytr, {
    ...options,
    seed,
    featureNames: [...MODEL_FEATURES],
    weights: sampleWeights(ytr, ratio),
    ...(hasValid ? { valid: { X: Xva!, y: yva!, weights: sampleWeights(yva!, ratio) } } : {}),
  });
  let calibration: IsotonicTable | undefined;
  if (hasValid) {
    let pos = 0;
    for (const v of yva!) pos += v;
    // Fitted on the float32 scores onnxruntime serves, so native and ONNX calibrated scores agree.
    if (pos > 0 && pos < yva!.length) calibration = fitCalibration(predictProba(result.model, Xva!), yva!);
  }
  return {
    model: result.model,
    constant: false,
    scaler,
    calibration,
    bestIteration: result.bestIteration,
    featureImportanceGain: result.featureImportanceGain,
    ...size,
  };
}

/** Calibrated probabilities of the given rows. */
export function predictRows(fit: FittedModel, data: Dataset, rows: Uint32Array): Float64Array {
  const raw = predictProba(fit.model, scaleColumns(fit.scaler, data.X, rows));
  return fit.calibration ? applyIsotonicAll(fit.calibration, raw) : raw;
}

/** Whether the fit learned anything, judged on `rows` (a fold's test rows; every row for the final fit). */
export function degenerateFit(fit: FittedModel, data: Dataset, rows: Uint32Array): DegenerateVerdict {
  const raw = predictProba(fit.model, scaleColumns(fit.scaler, data.X, rows));
  return degenerateVerdict(
    countSplits(fit.model),
    raw,
    fit.calibration ? applyIsotonicAll(fit.calibration, raw) : undefined,
  );
}
