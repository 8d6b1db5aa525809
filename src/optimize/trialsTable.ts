// Every trial of an optimise run as typed columns, for trials.parquet and trials.csv (WriteTable port).
import type { TableColumn } from '../ports/tableWriter.js';
import type { OptimizeRun } from './optimizeRun.js';

/** The column names, in order. */
export const TRIAL_COLUMNS = [
  'index',
  'stage',
  'theta1',
  'theta2',
  'score',
  'feasible',
  'reason',
  'annual_return',
  'sharpe',
  'max_dd',
  'trades_per_year',
  'fp_rate_ai2',
  'trades',
  'pareto',
  'chosen',
] as const;

/** One row per trial in run order; feasible, pareto and chosen are 0/1; an undefined KPI is NaN (NULL / empty). */
export function trialsTable(run: Pick<OptimizeRun, 'trials' | 'pareto' | 'best'>): TableColumn[] {
  const t = run.trials;
  const pareto = new Set(run.pareto);
  const dbl = (name: string, f: (i: number) => number): TableColumn => ({
    name,
    kind: 'double',
    values: Float64Array.from(t, (_, i) => f(i)),
  });
  return [
    dbl('index', (i) => t[i]!.index),
    { name: 'stage', kind: 'varchar', values: t.map((r) => r.stage) },
    dbl('theta1', (i) => t[i]!.theta1),
    dbl('theta2', (i) => t[i]!.theta2),
    dbl('score', (i) => t[i]!.score),
    dbl('feasible', (i) => (t[i]!.feasible ? 1 : 0)),
    { name: 'reason', kind: 'varchar', values: t.map((r) => r.reason) },
    dbl('annual_return', (i) => t[i]!.kpis.annualReturn),
    dbl('sharpe', (i) => t[i]!.kpis.sharpe),
    dbl('max_dd', (i) => t[i]!.kpis.maxDd),
    dbl('trades_per_year', (i) => t[i]!.kpis.tradesPerYear),
    dbl('fp_rate_ai2', (i) => t[i]!.kpis.fpRateAi2),
    dbl('trades', (i) => t[i]!.kpis.trades),
    dbl('pareto', (i) => (pareto.has(i) ? 1 : 0)),
    dbl('chosen', (i) => (run.best === i ? 1 : 0)),
  ];
}

/** File metadata stamping the table with the run (Parquet key-value pairs). */
export function trialsTableMetadata(run: OptimizeRun): Record<string, string> {
  return {
    run_id: run.runId,
    model_version: run.modelVersion,
    timeframe: run.timeframe,
    pairs: run.pairIds.join(','),
    seed: String(run.seed),
  };
}
