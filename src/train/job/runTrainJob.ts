// pt train as a library job after the group is loaded: walk-forward OOS, CV and the final fit into a
// signed model version (runTrain), then each kind's OOS predictions written beside the data.
import { join } from 'node:path';
import type { PtConfig } from '../../config/schemas/index.js';
import type { TableColumn, WriteTable } from '../../ports/tableWriter.js';
import type { GroupData } from '../loadGroup.js';
import type { KindPlan } from '../kindPlan.js';
import { planKinds, runTrain, type TrainProgress, type TrainResult } from '../runTrain.js';
import { formatCv, formatOos } from './formatCv.js';

export interface TrainJobOptions {
  seed: number;
  /** Absolute path of the model registry folder. */
  modelsDir: string;
  /** Absolute path of the data folder (predictions go under its predictions/). */
  dataDir: string;
}

export interface TrainJobResult {
  train: TrainResult;
  /** Where oos_ai1.parquet and oos_ai2.parquet went. */
  predictionsDir: string;
}

export async function runTrainJob(
  config: PtConfig,
  group: GroupData,
  o: TrainJobOptions,
  deps: { writeTable: WriteTable; onProgress?: (p: TrainProgress) => void },
  plans: [KindPlan, KindPlan] = planKinds(config, group),
): Promise<TrainJobResult> {
  const train = await runTrain(config, group, o.seed, o.modelsDir, deps.onProgress, plans);
  const predictionsDir = join(o.dataDir, 'predictions', group.timeframe, group.group, train.version);
  for (const r of train.results) {
    const rows = r.oos.rows;
    const columns: TableColumn[] = [
      { name: 'ts_t0', kind: 'timestamp', values: Float64Array.from(rows, (i) => r.data.t0[i]!) },
      { name: 'ts_t1', kind: 'timestamp', values: Float64Array.from(rows, (i) => r.data.t1[i]!) },
      { name: 'pair_id', kind: 'varchar', values: Array.from(rows, (i) => group.pairs[r.data.pair[i]!]!.pairId) },
      { name: 'y', kind: 'double', values: Float64Array.from(rows, (i) => r.data.y[i]!) },
      { name: r.kind === 'ai1' ? 'return_prob' : 'risk_score', kind: 'double', values: r.oos.probs },
    ];
    await deps.writeTable(join(predictionsDir, `oos_${r.kind}.parquet`), columns, {
      pt_model_version: train.version,
    });
  }
  return { train, predictionsDir };
}

/** The OOS tables, the CV tables and where the model and predictions went, as pt train prints them. */
export function formatTrainRun(r: TrainJobResult): string {
  const results = r.train.results;
  return [
    ...results.map((k) => `${formatOos(k.kind, k.oos.steps, k.oos.metrics)}\n\n`),
    ...results.map((k) => `${formatCv(k.cv)}\n\n`),
    `model ${r.train.version} written to ${r.train.dir} (signed); OOS predictions in ${r.predictionsDir}\n`,
  ].join('');
}
