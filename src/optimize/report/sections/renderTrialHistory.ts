// The trial history: each trial's score at its index, coloured by search space (hollow when infeasible),
// with the best feasible score so far as a step line.
import { escapeHtml } from '../../../backtest/report/escapeHtml.js';
import { svgNumber } from '../../../backtest/report/svg/svgNumber.js';
import type { OptimizeRun } from '../../optimizeRun.js';
import { formatTheta, num, stageName, STAGES } from '../../summaryLines.js';
import { STAGE_COLORS } from '../stageColors.js';
import { extentOf, plotFrame } from '../svg/plotFrame.js';

const W = 760;
const H = 360;

/** Best feasible score up to and including each trial; NaN before the first feasible one. */
export function bestSoFar(run: OptimizeRun): number[] {
  let best = -Infinity;
  return run.trials.map((t) => {
    if (t.feasible && Number.isFinite(t.score)) best = Math.max(best, t.score);
    return best === -Infinity ? NaN : best;
  });
}

export function renderTrialHistory(run: OptimizeRun): string {
  const trials = run.trials.filter((t) => Number.isFinite(t.score));
  if (trials.length === 0)
    return '<section><h2>Trial history</h2><p class="none">No trial has a finite score.</p></section>';
  const f = plotFrame({
    width: W,
    height: H,
    x: [0, Math.max(1, run.trials.length - 1)],
    y: extentOf(trials.map((t) => t.score)),
    xTitle: 'trial index (run order)',
    yTitle: 'score (annual-return units)',
    xLabel: (v) => String(v),
    yLabel: (v) => String(v),
  });
  const parts = [
    `<svg class="chart history" viewBox="0 0 ${W} ${H}" role="img" aria-label="score of each trial in run order">`,
    f.svg,
  ];
  for (const t of trials) {
    const col = STAGE_COLORS[t.stage];
    const paint = t.feasible ? `fill="${col}"` : `stroke="${col}"`;
    parts.push(
      `<circle class="trial${t.feasible ? '' : ' infeasible'}" data-stage="${t.stage}" cx="${svgNumber(f.x(t.index))}" cy="${svgNumber(f.y(t.score))}" r="3" ${paint}><title>${escapeHtml(`trial ${t.index} (${stageName(t.stage)}): θ1=${formatTheta(t.theta1)}, θ2=${formatTheta(t.theta2)}; score ${num(t.score, 4)}${t.feasible ? '' : `; infeasible: ${t.reason}`}`)}</title></circle>`,
    );
  }
  // A step line: flat until a trial improves on it.
  const best = bestSoFar(run);
  const d: string[] = [];
  let prev = NaN;
  best.forEach((b, i) => {
    if (!Number.isFinite(b)) return;
    const x = svgNumber(f.x(i));
    if (!Number.isFinite(prev)) d.push(`M${x},${svgNumber(f.y(b))}`);
    else if (b !== prev) d.push(`L${x},${svgNumber(f.y(prev))}`, `L${x},${svgNumber(f.y(b))}`);
    else if (i === best.length - 1) d.push(`L${x},${svgNumber(f.y(b))}`);
    prev = b;
  });
  if (d.length) parts.push(`<path class="best-line" d="${d.join(' ')}"/>`);
  parts.push('</svg>');
  const legend = [
    ...STAGES.map(
      (s) =>
        `<span><span class="swatch" style="background:${STAGE_COLORS[s]}"></span>${escapeHtml(stageName(s))}</span>`,
    ),
    '<span><span class="swatch hollow"></span>infeasible</span>',
    '<span><span class="swatch line"></span>best feasible score so far</span>',
  ].join('');
  return `<section><h2>Trial history</h2><p class="caption">${escapeHtml('Score (SPEC §6: annual return minus the drawdown, trade-count and AI2 false-stop penalties) of every trial in the order it ran.')}</p>${parts.join('')}<div class="legend">${legend}</div></section>`;
}
