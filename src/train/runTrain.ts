// pt train: walk-forward OOS evaluation, purged CV, then the final fit of AI1 and AI2 (trainModels),
// exported to ONNX and written as a signed model version with its feature schema, params and metrics
// (writeTrainedVersion, SPEC §4-5) unless a final model learned nothing (degenerateRefusal).
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { PtConfig } from '../config/schemas/index.js';
import { PtError } from '../core/ptError.js';
import { configHash } from '../core/configHash.js';
import { codeHash } from '../core/codeHash.js';
import { exportTreeEnsembleOnnx } from '../ml/onnx/index.js';
import { isotonicTableToJson } from '../ml/calibration/index.js';
import { treeEnsembleToJson } from '../ml/treeEnsemble.js';
import { countSplits, describeDegenerate, distinctValues, type DegenerateVerdict } from '../ml/degenerateModel.js';
import { modelParamsFromConfig, sha256Hex, writeModelVersion } from '../ml/registry/index.js';
import type { Dataset } from './buildDatasets.js';
import type { GroupData } from './loadGroup.js';
import { MODEL_FEATURES } from './modelFeatures.js';
import { degenerateFit, fitModel, predictRows, type FittedModel } from './fitModel.js';
import { planKind, type KindPlan, type ModelKind } from './kindPlan.js';
import { runCv, type CvReport } from './runCv.js';
import { runWalkForward, type WalkForwardReport } from './runWalkForward.js';

export interface TrainProgress {
  stage: string;
  done: number;
  total: number;
}

export interface KindResult {
  kind: ModelKind;
  data: Dataset;
  oos: WalkForwardReport;
  cv: CvReport;
  final: FittedModel;
  /** Whether the final model learned anything, judged on every row of the dataset. */
  degenerate: DegenerateVerdict;
  /** Distinct calibrated (or raw, without a table) scores of the final model over every row. */
  levels: number;
}

/** Both kinds fitted, not yet written. */
export interface TrainedModels {
  results: KindResult[];
  dataHash: string;
}

export interface TrainResult extends TrainedModels {
  version: string;
  dir: string;
}

/** ISO UTC of the latest label end (t1) over the datasets; null when they hold no row. */
function dataEnd(datasets: Dataset[]): string | null {
  let end = Number.NEGATIVE_INFINITY;
  for (const d of datasets) for (const t of d.t1) if (t > end) end = t;
  return Number.isFinite(end) ? new Date(end).toISOString() : null;
}

/** SHA-256 over what the models learned from: every dataset row's times, label and features. */
function datasetHash(datasets: Dataset[]): string {
  const h = createHash('sha256');
  for (const d of datasets) {
    h.update(Buffer.from(d.t0.buffer, d.t0.byteOffset, d.t0.byteLength));
    h.update(Buffer.from(d.t1.buffer, d.t1.byteOffset, d.t1.byteLength));
    h.update(Buffer.from(d.y.buffer, d.y.byteOffset, d.y.byteLength));
    for (const c of d.X) h.update(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
  }
  return h.digest('hex').slice(0, 16);
}

/** The plans of AI1 and AI2 over a group, in that order. */
export function planKinds(config: PtConfig, group: GroupData): [KindPlan, KindPlan] {
  return [planKind(config, group.pairs, group.timeframe, 'ai1'), planKind(config, group.pairs, group.timeframe, 'ai2')];
}

export function trainKind(
  config: PtConfig,
  plan: KindPlan,
  seed: number,
  onProgress?: (p: TrainProgress) => void,
): KindResult {
  const { kind, data } = plan;
  const oos = runWalkForward(config, plan, seed, (done, total) =>
    onProgress?.({ stage: `${kind} walk-forward`, done, total }),
  );
  const cv = runCv(config, plan, seed, (done, total) => onProgress?.({ stage: `${kind} cv`, done, total }));
  onProgress?.({ stage: `${kind} final fit`, done: 0, total: 1 });
  const final = fitModel(config, data, plan.final.train, plan.final.valid, seed);
  onProgress?.({ stage: `${kind} final fit`, done: 1, total: 1 });
  const all = Uint32Array.from({ length: data.y.length }, (_, i) => i);
  const degenerate = degenerateFit(final, data, all);
  const levels = distinctValues(predictRows(final, data, all));
  return { kind, data, oos, cv, final, degenerate, levels };
}

/** Walk-forward, CV and the final fit of AI1 and AI2. */
export function trainModels(
  config: PtConfig,
  group: GroupData,
  seed: number,
  onProgress?: (p: TrainProgress) => void,
  plans: [KindPlan, KindPlan] = planKinds(config, group),
): TrainedModels {
  const results = plans.map((plan) => trainKind(config, plan, seed, onProgress));
  return { results, dataHash: datasetHash(results.map((r) => r.data)) };
}

/**
 * CORE_MODEL_DEGEN naming each final model that learned nothing and why, or undefined when both
 * learned something or `allowDegenerate` lets a degenerate version be written anyway.
 */
export function degenerateRefusal(
  results: Array<Pick<KindResult, 'kind' | 'data' | 'final' | 'degenerate'>>,
  allowDegenerate: boolean,
): PtError | undefined {
  const bad = results.filter((r) => r.degenerate.degenerate);
  if (bad.length === 0 || allowDegenerate) return undefined;
  const what = bad
    .map(
      (r) =>
        `${r.kind.toUpperCase()} learned nothing (${r.degenerate.reasons.join(', ')}: ${describeDegenerate(r.degenerate.reasons)}; ${r.data.y.length} rows, min_data_in_leaf ${r.final.minDataInLeaf})`,
    )
    .join('; ');
  return new PtError(
    'CORE_MODEL_DEGEN',
    `no model version written: the final ${what}; train on more history or pairs, or pass --allow-degenerate to write it anyway (the backtest will still refuse it; use --rule-only)`,
    {
      source: 'train',
      details: Object.fromEntries(bad.map((r) => [r.kind, r.degenerate.reasons])),
    },
  );
}

export interface WriteVersionOptions {
  /** Recorded in metrics.json and params.yaml when a degenerate model is written on purpose. */
  allowDegenerate?: boolean;
}

/** The trained models as a signed version under `modelsDir`. */
export async function writeTrainedVersion(
  config: PtConfig,
  group: GroupData,
  seed: number,
  trained: TrainedModels,
  modelsDir: string,
  o: WriteVersionOptions = {},
): Promise<TrainResult> {
  const { results, dataHash } = trained;
  const [ai1, ai2] = results as [KindResult, KindResult];
  const allowDegenerate = o.allowDegenerate === true;
  const cfgHash = configHash({
    features: config.features_policy,
    core: config.core_policy,
    retrain: config.retrain_policy,
    dq: config.pipeline_policy,
  });
  const featureSchema = {
    names: [...MODEL_FEATURES],
    normalisation: { ai1: ai1.final.scaler, ai2: ai2.final.scaler },
    calibration:
      'isotonic step tables in calibration_ai1.json / calibration_ai2.json, applied to the ONNX probability of class 1',
    timeframe: group.timeframe,
  };
  const metadata = {
    pt_code_version: codeHash(),
    pt_config_hash: cfgHash,
    pt_data_hash: dataHash,
    pt_group: group.group,
  };
  // params.yaml readers check only their own keys, so the flag can ride along for whoever reads the θ.
  const params = { ...modelParamsFromConfig(config), ...(allowDegenerate ? { allow_degenerate: true } : {}) };
  const metricsJson = {
    group: group.group,
    timeframe: group.timeframe,
    pairs: group.pairs.map((p) => p.pairId),
    skipped: group.skipped,
    seed,
    data_hash: dataHash,
    // The last bar any final model's labels reached: later bars are out of sample for this version (pt retrain).
    data_end: dataEnd(results.map((r) => r.data)),
    config_hash: cfgHash,
    code_version: codeHash(),
    ...(allowDegenerate ? { allow_degenerate: true } : {}),
    oos: Object.fromEntries(
      results.map((r) => [r.kind, { steps: r.oos.steps, degenerate_steps: r.oos.degenerateSteps, ...r.oos.metrics }]),
    ),
    cv: Object.fromEntries(
      results.map((r) => [r.kind, { folds: r.cv.folds, summary: r.cv.summary, warnings: r.cv.warnings }]),
    ),
    final: Object.fromEntries(
      results.map((r) => [
        r.kind,
        {
          rows: r.data.y.length,
          best_iteration: r.final.bestIteration,
          trees: r.final.model.trees.length,
          splits: countSplits(r.final.model),
          calibrated_levels: r.levels,
          min_data_in_leaf: r.final.minDataInLeaf,
          num_leaves: r.final.numLeaves,
          degenerate: r.degenerate,
          feature_importance_gain: Object.fromEntries(
            MODEL_FEATURES.map((n, i) => [n, r.final.featureImportanceGain[i] ?? 0]),
          ),
        },
      ]),
    ),
  };
  const onnx = {
    ai1: exportTreeEnsembleOnnx(ai1.final.model, { metadata }),
    ai2: exportTreeEnsembleOnnx(ai2.final.model, { metadata }),
  };
  const artefacts: Record<string, Uint8Array | string> = {
    'model_ai1.onnx': onnx.ai1,
    'model_ai2.onnx': onnx.ai2,
    'model_ai1.json': JSON.stringify(treeEnsembleToJson(ai1.final.model)),
    'model_ai2.json': JSON.stringify(treeEnsembleToJson(ai2.final.model)),
    'feature_schema.json': `${JSON.stringify(featureSchema, null, 2)}\n`,
    'params.yaml': stringify(params),
    'metrics.json': `${JSON.stringify(metricsJson, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`,
  };
  for (const r of results)
    if (r.final.calibration)
      // Bound to its ONNX file: the model bundle refuses the table next to any other model.
      artefacts[`calibration_${r.kind}.json`] =
        `${JSON.stringify(isotonicTableToJson(r.final.calibration, sha256Hex(onnx[r.kind])))}\n`;
  const { version, dir } = await writeModelVersion(modelsDir, artefacts);
  return { version, dir, results, dataHash };
}
