// pt optimize --labels as tables (WriteTable port): label_sweep (one row per point) and trials (every
// θ trial of every point, the trials.csv columns of pt optimize after the point's columns).
import type { TableColumn } from '../../ports/tableWriter.js';
import { trialsTable } from '../trialsTable.js';
import { samePoint } from './labelPoints.js';
import { bestTrialOf, type LabelSweepRun } from './labelSweepRun.js';

const dbl = (name: string, values: number[]): TableColumn => ({
  name,
  kind: 'double',
  values: Float64Array.from(values),
});

/** One row per point; θ and KPI columns are the point's best feasible trial (NaN when none). */
export function labelSweepTable(run: LabelSweepRun): TableColumn[] {
  const p = run.points;
  const best = p.map(bestTrialOf);
  const k = (f: (i: number) => number | undefined) => p.map((_, i) => f(i) ?? Number.NaN);
  return [
    dbl(
      'point',
      k((i) => i + 1),
    ),
    dbl(
      'z_entry',
      k((i) => p[i]!.point.zEntry),
    ),
    dbl(
      'z_exit',
      k((i) => p[i]!.point.zExit),
    ),
    dbl(
      'max_holding_bars',
      k((i) => p[i]!.point.maxHoldingBars),
    ),
    dbl(
      'in_force',
      k((i) => (samePoint(p[i]!.point, run.inForce) ? 1 : 0)),
    ),
    dbl(
      'events',
      k((i) => p[i]!.events),
    ),
    dbl(
      'positives',
      k((i) => p[i]!.positives),
    ),
    dbl(
      'oos_auc',
      k((i) => p[i]!.oosAuc),
    ),
    dbl(
      'degenerate_steps',
      k((i) => p[i]!.degenerateSteps),
    ),
    dbl(
      'trials',
      k((i) => p[i]!.search?.trials.length ?? 0),
    ),
    dbl(
      'feasible',
      k((i) => (best[i] ? 1 : 0)),
    ),
    { name: 'stage', kind: 'varchar', values: best.map((t) => t?.stage ?? '') },
    dbl(
      'theta1',
      k((i) => best[i]?.theta1),
    ),
    dbl(
      'theta2',
      k((i) => best[i]?.theta2),
    ),
    dbl(
      'score',
      k((i) => best[i]?.score),
    ),
    dbl(
      'annual_return',
      k((i) => best[i]?.kpis.annualReturn),
    ),
    dbl(
      'sharpe',
      k((i) => best[i]?.kpis.sharpe),
    ),
    dbl(
      'max_dd',
      k((i) => best[i]?.kpis.maxDd),
    ),
    dbl(
      'trades_per_year',
      k((i) => best[i]?.kpis.tradesPerYear),
    ),
    dbl(
      'holdout_sharpe',
      k((i) => p[i]!.holdoutKpis?.sharpe),
    ),
    dbl(
      'holdout_trades_per_year',
      k((i) => p[i]!.holdoutKpis?.tradesPerYear),
    ),
    dbl(
      'best',
      k((i) => (run.best?.point === i ? 1 : 0)),
    ),
    { name: 'error', kind: 'varchar', values: p.map((r) => r.error ?? '') },
  ];
}

/** Every trial of every point, in run order; `chosen` marks each point's own best. */
export function labelSweepTrialsTable(run: LabelSweepRun): TableColumn[] {
  const parts = run.points.flatMap((r, i) => (r.search ? [{ i, r, cols: trialsTable(r.search) }] : []));
  const pointCols = (name: string, f: (r: LabelSweepRun['points'][number], i: number) => number): TableColumn =>
    dbl(
      name,
      parts.flatMap(({ i, r }) => Array<number>(r.search!.trials.length).fill(f(r, i))),
    );
  const head = [
    pointCols('point', (_r, i) => i + 1),
    pointCols('z_entry', (r) => r.point.zEntry),
    pointCols('z_exit', (r) => r.point.zExit),
    pointCols('max_holding_bars', (r) => r.point.maxHoldingBars),
  ];
  const first = parts[0]?.cols ?? trialsTable({ trials: [], pareto: [] });
  const rest = first.map((c, j): TableColumn => {
    if (c.kind === 'varchar') return { ...c, values: parts.flatMap((p) => [...(p.cols[j]!.values as string[])]) };
    return {
      ...c,
      values: Float64Array.from(parts.flatMap((p) => Array.from(p.cols[j]!.values as ArrayLike<number>))),
    };
  });
  return [...head, ...rest];
}

export function labelSweepMetadata(run: LabelSweepRun): Record<string, string> {
  return {
    run_id: run.runId,
    timeframe: run.timeframe,
    pairs: run.pairIds.join(','),
    seed: String(run.seed),
    total_trials: String(run.totalTrials),
  };
}
