// The report's first section: the run, the chosen θ (or the no-feasible line), its KPIs on the selection
// and held-out periods, the Deflated Sharpe and PBO lines, and the Pareto set as a table.
import { escapeHtml } from '../../../backtest/report/escapeHtml.js';
import { renderTable, type Column } from '../../../backtest/report/sections/renderTable.js';
import type { OptimizeRun, TrialKpis, TrialRecord } from '../../optimizeRun.js';
import {
  chosenLine,
  dsrLine,
  formatTheta,
  noFeasibleLine,
  nothingAppliedLine,
  num,
  pboLine,
  pct,
  periodText,
  stageName,
  trialCountText,
} from '../../summaryLines.js';

function header(run: OptimizeRun): string {
  const c = run.constraints;
  const rows: Array<[string, string]> = [
    ['Run id', run.runId],
    ['Model version', run.modelVersion],
    ['Pairs', run.pairIds.join(', ')],
    ['Timeframe', run.timeframe],
    ['Selection (UTC)', periodText(run.selection)],
    ['Holdout (UTC)', periodText(run.holdout)],
    ['Trials', trialCountText(run)],
    ['Seed', String(run.seed)],
    ...(c
      ? [['Hard constraints', `MaxDD ≤ ${pct(c.maxDd, 0)}, trades/yr ≥ ${c.tradesPerYear}`] as [string, string]]
      : []),
  ];
  return `<header><h1>${escapeHtml(`Optimise ${run.modelVersion} ${run.timeframe}`)}</h1><dl class="meta">${rows
    .map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`)
    .join('')}</dl></header>`;
}

function kpiTable(chosen: TrialRecord, holdout: TrialKpis | undefined): string {
  const rows: Array<[string, (k: TrialKpis) => string]> = [
    ['annual return', (k) => pct(k.annualReturn)],
    ['Sharpe (daily ×√252)', (k) => num(k.sharpe)],
    ['max drawdown', (k) => pct(k.maxDd)],
    ['trades / year', (k) => num(k.tradesPerYear, 1)],
    ['AI2 false-stop rate', (k) => pct(k.fpRateAi2)],
    ['trades', (k) => String(k.trades)],
  ];
  const cols: Array<Column<[string, (k: TrialKpis) => string]>> = [
    { header: 'KPI', cell: (r) => r[0] },
    { header: 'selection', cell: (r) => r[1](chosen.kpis), numeric: true },
    { header: 'held out', cell: (r) => (holdout ? r[1](holdout) : '—'), numeric: true },
  ];
  return renderTable(rows, cols, 'kpis');
}

function paretoTable(run: OptimizeRun): string {
  const rows = run.pareto.filter((i) => run.trials[i] !== undefined);
  if (rows.length === 0) return '<p class="none">Pareto set: empty.</p>';
  const t = (i: number) => run.trials[i]!;
  const cols: Array<Column<number>> = [
    { header: 'trial', cell: (i) => String(t(i).index), numeric: true },
    { header: 'space', cell: (i) => stageName(t(i).stage) },
    { header: 'θ1', cell: (i) => formatTheta(t(i).theta1), numeric: true },
    { header: 'θ2', cell: (i) => formatTheta(t(i).theta2), numeric: true },
    { header: 'Sharpe', cell: (i) => num(t(i).kpis.sharpe), numeric: true },
    { header: 'MaxDD', cell: (i) => pct(t(i).kpis.maxDd), numeric: true },
    { header: 'trades/yr', cell: (i) => num(t(i).kpis.tradesPerYear, 1), numeric: true },
    { header: 'score', cell: (i) => num(t(i).score, 4), numeric: true },
    { header: 'feasible', cell: (i) => (t(i).feasible ? 'yes' : `no: ${t(i).reason}`) },
    { header: '', cell: (i) => (run.best === i ? 'chosen' : '') },
  ];
  return `<h2>Pareto set (Sharpe ↑, MaxDD ↓)</h2><div class="scroll">${renderTable(rows, cols, 'pareto')}</div>`;
}

export function renderOptimizeSummary(run: OptimizeRun): string {
  const chosen = run.best === undefined ? undefined : run.trials[run.best];
  const headline = chosen
    ? `<p class="headline">${escapeHtml(chosenLine(run)!)}</p>${kpiTable(chosen, run.holdoutKpis)}`
    : `<p class="headline none-feasible">${escapeHtml(noFeasibleLine(run))}</p><p class="note">${escapeHtml(nothingAppliedLine(run))}</p>`;
  const holdout = chosen
    ? `<p class="caption">${escapeHtml(`Held out from θ selection: ${periodText(run.holdout)}, the last 20 % of the out-of-sample period; the final test of the chosen θ.`)}</p>`
    : '';
  const stats = `<ul class="stats"><li>${escapeHtml(dsrLine(run))}</li><li>${escapeHtml(pboLine(run))}</li></ul>`;
  return `${header(run)}<section><h2>Result</h2>${headline}${holdout}<h2>Multiple testing</h2>${stats}</section><section>${paretoTable(run)}</section>`;
}
