// Purged K-fold of one model kind over a group (SPEC §4): a fit per fold, metrics on its test block.
import type { PtConfig } from '../config/schemas/index.js';
import { barsPerDay, type Timeframe } from '../core/time.js';
import { cvOptionsFrom, purgedKFold } from '../cv/index.js';
import { buildAi1Dataset, buildAi2Dataset, groupTimeline, type Dataset, type PairLabels } from './buildDatasets.js';
import { evaluate, METRIC_COLUMNS, summarise, type ModelMetrics } from './evaluate.js';
import type { DegenerateVerdict } from '../ml/degenerateModel.js';
import { degenerateFit, fitModel, predictRows } from './fitModel.js';

export type ModelKind = 'ai1' | 'ai2';

export interface FoldReport {
  fold: number;
  train: number;
  valid: number;
  test: number;
  purged: number;
  embargoed: number;
  metrics: ModelMetrics;
  /** Whether the fold's model learned anything, judged on its test rows. */
  degenerate: DegenerateVerdict;
}

export interface CvReport {
  kind: ModelKind;
  folds: FoldReport[];
  summary: Record<string, { mean: number; std: number }>;
  warnings: string[];
}

export function datasetFor(kind: ModelKind, pairs: PairLabels[]): Dataset {
  return kind === 'ai1' ? buildAi1Dataset(pairs) : buildAi2Dataset(pairs);
}

export function runCv(
  config: PtConfig,
  pairs: PairLabels[],
  timeframe: Timeframe,
  kind: ModelKind,
  seed: number,
  onFold?: (done: number, total: number) => void,
): CvReport {
  const data = datasetFor(kind, pairs);
  const timeline = groupTimeline(pairs);
  const { kFold } = cvOptionsFrom(config, barsPerDay(timeframe));
  const split = purgedKFold({ t0: data.t0, t1: data.t1 }, timeline, kFold);
  const theta2 = config.core_policy.theta2_initial;
  const folds: FoldReport[] = [];
  split.folds.forEach((fold, i) => {
    if (fold.train.length === 0 || fold.test.length === 0) return;
    const fit = fitModel(config, data, fold.train, fold.valid, seed);
    const probs = predictRows(fit, data, fold.test);
    folds.push({
      fold: i + 1,
      train: fold.train.length,
      valid: fold.valid.length,
      test: fold.test.length,
      purged: fold.reasons.purged + fold.reasons.validationPurged,
      embargoed: fold.reasons.embargoed,
      metrics: evaluate(
        kind,
        probs,
        Uint8Array.from(fold.test, (r) => data.y[r]!),
        theta2,
      ),
      degenerate: degenerateFit(fit, data, fold.test),
    });
    onFold?.(i + 1, split.folds.length);
  });
  return {
    kind,
    folds,
    summary: summarise(
      folds.map((f) => f.metrics),
      METRIC_COLUMNS[kind],
    ),
    warnings: split.warnings,
  };
}
