// The Pareto scatter: Sharpe against MaxDD for every trial (faint), the Pareto set (Sharpe ↑, MaxDD ↓)
// highlighted and joined, the chosen θ ringed, and the MaxDD constraint's infeasible side shaded.
import { escapeHtml } from '../../../backtest/report/escapeHtml.js';
import { svgNumber } from '../../../backtest/report/svg/svgNumber.js';
import type { OptimizeRun } from '../../optimizeRun.js';
import { formatTheta, num, pct, stageName } from '../../summaryLines.js';
import { extentOf, plotFrame } from '../svg/plotFrame.js';

const W = 760;
const H = 400;

export function renderParetoScatter(run: OptimizeRun): string {
  const pts = run.trials
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => Number.isFinite(t.kpis.sharpe) && Number.isFinite(t.kpis.maxDd));
  if (pts.length === 0)
    return '<section><h2>Pareto set</h2><p class="none">No trial has a finite Sharpe and MaxDD.</p></section>';
  const ddLimit = run.constraints?.maxDd;
  const xs = extentOf([...pts.map((p) => p.t.kpis.maxDd * 100), ...(ddLimit === undefined ? [] : [ddLimit * 100])]);
  const f = plotFrame({
    width: W,
    height: H,
    x: [Math.min(0, xs[0]), xs[1]],
    y: extentOf(pts.map((p) => p.t.kpis.sharpe)),
    xTitle: 'max drawdown (% of capital, lower is better)',
    yTitle: 'Sharpe (daily ×√252)',
    xLabel: (v) => `${v}%`,
    yLabel: (v) => String(v),
  });
  const px = (dd: number) => svgNumber(f.x(dd * 100));
  const py = (s: number) => svgNumber(f.y(s));
  const parts = [
    `<svg class="chart pareto" viewBox="0 0 ${W} ${H}" role="img" aria-label="Sharpe against max drawdown of every trial">`,
  ];
  if (ddLimit !== undefined && f.x(ddLimit * 100) < f.right)
    parts.push(
      `<rect class="infeasible-zone" x="${px(ddLimit)}" y="${f.top}" width="${svgNumber(f.right - f.x(ddLimit * 100))}" height="${svgNumber(f.bottom - f.top)}"/>`,
    );
  parts.push(f.svg);
  const tip = (i: number) => {
    const t = run.trials[i]!;
    return `<title>${escapeHtml(`trial ${t.index} (${stageName(t.stage)}): θ1=${formatTheta(t.theta1)}, θ2=${formatTheta(t.theta2)}; Sharpe ${num(t.kpis.sharpe)}, MaxDD ${pct(t.kpis.maxDd)}, score ${num(t.score, 4)}${t.feasible ? '' : `; infeasible: ${t.reason}`}`)}</title>`;
  };
  const pareto = new Set(run.pareto);
  for (const { t, i } of pts)
    if (!pareto.has(i))
      parts.push(
        `<circle class="dot" data-trial="${t.index}" cx="${px(t.kpis.maxDd)}" cy="${py(t.kpis.sharpe)}" r="3">${tip(i)}</circle>`,
      );
  const front = run.pareto
    .map((i) => ({ i, t: run.trials[i] }))
    .filter((p) => p.t && Number.isFinite(p.t.kpis.sharpe) && Number.isFinite(p.t.kpis.maxDd))
    .sort((a, b) => a.t!.kpis.maxDd - b.t!.kpis.maxDd);
  if (front.length > 1)
    parts.push(
      `<path class="pareto-line" d="${front.map((p, k) => `${k ? 'L' : 'M'}${px(p.t!.kpis.maxDd)},${py(p.t!.kpis.sharpe)}`).join(' ')}"/>`,
    );
  for (const { i, t } of front)
    parts.push(
      `<circle class="dot pareto" data-trial="${t!.index}" cx="${px(t!.kpis.maxDd)}" cy="${py(t!.kpis.sharpe)}" r="4.5">${tip(i)}</circle>`,
    );
  const c = run.best === undefined ? undefined : run.trials[run.best];
  if (c && Number.isFinite(c.kpis.sharpe) && Number.isFinite(c.kpis.maxDd)) {
    const cx = f.x(c.kpis.maxDd * 100);
    const cy = f.y(c.kpis.sharpe);
    parts.push(
      `<circle class="chosen-mark" cx="${svgNumber(cx)}" cy="${svgNumber(cy)}" r="9"/>`,
      `<text class="chosen-label" x="${svgNumber(cx + 12)}" y="${svgNumber(cy - 10)}">chosen</text>`,
    );
  }
  parts.push('</svg>');
  const legend = [
    '<span><span class="swatch" style="background:#8a93a3;opacity:.5"></span>trial</span>',
    '<span><span class="swatch" style="background:#1f5fbf"></span>Pareto set</span>',
    c ? '<span><span class="swatch hollow"></span>chosen θ (ringed)</span>' : '',
    ddLimit !== undefined
      ? `<span><span class="swatch" style="background:#c62828;opacity:.25;border-radius:2px"></span>MaxDD above the ${escapeHtml(pct(ddLimit, 0))} limit</span>`
      : '',
  ].join('');
  return `<section><h2>Pareto set (Sharpe ↑, MaxDD ↓)</h2><p class="caption">${escapeHtml(`${run.pareto.length} of ${run.trials.length} trials are on the Pareto front over the selection period; infeasible trials can be on it.`)}</p>${parts.join('')}<div class="legend">${legend}</div></section>`;
}
