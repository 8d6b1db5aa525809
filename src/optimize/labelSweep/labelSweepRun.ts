// What one pt optimize --labels run found: per label point, the re-labelled AI1 events, its
// walk-forward OOS quality and the θ search on it; over all points, the best and the statistics of
// every trial looked at.
import type { OptimizeRun, TrialKpis, TrialRecord } from '../optimizeRun.js';
import type { LabelPoint } from './labelPoints.js';

export interface LabelPointResult {
  point: LabelPoint;
  /** AI1 events and positive labels under the point's labels, over the group's pairs. */
  events: number;
  positives: number;
  /** AI1 walk-forward OOS AUC (NaN with one class) and its steps whose model learned nothing. */
  oosAuc: number;
  degenerateSteps: number;
  steps: number;
  /** The point's θ search; undefined when it could not run (`error` says why). */
  search?: Pick<OptimizeRun, 'trials' | 'best' | 'nearest' | 'pareto' | 'grids'>;
  /** The point's best feasible θ re-run on the held-out period. */
  holdoutKpis?: TrialKpis;
  error?: string;
  /** Index of the point's first trial in the run's trial numbering (all points, in order). */
  firstTrial: number;
}

export interface LabelSweepRun {
  runId: string;
  timeframe: string;
  pairIds: string[];
  seed: number;
  selection: { from: number; to: number };
  holdout: { from: number; to: number };
  points: LabelPointResult[];
  /** Points of the config's cross product with z_exit ≥ z_entry: not run. */
  skipped: LabelPoint[];
  /** The point pt uses today (the model version's params, else config). */
  inForce: LabelPoint;
  /** The best feasible trial over every point: its point index and trial within the point. */
  best?: { point: number; trial: number };
  /** θ trials over every point: the N of the DSR and the columns of the PBO. */
  totalTrials: number;
  dsr?: OptimizeRun['dsr'];
  pbo?: OptimizeRun['pbo'];
  constraints: { maxDd: number; tradesPerYear: number };
}

/** The point's chosen trial, if any. */
export function bestTrialOf(p: LabelPointResult): TrialRecord | undefined {
  return p.search?.best !== undefined ? p.search.trials[p.search.best] : undefined;
}
