// The text pt cv and pt train print: what each kind learns from (rows and positives per pair,
// warnings), the fold layout (counts by role, positives, test and validation spans), per-fold CV
// metrics with mean ± std, and walk-forward OOS metrics.
import { METRIC_COLUMNS, type ModelMetrics } from '../evaluate.js';
import { positivesIn, type KindPlan, type ModelKind } from '../kindPlan.js';
import { kFoldLayouts, planWarnings, walkForwardLayouts, type CvReport, type FoldLayout } from '../runCv.js';

const fmt = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v) ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(4);

const minute = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const span = (s: { start: number; end: number } | undefined): string =>
  s ? `${minute(s.start)}..${minute(s.end)}` : '-';

/** A plain-text table; the first `leftColumns` columns are left-aligned, the rest right-aligned. */
function table(header: string[], rows: string[][], leftColumns = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((c, i) => (i < leftColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The count columns of the fold layout table, in the order of `layoutCells`. */
export const LAYOUT_COLUMNS = [
  'train',
  'valid',
  'test',
  'test purge',
  'embargo',
  'valid purge',
  'valid embargo',
  'pos train',
  'pos valid',
  'pos test',
] as const;

export function layoutCells(f: FoldLayout): string[] {
  const c = f.counts;
  return [
    c.train,
    c.valid,
    c.test,
    c.purged,
    c.embargoed,
    c.valid_purged,
    c.valid_embargoed,
    f.positives.train,
    f.positives.valid,
    f.positives.test,
  ].map(String);
}

/** The fold layout of K-fold folds (`scheme` cv) or walk-forward steps (wf), one row each. */
export function formatFoldLayout(
  kind: ModelKind,
  scheme: 'cv' | 'wf',
  layouts: FoldLayout[],
  o: { purgeBars: number; embargoBars: number },
): string {
  const label = scheme === 'cv' ? 'fold' : 'step';
  const title =
    scheme === 'cv'
      ? `${kind.toUpperCase()} purged ${layouts.length}-fold CV: folds (purge ${o.purgeBars} bars, embargo ${o.embargoBars}; validation = the latest events before the test block, the earliest after it for fold 1)`
      : `${kind.toUpperCase()} walk-forward: ${layouts.length} steps (train ends before the test window; validation = its latest events, purge ${o.purgeBars} bars)`;
  const rows = layouts.map((f) => [
    `${label} ${f.fold}${f.partial ? '*' : ''}`,
    span(f.test),
    span(f.valid),
    ...layoutCells(f),
  ]);
  const head = ['', scheme === 'cv' ? 'test block' : 'test window', 'validation', ...LAYOUT_COLUMNS];
  const note = layouts.some((f) => f.partial) ? '\n  * a last step shorter than wf_step_days' : '';
  return `${title}\n${table(head, rows, 3)}${note}`;
}

/**
 * What a kind learns from, printed before any table: rows (AI1: events) and positives per pair, the
 * pooled total, and warnings — the plan's, and for AI1 fold train sets below `minPositives` positives.
 */
export function formatKindHeader(plan: KindPlan, minPositives: number): string {
  const { data, kind, pairIds } = plan;
  const perPair = pairIds.map((id, p) => {
    let n = 0;
    let pos = 0;
    for (let i = 0; i < data.pair.length; i++)
      if (data.pair[i] === p) {
        n++;
        pos += data.y[i]!;
      }
    return `${id} ${n} (${pos} positive)`;
  });
  let total = 0;
  for (const v of data.y) total += v;
  const what = kind === 'ai1' ? 'events' : 'rows';
  const lines = [
    `${kind.toUpperCase()} ${what}: ${data.y.length} (${total} positive)${pairIds.length > 1 ? `, pooled from ${pairIds.length} pairs` : ''}: ${perPair.join(', ')}`,
  ];
  if (kind === 'ai1') {
    const folds = kFoldLayouts(plan).map((f) => f.positives.train);
    const finalPos = positivesIn(data.y, plan.final.train);
    const all = [...folds, finalPos];
    const least = Math.min(...all);
    if (least < minPositives) {
      const range = folds.length ? `${Math.min(...folds)}–${Math.max(...folds)}` : '-';
      lines.push(
        `warning AI1_FEW_POSITIVES: AI1 fold train sets hold ${range} positive events, the final fit ${finalPos}; below retrain_policy.ai1_min_positives ${minPositives}, so its AUC and calibration rest on too few cases`,
      );
    }
  }
  for (const w of planWarnings(plan)) lines.push(`warning ${w}`);
  return lines.join('\n');
}

export function formatCv(report: CvReport): string {
  const keys = METRIC_COLUMNS[report.kind];
  const rows = report.folds.map((f) => [
    `fold ${f.fold}`,
    ...keys.map((k) => fmt(f.metrics[k] as number)),
    f.degenerate.degenerate ? f.degenerate.reasons.join(',') : 'ok',
  ]);
  // Counts get one decimal in the mean row; metrics keep four.
  const pm = (k: string, v: number) =>
    k === 'n' || k === 'positives' ? (Number.isFinite(v) ? v.toFixed(1) : '-') : fmt(v);
  const degenerate = report.folds.filter((f) => f.degenerate.degenerate).length;
  rows.push([
    'mean ± std',
    ...keys.map((k) => `${pm(k, report.summary[k]!.mean)} ± ${pm(k, report.summary[k]!.std)}`),
    degenerate ? `${degenerate} degenerate` : '',
  ]);
  return `${report.kind.toUpperCase()} purged ${report.folds.length}-fold CV: metrics on each test block\n${table(['', ...keys, 'model'], rows)}`;
}

export function formatOos(kind: ModelKind, steps: number, m: ModelMetrics, degenerateSteps = 0): string {
  const keys = METRIC_COLUMNS[kind];
  const degenerate = degenerateSteps ? `, ${degenerateSteps} with a degenerate model` : '';
  return `${kind.toUpperCase()} walk-forward OOS (${steps} steps${degenerate})\n${table(['', ...keys], [['oos', ...keys.map((k) => fmt(m[k] as number))]])}`;
}

/**
 * Everything known before the first fit, kinds in order: each kind's header (rows and positives per
 * pair, warnings), then each kind's K-fold layout and, with `walkForward`, its walk-forward layout.
 */
export function formatPlans(plans: readonly KindPlan[], minPositives: number, walkForward: boolean): string {
  const parts = plans.map((p) => formatKindHeader(p, minPositives));
  for (const p of plans) {
    parts.push(formatFoldLayout(p.kind, 'cv', kFoldLayouts(p), p.options.kFold));
    if (walkForward) parts.push(formatFoldLayout(p.kind, 'wf', walkForwardLayouts(p), p.options.kFold));
  }
  return parts.join('\n\n');
}
