// A Scorer serving fixed per-bar predictions of one pair (the walk-forward OOS scores of pt train),
// so a θ search goes through the same pairInput path as pt bt run without running a model.
import type { RowScores, Scorer, ScoreColumns } from '../ports/scorer.js';

/**
 * `returnProb` / `riskScore` are aligned with the pair's bars (NaN where there is no prediction).
 * `scoreColumns` returns copies, NaN on rows whose features are not all defined (the port's
 * contract); `scoreRow` is refused: a row carries no bar index to look a prediction up by.
 */
export function predictionScorer(modelVersion: string, returnProb: Float64Array, riskScore: Float64Array): Scorer {
  if (returnProb.length !== riskScore.length)
    throw new RangeError(`predictionScorer: ${returnProb.length} return_prob rows but ${riskScore.length} risk_score`);
  return {
    modelVersion,
    scoreColumns(columns: Float64Array[], valid: Uint8Array): Promise<ScoreColumns> {
      const n = valid.length;
      if (n !== returnProb.length || (columns[0] !== undefined && columns[0].length !== n))
        return Promise.reject(
          new RangeError(`predictionScorer: ${returnProb.length} predictions for a pair of ${n} bars`),
        );
      const prob = new Float64Array(n);
      const risk = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        prob[i] = valid[i] === 1 ? returnProb[i]! : Number.NaN;
        risk[i] = valid[i] === 1 ? riskScore[i]! : Number.NaN;
      }
      return Promise.resolve({ returnProb: prob, riskScore: risk });
    },
    scoreRow(_row: Float64Array, _valid: boolean, _out: RowScores): Promise<RowScores> {
      return Promise.reject(new RangeError('predictionScorer serves whole columns only (a row has no bar index)'));
    },
  };
}
