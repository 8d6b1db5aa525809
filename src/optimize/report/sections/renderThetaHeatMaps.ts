// θ1 × θ2 heat maps of score and of trades/yr for the seed grid and the quantile grid: infeasible cells
// hatched, the chosen cell outlined, a cell where no trial ran left grey.
import { escapeHtml } from '../../../backtest/report/escapeHtml.js';
import { divergingColor, textColorFor } from '../../../backtest/report/svg/divergingColor.js';
import { heatMapGrid, type HeatCell } from '../../../backtest/report/svg/heatMapGrid.js';
import type { OptimizeRun, TrialRecord } from '../../optimizeRun.js';
import { formatTheta, num, pct, spaceText, stageName } from '../../summaryLines.js';
import { gridTrials } from '../gridTrials.js';

const CW = 54;
const CH = 24;
const LW = 62;
const HH = 24;

interface Measure {
  key: 'score' | 'trades';
  title: string;
  value: (t: TrialRecord) => number;
  text: (v: number) => string;
  /** Colour centre: values above it are green, below red. */
  centre: number;
}

function measures(run: OptimizeRun): Measure[] {
  const tradesMin = run.constraints?.tradesPerYear;
  return [
    { key: 'score', title: 'score (SPEC §6, higher is better)', value: (t) => t.score, text: (v) => num(v), centre: 0 },
    {
      key: 'trades',
      title:
        tradesMin === undefined
          ? 'trades per year'
          : `trades per year (red below the minimum ${tradesMin}, green above)`,
      value: (t) => t.kpis.tradesPerYear,
      text: (v) => num(v, 0),
      centre: tradesMin ?? 0,
    },
  ];
}

function heatMap(run: OptimizeRun, grid: 'seed' | 'quantile', m: Measure): string {
  const axes = run.grids[grid];
  const stage = grid === 'seed' ? 'seed_grid' : 'quantile_grid';
  const cells = gridTrials(run, stage, axes);
  const n2 = axes.theta2.length;
  // θ2 grows upwards, as on a plot.
  const rowOf = (i2: number) => n2 - 1 - i2;
  const feasibleValues = cells
    .map((c) => (c.trial === undefined ? NaN : run.trials[c.trial]!.feasible ? m.value(run.trials[c.trial]!) : NaN))
    .filter(Number.isFinite);
  const allValues = cells
    .map((c) => (c.trial === undefined ? NaN : m.value(run.trials[c.trial]!)))
    .filter(Number.isFinite);
  // Scale to the feasible cells when there are any, so one far-off infeasible score does not wash out the rest.
  const basis = feasibleValues.length ? feasibleValues : allValues;
  const extent = Math.max(1e-12, ...basis.map((v) => Math.abs(v - m.centre)));
  const id = `hatch-${grid}-${m.key}`;
  let chosen = '';
  const hatches: string[] = [];
  const heat: HeatCell[] = cells.map((c) => {
    const row = rowOf(c.i2);
    const attrs: Record<string, string> = {
      'data-grid': grid,
      'data-theta1': String(axes.theta1[c.i1]),
      'data-theta2': String(axes.theta2[c.i2]),
    };
    if (c.trial === undefined)
      return {
        row,
        col: c.i1,
        fill: divergingColor(NaN, 1),
        text: '·',
        attrs: { ...attrs, 'data-missing': '1' },
        title: 'no trial ran here',
      };
    const t = run.trials[c.trial]!;
    const v = m.value(t);
    const x = LW + CW * c.i1;
    const y = HH + CH * row;
    if (!t.feasible)
      hatches.push(`<rect x="${x + 1}" y="${y + 1}" width="${CW - 2}" height="${CH - 2}" rx="3" fill="url(#${id})"/>`);
    if (run.best === c.trial)
      chosen = `<rect class="chosen-outline" x="${x + 1.5}" y="${y + 1.5}" width="${CW - 3}" height="${CH - 3}" rx="3"/>`;
    else if (run.best === undefined && run.nearest === c.trial)
      chosen = `<rect class="nearest-outline" x="${x + 1.5}" y="${y + 1.5}" width="${CW - 3}" height="${CH - 3}" rx="3"/>`;
    attrs['data-trial'] = String(t.index);
    attrs['data-feasible'] = t.feasible ? '1' : '0';
    if (run.best === c.trial) attrs['data-chosen'] = '1';
    if (run.best === undefined && run.nearest === c.trial) attrs['data-nearest'] = '1';
    return {
      row,
      col: c.i1,
      fill: divergingColor(v - m.centre, extent),
      textFill: textColorFor(v - m.centre, extent),
      text: m.text(v),
      attrs,
      title: `trial ${t.index}: θ1=${formatTheta(t.theta1)}, θ2=${formatTheta(t.theta2)}; score ${num(t.score, 4)}, Sharpe ${num(t.kpis.sharpe)}, MaxDD ${pct(t.kpis.maxDd)}, trades/yr ${num(t.kpis.tradesPerYear, 1)}${t.feasible ? '' : `; infeasible: ${t.reason}`}${run.best === c.trial ? '; chosen' : ''}${run.best === undefined && run.nearest === c.trial ? '; nearest to feasible' : ''}`,
    };
  });
  const svg = heatMapGrid({
    rowLabels: axes.theta2.map((_, i2) => formatTheta(axes.theta2[n2 - 1 - i2]!)),
    colLabels: axes.theta1.map(formatTheta),
    cells: heat,
    cellWidth: CW,
    cellHeight: CH,
    labelWidth: LW,
    headerHeight: HH,
    ariaLabel: `${stageName(stage)} heat map of ${m.key}`,
  });
  // Hatching sits over the colour (translucent, so the value stays readable); the outline over everything.
  const defs = `<defs><pattern id="${id}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="1" y1="0" x2="1" y2="6" stroke="#222" stroke-width="1.3" stroke-opacity=".5"/><line x1="4" y1="0" x2="4" y2="6" stroke="#fff" stroke-width="1.1" stroke-opacity=".55"/></pattern></defs>`;
  const withOverlay = svg.replace(/<\/svg>$/, `${defs}${hatches.join('')}${chosen}</svg>`);
  return `<figure><figcaption>${escapeHtml(m.title)}</figcaption>${withOverlay}</figure>`;
}

function gridSection(run: OptimizeRun, grid: 'seed' | 'quantile'): string {
  const axes = run.grids[grid];
  const name = grid === 'seed' ? 'Seed grid' : 'Quantile grid';
  const about =
    grid === 'seed'
      ? 'θ1 and θ2 over the seed ranges at their step.'
      : 'θ1 at quantiles of the out-of-sample return_prob, θ2 at quantiles of risk_score (50th–99th percentile).';
  if (axes.theta1.length === 0 || axes.theta2.length === 0)
    return `<section><h2>${name}</h2><p class="none">No ${escapeHtml(name.toLowerCase())}: empty axes.</p></section>`;
  const caption = `${about} Columns: θ1 (AI1 return_prob entry threshold, probability); rows: θ2 (AI2 risk_score entry ceiling, probability), growing upwards. ${axes.theta1.length} × ${axes.theta2.length} cells. Hatched: infeasible (a hard constraint fails); outlined: the chosen θ (dashed: the trial nearest to feasible when none is); grey “·”: no trial ran. Hover a cell for its KPIs.`;
  const best = run.best === undefined ? undefined : run.trials[run.best];
  const elsewhere =
    best && best.stage !== (grid === 'seed' ? 'seed_grid' : 'quantile_grid')
      ? `<p class="note">${escapeHtml(`The chosen θ (θ1=${formatTheta(best.theta1)}, θ2=${formatTheta(best.theta2)}) came from ${spaceText(best.stage)}, so no cell here is outlined.`)}</p>`
      : '';
  return `<section class="grid-section" data-grid="${grid}"><h2>${name}</h2><p class="caption">${escapeHtml(caption)}</p>${elsewhere}<div class="grids">${measures(
    run,
  )
    .map((m) => heatMap(run, grid, m))
    .join('')}</div></section>`;
}

export function renderThetaHeatMaps(run: OptimizeRun): string {
  return [gridSection(run, 'seed'), gridSection(run, 'quantile')].join('\n');
}
