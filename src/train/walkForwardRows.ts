// A kind's walk-forward OOS predictions as rows (one per predicted dataset row, in step order): what
// pt train writes to oos_ai1/oos_ai2.parquet and what pt optimize --labels searches θ on.
import type { Dataset } from './buildDatasets.js';
import type { WalkForwardReport } from './runWalkForward.js';

export interface WalkForwardRows {
  /** The predicted row's t0 (the event's start for AI1, the bar for AI2) and t1, UTC ms bar open. */
  tsT0: Float64Array;
  tsT1: Float64Array;
  pairId: string[];
  y: Float64Array;
  /** return_prob (AI1) or risk_score (AI2). */
  score: Float64Array;
  /** The step that predicted each row and the end of what its model was trained on (pt optimize's OOS guard). */
  wfStep: Float64Array;
  trainEnd: Float64Array;
}

/** `pairIds[k]` names the dataset's pair index k. */
export function walkForwardRows(data: Dataset, oos: WalkForwardReport, pairIds: readonly string[]): WalkForwardRows {
  const rows = oos.rows;
  return {
    tsT0: Float64Array.from(rows, (i) => data.t0[i]!),
    tsT1: Float64Array.from(rows, (i) => data.t1[i]!),
    pairId: Array.from(rows, (i) => pairIds[data.pair[i]!]!),
    y: Float64Array.from(rows, (i) => data.y[i]!),
    score: oos.probs,
    wfStep: Float64Array.from(oos.rowStep),
    trainEnd: oos.rowTrainEnd,
  };
}
