// The Scorer port: AI1 return_prob and AI2 risk_score of feature rows, for whole columns or one row.

/** Scores of every bar of a pair; NaN on rows whose features are not all defined. */
export interface ScoreColumns {
  returnProb: Float64Array;
  riskScore: Float64Array;
}

/** Scores of one bar; NaN when it has none. */
export interface RowScores {
  returnProb: number;
  riskScore: number;
}

/**
 * Both calls go through the same inference session, scaling and calibration, so a backtest (all rows
 * at once: one call per model instead of one per bar) and `pt live` (row by row) see equal scores.
 * Columns and rows are in FEATURE_NAMES order (src/features/featureNames.ts).
 */
export interface Scorer {
  readonly modelVersion: string;
  scoreColumns(columns: Float64Array[], valid: Uint8Array): Promise<ScoreColumns>;
  /** Writes into `out` and returns it; NaN scores when `valid` is false. */
  scoreRow(row: Float64Array, valid: boolean, out: RowScores): Promise<RowScores>;
}
