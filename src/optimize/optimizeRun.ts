// What one pt optimize run found: every trial, the choice, the held-out test and the multiple-testing
// statistics — the data the printed summary, the trial tables and report.html are made from.

/** The search space a trial's θ came from. */
export type TrialStage = 'seed_grid' | 'quantile_grid' | 'tpe';

export interface TrialKpis {
  annualReturn: number;
  sharpe: number;
  maxDd: number;
  tradesPerYear: number;
  /** AI2 false-stop rate (SPEC §6 FP_rate_AI2); NaN when undefined. */
  fpRateAi2: number;
  trades: number;
}

export interface TrialRecord {
  /** 0-based, in the order trials ran. */
  index: number;
  stage: TrialStage;
  theta1: number;
  theta2: number;
  /** SPEC §6 score (higher is better). */
  score: number;
  /** Both hard constraints hold (MaxDD ≤ dd_target, trades/yr ≥ trades_min). */
  feasible: boolean;
  /** The binding constraints of an infeasible trial, e.g. `trades_per_year 31 < 150`; '' when feasible. */
  reason: string;
  kpis: TrialKpis;
}

export interface OptimizeRun {
  runId: string;
  modelVersion: string;
  timeframe: string;
  pairIds: string[];
  seed: number;
  /** The selection period (θ is chosen here) and the held-out last 20 % of the OOS period, UTC ms. */
  selection: { from: number; to: number };
  holdout: { from: number; to: number };
  trials: TrialRecord[];
  /** Index into trials of the chosen θ; undefined when no trial is feasible. */
  best?: number;
  /** When nothing is feasible: the trial nearest to feasibility and its binding constraints. */
  nearest?: number;
  /** Indices of the Pareto set (Sharpe ↑, MaxDD ↓) among the trials. */
  pareto: number[];
  /** The chosen θ re-run on the held-out period. */
  holdoutKpis?: TrialKpis;
  /**
   * Deflated Sharpe ratio of the chosen trial given every trial (Bailey & López de Prado 2014); `sr0`
   * (the expected maximum Sharpe under no skill) and `srHat` (the chosen trial's) are daily, not annualised.
   */
  dsr?: { dsr: number; sr0: number; srHat: number; trials: number };
  /** Probability of backtest overfitting by CSCV over the trials' daily returns. */
  pbo?: { pbo: number; blocks: number; combinations: number };
  /** The SPEC §6 hard constraints the run used (MaxDD ≤ maxDd, trades/yr ≥ tradesPerYear); shown in the outputs. */
  constraints?: { maxDd: number; tradesPerYear: number };
  /** Axes of the two grids, for the heat maps. */
  grids: { seed: { theta1: number[]; theta2: number[] }; quantile: { theta1: number[]; theta2: number[] } };
}
