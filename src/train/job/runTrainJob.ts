// pt train as a library job after the group is loaded: walk-forward OOS, CV and the final fit, then
// — unless a final model learned nothing and that is not allowed — a signed model version
// (writeTrainedVersion) and each kind's OOS predictions written beside the data.
import { join } from 'node:path';
import type { PtConfig } from '../../config/schemas/index.js';
import type { PtError } from '../../core/ptError.js';
import { countSplits } from '../../ml/degenerateModel.js';
import type { TableColumn, WriteTable } from '../../ports/tableWriter.js';
import type { GroupData } from '../loadGroup.js';
import type { KindPlan } from '../kindPlan.js';
import {
  degenerateRefusal,
  planKinds,
  trainModels,
  writeTrainedVersion,
  type KindResult,
  type TrainProgress,
  type TrainResult,
} from '../runTrain.js';
import { walkForwardRows } from '../walkForwardRows.js';
import { formatCv, formatOos } from './formatCv.js';

export interface TrainJobOptions {
  seed: number;
  /** Absolute path of the model registry folder. */
  modelsDir: string;
  /** Absolute path of the data folder (predictions go under its predictions/). */
  dataDir: string;
  /** Write the version even when a final model is degenerate (recorded in metrics.json and params.yaml). */
  allowDegenerate?: boolean;
}

export type TrainJobResult =
  | {
      train: TrainResult;
      /** Where oos_ai1.parquet and oos_ai2.parquet went. */
      predictionsDir: string;
      refusal?: undefined;
    }
  | {
      /** Nothing was written: a final model is degenerate (CORE_MODEL_DEGEN), for the caller to raise after the tables. */
      refusal: PtError;
      results: KindResult[];
    };

export async function runTrainJob(
  config: PtConfig,
  group: GroupData,
  o: TrainJobOptions,
  deps: { writeTable: WriteTable; onProgress?: (p: TrainProgress) => void },
  plans: [KindPlan, KindPlan] = planKinds(config, group),
): Promise<TrainJobResult> {
  const trained = trainModels(config, group, o.seed, deps.onProgress, plans);
  const refusal = degenerateRefusal(trained.results, o.allowDegenerate === true);
  if (refusal) return { refusal, results: trained.results };
  const train = await writeTrainedVersion(config, group, o.seed, trained, o.modelsDir, {
    allowDegenerate: o.allowDegenerate === true,
  });
  const predictionsDir = join(o.dataDir, 'predictions', group.timeframe, group.group, train.version);
  for (const r of train.results) {
    const w = walkForwardRows(
      r.data,
      r.oos,
      group.pairs.map((p) => p.pairId),
    );
    const columns: TableColumn[] = [
      { name: 'ts_t0', kind: 'timestamp', values: w.tsT0 },
      { name: 'ts_t1', kind: 'timestamp', values: w.tsT1 },
      { name: 'pair_id', kind: 'varchar', values: w.pairId },
      { name: 'y', kind: 'double', values: w.y },
      { name: r.kind === 'ai1' ? 'return_prob' : 'risk_score', kind: 'double', values: w.score },
      { name: 'wf_step', kind: 'double', values: w.wfStep },
      { name: 'train_end', kind: 'timestamp', values: w.trainEnd },
    ];
    await deps.writeTable(join(predictionsDir, `oos_${r.kind}.parquet`), columns, {
      pt_model_version: train.version,
    });
  }
  return { train, predictionsDir };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The final model of a kind in one line: trees, splits, distinct scores, tree size and the verdict. */
function finalLine(k: KindResult): string {
  const verdict = k.degenerate.degenerate ? `DEGENERATE (${k.degenerate.reasons.join(', ')})` : 'ok';
  return `${k.kind.toUpperCase()} final fit on ${k.data.y.length} rows: ${plural(k.final.model.trees.length, 'tree')}, ${plural(countSplits(k.final.model), 'split')}, ${plural(k.levels, 'distinct score')} (min_data_in_leaf ${k.final.minDataInLeaf}, num_leaves ${k.final.numLeaves}): ${verdict}`;
}

/**
 * The OOS tables, the CV tables, each final model's verdict and where the model and predictions went,
 * as pt train prints them. A refused run prints the same tables; the caller raises the refusal.
 */
export function formatTrainRun(r: TrainJobResult): string {
  const results = r.refusal ? r.results : r.train.results;
  const allowed = results.filter((k) => k.degenerate.degenerate).map((k) => k.kind.toUpperCase());
  return [
    ...results.map((k) => `${formatOos(k.kind, k.oos.steps, k.oos.metrics, k.oos.degenerateSteps)}\n\n`),
    ...results.map((k) => `${formatCv(k.cv)}\n\n`),
    ...results.map((k) => `${finalLine(k)}\n`),
    r.refusal
      ? ''
      : `model ${r.train.version} written to ${r.train.dir} (signed${allowed.length ? `; ${allowed.join(' and ')} degenerate, written with --allow-degenerate` : ''}); OOS predictions in ${r.predictionsDir}\n`,
  ].join('');
}
