// The text pt optimize prints: the run line, the chosen θ (or the one no-feasible line), the Pareto set,
// the held-out result, the Deflated Sharpe and PBO lines, and where the outputs went.
import type { OptimizeRun } from './optimizeRun.js';
import {
  chosenLine,
  dsrLine,
  formatTheta,
  headerLine,
  holdoutLine,
  noFeasibleLine,
  nothingAppliedLine,
  num,
  pboLine,
  pct,
  stageName,
} from './summaryLines.js';

export interface OptimizeSummaryExtras {
  /** Printed first, one `note: …` line each. */
  notes?: string[];
  /** What the apply step did (applied or held, and why); printed after the statistics. */
  applied?: string;
  /** Where trials.parquet/csv and report.html went. */
  outputDir?: string;
  reportPath?: string;
}

/** Rows of the printed Pareto table; trials.csv and report.html have all (`pareto` = 1). */
export const MAX_PARETO_ROWS = 12;

/** The Pareto set as a small fixed-width table, in the order given (best Sharpe first). */
export function formatParetoTable(run: OptimizeRun): string {
  const members = run.pareto.filter((i) => run.trials[i] !== undefined);
  const rows = members
    .slice(0, MAX_PARETO_ROWS)
    .map((i) => [i, run.trials[i]!] as const)
    .map(([i, t]) => [
      String(t.index),
      stageName(t.stage),
      formatTheta(t.theta1),
      formatTheta(t.theta2),
      num(t.kpis.sharpe),
      pct(t.kpis.maxDd),
      num(t.kpis.tradesPerYear, 1),
      num(t.score, 4),
      t.feasible ? 'yes' : `no: ${t.reason}`,
      run.best === i ? '← chosen' : '',
    ]);
  const head = ['trial', 'stage', 'θ1', 'θ2', 'Sharpe', 'MaxDD', 'trades/yr', 'score', 'feasible', ''];
  const left = new Set([1, 8, 9]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) =>
    `  ${r.map((v, c) => (left.has(c) ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ')}`.trimEnd();
  return [
    `Pareto set (Sharpe ↑, MaxDD ↓): ${members.length} trial${members.length === 1 ? '' : 's'}`,
    ...(rows.length ? [line(head), ...rows.map(line)] : []),
    ...(members.length > rows.length ? [`  … ${members.length - rows.length} more in trials.csv (pareto = 1)`] : []),
  ].join('\n');
}

/** Everything pt optimize prints after a run, ending with a newline. */
export function formatOptimizeSummary(run: OptimizeRun, extras: OptimizeSummaryExtras = {}): string {
  const lines = (extras.notes ?? []).map((n) => `note: ${n}`);
  lines.push(headerLine(run));
  const chosen = chosenLine(run);
  if (chosen === undefined) lines.push(noFeasibleLine(run), nothingAppliedLine(run));
  else lines.push(chosen);
  lines.push(formatParetoTable(run), holdoutLine(run), dsrLine(run), pboLine(run));
  if (chosen !== undefined && extras.applied) lines.push(extras.applied);
  if (extras.outputDir) lines.push(`trials in ${extras.outputDir} (trials.parquet, trials.csv)`);
  if (extras.reportPath) lines.push(`report ${extras.reportPath}`);
  return `${lines.join('\n')}\n`;
}
