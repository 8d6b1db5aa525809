// The tables pt cv and pt train print: per-fold CV metrics with mean ± std, and walk-forward OOS metrics.
import { METRIC_COLUMNS, type ModelMetrics } from '../evaluate.js';
import type { CvReport, ModelKind } from '../runCv.js';

const fmt = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v) ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(4);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows]
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
    .join('\n');
}

export function formatCv(report: CvReport): string {
  const keys = METRIC_COLUMNS[report.kind];
  const rows = report.folds.map((f) => [
    `fold ${f.fold}`,
    ...keys.map((k) => fmt(f.metrics[k] as number)),
    String(f.purged),
    String(f.embargoed),
    f.degenerate.degenerate ? f.degenerate.reasons.join(',') : 'ok',
  ]);
  const degenerate = report.folds.filter((f) => f.degenerate.degenerate).length;
  rows.push([
    'mean ± std',
    ...keys.map((k) => `${fmt(report.summary[k]!.mean)} ± ${fmt(report.summary[k]!.std)}`),
    '',
    '',
    degenerate ? `${degenerate} degenerate` : '',
  ]);
  const warn = report.warnings.length ? `\n  warnings: ${report.warnings.join('; ')}` : '';
  return `${report.kind.toUpperCase()} purged ${report.folds.length}-fold CV\n${table(['', ...keys, 'purged', 'embargoed', 'model'], rows)}${warn}`;
}

export function formatOos(kind: ModelKind, steps: number, m: ModelMetrics, degenerateSteps = 0): string {
  const keys = METRIC_COLUMNS[kind];
  const degenerate = degenerateSteps ? `, ${degenerateSteps} with a degenerate model` : '';
  return `${kind.toUpperCase()} walk-forward OOS (${steps} steps${degenerate})\n${table(['', ...keys], [['oos', ...keys.map((k) => fmt(m[k] as number))]])}`;
}
