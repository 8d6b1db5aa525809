// Equity curve (USD line) and drawdown curve (area below zero, computed from the daily equity).
import { drawdownSeries } from '../drawdownSeries.js';
import { escapeHtml } from '../escapeHtml.js';
import { formatPercent, formatUsd } from '../formatNumber.js';
import type { ReportData } from '../reportData.js';
import { niceDomain } from '../svg/linearScale.js';
import { timeSeriesChart } from '../svg/timeSeriesChart.js';

function usdTick(v: number): string {
  return Math.abs(v) >= 10_000 ? formatUsd(v, 0) : formatUsd(v, Number.isInteger(v) ? 0 : 2);
}

export function renderEquityCharts(d: ReportData): string {
  const { dayMs, equity } = d.dailyEquity;
  const n = Math.min(dayMs.length, equity.length);
  if (n < 2) {
    return (
      '<section><h2>Equity</h2><p class="none">Fewer than two days of equity: none.</p></section>' +
      '<section><h2>Drawdown</h2><p class="none">No drawdown curve: none.</p></section>'
    );
  }
  const xs = dayMs.slice(0, n);
  const ys = equity.slice(0, n);
  const dd = drawdownSeries(ys, d.initialCapitalUsd);
  const minDd = Math.min(0, ...dd.filter(Number.isFinite));
  const ddDomain: [number, number] = minDd < 0 ? [niceDomain(minDd, 0)[0], 0] : [-0.01, 0];
  const equityChart = timeSeriesChart({
    xs,
    ys,
    kind: 'line',
    height: 320,
    yFormat: usdTick,
    className: 'equity',
    ariaLabel: 'equity curve',
  });
  const ddChart = timeSeriesChart({
    xs,
    ys: dd,
    kind: 'area',
    height: 200,
    yDomain: ddDomain,
    baseline: 0,
    yFormat: (v) => formatPercent(v, Math.abs(v * 100 - Math.round(v * 100)) < 1e-9 ? 0 : 1),
    className: 'drawdown',
    ariaLabel: 'drawdown curve',
  });
  const last = ys[n - 1] as number;
  const first = ys[0] as number;
  return (
    `<section><h2>Equity</h2><p class="caption">${escapeHtml(`${formatUsd(first)} → ${formatUsd(last)} over ${n} days`)}</p>${equityChart}</section>` +
    `<section><h2>Drawdown</h2><p class="caption">${escapeHtml(`Deepest: ${formatPercent(minDd)}`)}</p>${ddChart}</section>`
  );
}
