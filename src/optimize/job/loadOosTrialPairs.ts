// A model version's walk-forward OOS predictions placed on the bars of its pairs, as pt optimize searches θ
// on them and pt retrain backtests a candidate on them: one loader for both.
import { join } from 'node:path';
import type { PairSpec, PtConfig } from '../../config/schemas/index.js';
import { PtError } from '../../core/ptError.js';
import type { Timeframe } from '../../core/time.js';
import type { OpenBarStore } from '../../ports/barStore.js';
import type { ReadTable } from '../../ports/tableWriter.js';
import { conversionFromStore, loadPairs } from '../../backtest/prepareBacktest.js';
import { alignOosPredictions, type OosPredictionRows } from '../oosPredictions.js';
import type { TrialPair } from '../trialRunner.js';

/** A version's walk-forward OOS predictions of one kind, from `dir` (predictions/<tf>/<group>/<version>/). */
export async function readOosPredictions(
  readTable: ReadTable,
  dir: string,
  kind: 'ai1' | 'ai2',
): Promise<OosPredictionRows & { source: string }> {
  const source = join(dir, `oos_${kind}.parquet`);
  const score = kind === 'ai1' ? 'return_prob' : 'risk_score';
  let t;
  try {
    t = await readTable(source, {
      ts_t0: 'timestamp',
      pair_id: 'varchar',
      [score]: 'double',
      wf_step: 'double',
      train_end: 'timestamp',
    });
  } catch (e) {
    throw new PtError(
      'BT_OPT_NOOOS',
      `no usable OOS predictions for this model version: ${source} (${(e as Error).message}); pt optimize scores only the walk-forward predictions pt train writes there — train with --data-dir of this store`,
      { source: 'optimize', exitCode: 2 },
    );
  }
  return {
    source,
    tsT0: t.ts_t0 as Float64Array,
    pairId: t.pair_id as string[],
    score: t[score] as Float64Array,
    wfStep: t.wf_step as Float64Array,
    trainEnd: t.train_end as Float64Array,
  };
}

export interface OosTrialPairs {
  loaded: Awaited<ReturnType<typeof loadPairs>>;
  conversionRate: Awaited<ReturnType<typeof conversionFromStore>>;
  /** Each pair with its bars and the version's OOS scores on them (NaN where none). */
  trialPairs: TrialPair[];
  /** Predictions that fall on no bar of these pairs (other pairs, or bars DQ removed). */
  unplaced: number;
}

/** The pairs' clean bars from the store and the version's OOS predictions (`predictionsDir`) aligned on them. */
export async function loadOosTrialPairs(
  config: PtConfig,
  o: { dataDir: string; predictionsDir: string; pairs: readonly PairSpec[]; timeframe: Timeframe },
  deps: { openBarStore: OpenBarStore; readTable: ReadTable },
): Promise<OosTrialPairs> {
  const oos1 = await readOosPredictions(deps.readTable, o.predictionsDir, 'ai1');
  const oos2 = await readOosPredictions(deps.readTable, o.predictionsDir, 'ai2');
  const store = await deps.openBarStore(o.dataDir);
  let loaded;
  let conversionRate;
  try {
    loaded = await loadPairs(config, store, o.dataDir, [...o.pairs], o.timeframe, undefined, undefined, true);
    conversionRate = await conversionFromStore(config, store, [...o.pairs], o.timeframe);
  } finally {
    await store.close();
  }
  const bars = loaded.map((l) => ({ pairId: l.spec.pair_id, ts: l.pair.ts }));
  const ai1 = alignOosPredictions('ai1', oos1, bars, oos1.source);
  const ai2 = alignOosPredictions('ai2', oos2, bars, oos2.source);
  const trialPairs: TrialPair[] = loaded.map((l) => ({
    spec: l.spec,
    pair: l.pair,
    returnProb: ai1.byPair.get(l.spec.pair_id)!,
    riskScore: ai2.byPair.get(l.spec.pair_id)!,
  }));
  return { loaded, conversionRate, trialPairs, unplaced: ai1.unplaced + ai2.unplaced };
}
