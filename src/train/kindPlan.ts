// One model kind's rows and every split it is fitted on (SPEC §4): purged K-fold folds, walk-forward
// steps and the final fit's validation split, made once and shared by the fits, the printed fold
// tables and --out-folds.
import type { PtConfig } from '../config/schemas/index.js';
import { barsPerDay, type Timeframe } from '../core/time.js';
import {
  cvOptionsFrom,
  purgedKFold,
  sampleBars,
  splitValidation,
  walkForward,
  type CvOptions,
  type PurgedKFoldResult,
  type ValidationSplit,
  type WalkForwardResult,
} from '../cv/index.js';
import { featureLookbackBars } from '../features/featureLookback.js';
import { featureParamsFrom } from '../features/featureParams.js';
import { buildAi1Dataset, buildAi2Dataset, groupTimeline, type Dataset, type PairLabels } from './buildDatasets.js';

export type ModelKind = 'ai1' | 'ai2';

export interface KindPlan {
  kind: ModelKind;
  pairIds: string[];
  data: Dataset;
  /** The group's union timeline the splits count bars on. */
  timeline: Float64Array;
  options: CvOptions;
  kFold: PurgedKFoldResult;
  walkForward: WalkForwardResult;
  /** The final fit: every row, validation = the latest share in time, purged. */
  final: ValidationSplit;
}

export function datasetFor(kind: ModelKind, pairs: PairLabels[]): Dataset {
  return kind === 'ai1' ? buildAi1Dataset(pairs) : buildAi2Dataset(pairs);
}

export function planKind(config: PtConfig, pairs: PairLabels[], timeframe: Timeframe, kind: ModelKind): KindPlan {
  const data = datasetFor(kind, pairs);
  const timeline = groupTimeline(pairs);
  const options = cvOptionsFrom(config, barsPerDay(timeframe), featureLookbackBars(featureParamsFrom(config)));
  const samples = { t0: data.t0, t1: data.t1 };
  const all = Uint32Array.from({ length: data.y.length }, (_, i) => i);
  return {
    kind,
    pairIds: pairs.map((p) => p.pairId),
    data,
    timeline,
    options,
    kFold: purgedKFold(samples, timeline, options.kFold),
    walkForward: walkForward(samples, timeline, options.walkForward),
    final: splitValidation(sampleBars(samples, timeline), all, {
      fraction: options.kFold.validationFraction,
      purgeBars: options.kFold.purgeBars,
      embargoBars: 0,
    }),
  };
}

/** Labels equal to 1 among the given rows. */
export function positivesIn(y: Uint8Array, rows: ArrayLike<number>): number {
  let p = 0;
  for (let i = 0; i < rows.length; i++) p += y[rows[i]!]!;
  return p;
}
