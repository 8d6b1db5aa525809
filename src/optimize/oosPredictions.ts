// pt train's walk-forward OOS predictions (oos_ai1 / oos_ai2) mapped onto each pair's bars, with the
// "OOS only" guard of pt optimize: every prediction must come from a model trained before its bar.
import { PtError } from '../core/ptError.js';

/** The columns of an oos_ai1.parquet (score = return_prob) or oos_ai2.parquet (score = risk_score), as read. */
export interface OosPredictionRows {
  /** The predicted row's bar: the event's t0 (AI1) or the bar itself (AI2), UTC ms bar open. */
  tsT0: Float64Array;
  pairId: readonly string[];
  score: Float64Array;
  /** The walk-forward step that predicted the row and the last bar time its model's labels reached; absent in files written before pt recorded them. */
  wfStep?: Float64Array;
  trainEnd?: Float64Array;
}

export interface PairBars {
  pairId: string;
  ts: Float64Array;
}

export interface AlignedPredictions {
  /** Per pair id: one score per bar, NaN where the walk-forward has no prediction. */
  byPair: Map<string, Float64Array>;
  /** Rows whose bar is not among the pair's bars (removed by DQ, outside the period) or whose pair is not asked for. */
  unplaced: number;
}

/**
 * Places each prediction at the bar whose open time is its ts_t0. Refuses (BT_OPT_INSAMPLE) a table
 * without wf_step / train_end, and any row whose train_end is not strictly before its ts_t0: a
 * θ search on such a score would grade a model on bars it was fitted on. A bar predicted twice is
 * an error too (walk-forward test windows do not overlap).
 */
export function alignOosPredictions(
  kind: 'ai1' | 'ai2',
  rows: OosPredictionRows,
  pairs: readonly PairBars[],
  source: string,
): AlignedPredictions {
  const n = rows.tsT0.length;
  if (rows.pairId.length !== n || rows.score.length !== n)
    throw new RangeError(`${source}: columns of different lengths`);
  const { wfStep, trainEnd } = rows;
  if (!wfStep || !trainEnd || wfStep.length !== n || trainEnd.length !== n)
    throw new PtError(
      'BT_OPT_INSAMPLE',
      `${source} has no wf_step/train_end columns: pt optimize cannot tell its ${kind.toUpperCase()} predictions are out-of-sample; retrain with pt train`,
      { source: 'optimize' },
    );
  const index = new Map<string, Map<number, number>>();
  const byPair = new Map<string, Float64Array>();
  for (const p of pairs) {
    const at = new Map<number, number>();
    p.ts.forEach((t, i) => at.set(t, i));
    index.set(p.pairId, at);
    byPair.set(p.pairId, new Float64Array(p.ts.length).fill(Number.NaN));
  }
  let unplaced = 0;
  for (let r = 0; r < n; r++) {
    const t0 = rows.tsT0[r]!;
    if (!(trainEnd[r]! < t0))
      throw new PtError(
        'BT_OPT_INSAMPLE',
        `${source} row ${r} (${rows.pairId[r]} ${new Date(t0).toISOString()}, step ${wfStep[r]}) was predicted by a model trained on labels up to ${new Date(trainEnd[r]!).toISOString()}: in-sample`,
        { source: 'optimize' },
      );
    const bar = index.get(rows.pairId[r]!)?.get(t0);
    if (bar === undefined) {
      unplaced++;
      continue;
    }
    const out = byPair.get(rows.pairId[r]!)!;
    if (!Number.isNaN(out[bar]!))
      throw new RangeError(`${source}: ${rows.pairId[r]} ${new Date(t0).toISOString()} is predicted twice`);
    out[bar] = rows.score[r]!;
  }
  return { byPair, unplaced };
}
