// The text pt optimize --labels prints: the run line, one table row per label point (its AI1 events,
// walk-forward OOS AUC and the θ search's best), the best point or the one no-feasible line, its
// held-out result, and the DSR and PBO over every θ trial of every point.
import {
  dsrLine,
  formatTheta,
  kpiText,
  nothingAppliedLine,
  num,
  pboLine,
  pct,
  periodText,
  stageName,
  thetaText,
} from '../summaryLines.js';
import { constraintViolation } from '../searchTheta.js';
import type { TrialRecord } from '../optimizeRun.js';
import { pointText, samePoint } from './labelPoints.js';
import { bestTrialOf, type LabelPointResult, type LabelSweepRun } from './labelSweepRun.js';

const pointTrial = (r: LabelPointResult): TrialRecord | undefined =>
  bestTrialOf(r) ?? (r.search ? r.search.trials[r.search.nearest!] : undefined);

/** One row per point: `*` marks the point in force, `←` the best. */
export function formatLabelSweepTable(run: LabelSweepRun): string {
  const head = [
    '',
    'z_entry',
    'z_exit',
    'M',
    'events',
    'pos',
    'OOS AUC',
    'trials',
    'θ1',
    'θ2',
    'space',
    'score',
    'Sharpe',
    'MaxDD',
    'trades/yr',
    'held-out Sharpe',
    'feasible',
  ];
  const rows = run.points.map((r, p) => {
    const t = pointTrial(r);
    const best = bestTrialOf(r);
    const mark = `${samePoint(r.point, run.inForce) ? '*' : ' '}${run.best?.point === p ? '←' : ' '}`;
    const auc = `${num(r.oosAuc, 3)}${r.degenerateSteps ? ` (${r.degenerateSteps}/${r.steps} degenerate)` : ''}`;
    return [
      mark,
      String(r.point.zEntry),
      String(r.point.zExit),
      String(r.point.maxHoldingBars),
      String(r.events),
      String(r.positives),
      auc,
      String(r.search?.trials.length ?? 0),
      t ? formatTheta(t.theta1) : '-',
      t ? formatTheta(t.theta2) : '-',
      t ? stageName(t.stage) : '-',
      t ? num(t.score, 4) : '-',
      t ? num(t.kpis.sharpe) : '-',
      t ? pct(t.kpis.maxDd) : '-',
      t ? num(t.kpis.tradesPerYear, 1) : '-',
      r.holdoutKpis ? num(r.holdoutKpis.sharpe) : '-',
      r.error ? `not searched: ${r.error}` : best ? 'yes' : `no (nearest; ${t?.reason ?? '-'})`,
    ];
  });
  const left = new Set([0, 10, 16]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) =>
    r
      .map((v, c) => (left.has(c) ? v.padEnd(widths[c]!) : v.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

/** `no feasible θ at any label point (nearest z_entry 1.5, z_exit 0, M 96 with θ1=…, θ2=…; binding: …)` */
function noFeasibleLine(run: LabelSweepRun): string {
  let nearest: { r: LabelPointResult; t: TrialRecord; v: number } | undefined;
  const c = run.constraints;
  const policy = { ddTarget: c.maxDd, tradesMin: c.tradesPerYear };
  for (const r of run.points) {
    const t = r.search ? r.search.trials[r.search.nearest!] : undefined;
    if (!t) continue;
    const v = constraintViolation(t.kpis, policy);
    if (!nearest || v < nearest.v) nearest = { r, t, v };
  }
  if (!nearest) return 'no feasible θ at any label point (no point could be searched)';
  return `no feasible θ at any label point (nearest ${pointText(nearest.r.point)} with ${thetaText(nearest.t)}; binding: ${nearest.t.reason || 'unknown'})`;
}

export interface LabelSweepSummaryExtras {
  notes?: string[];
  outputDir?: string;
}

export function formatLabelSweepSummary(run: LabelSweepRun, extras: LabelSweepSummaryExtras = {}): string {
  const pairs = `${run.pairIds.length} pair${run.pairIds.length === 1 ? '' : 's'} (${run.pairIds.join(', ')})`;
  const lines = (extras.notes ?? []).map((n) => `note: ${n}`);
  const skipped = run.skipped.length
    ? `; ${run.skipped.length} point${run.skipped.length === 1 ? '' : 's'} with z_exit ≥ z_entry skipped`
    : '';
  lines.push(
    `optimize --labels ${run.runId}: ${run.points.length} label points${skipped}, ${pairs}, ${run.timeframe}; selection ${periodText(run.selection)}, holdout ${periodText(run.holdout)} (UTC); ${run.totalTrials} θ trials in all, seed ${run.seed}`,
    'each point: AI1 re-labelled and re-trained walk-forward (OOS predictions only; no model is written), then the θ search of pt optimize',
    formatLabelSweepTable(run),
    `* in force (${pointText(run.inForce)}); ← best feasible score over every point`,
  );
  const best = run.best ? run.points[run.best.point]! : undefined;
  if (best && run.best) {
    const t = best.search!.trials[run.best.trial]!;
    lines.push(
      `best: ${pointText(best.point)} with ${thetaText(t)} from the ${stageName(t.stage)}: score ${num(t.score, 4)}; ${kpiText(t.kpis)}`,
      best.holdoutKpis
        ? `held out ${periodText(run.holdout)}, best point and θ: ${kpiText(best.holdoutKpis)}`
        : `held out ${periodText(run.holdout)}: not run`,
    );
  } else {
    lines.push(noFeasibleLine(run), nothingAppliedLine(run));
  }
  lines.push(dsrLine(run), pboLine(run));
  lines.push(
    'nothing is applied by --labels: to adopt a point, set z_entry, z_exit and max_holding_bars in core_policy.yaml (and exit_rule in backtest_policy.yaml), then pt train and pt optimize --apply',
  );
  if (extras.outputDir)
    lines.push(`points and trials in ${extras.outputDir} (label_sweep.parquet/csv, trials.parquet/csv)`);
  return `${lines.join('\n')}\n`;
}
