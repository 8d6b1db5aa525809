// Monthly returns heat map: one row per year, one column per month, diverging colours, values in cells.
import { divergingColor, textColorFor } from '../svg/divergingColor.js';
import { escapeHtml } from '../escapeHtml.js';
import { formatPercent } from '../formatNumber.js';
import type { ReportData } from '../reportData.js';
import { heatMapGrid, type HeatCell } from '../svg/heatMapGrid.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function renderMonthlyHeatMap(d: ReportData): string {
  const valid = d.monthlyReturns.filter((m) => /^\d{4}-(0[1-9]|1[0-2])$/.test(m.month));
  const skipped = d.monthlyReturns.length - valid.length;
  if (valid.length === 0)
    return '<section><h2>Monthly returns</h2><p class="none">No monthly returns: none.</p></section>';
  const years = [...new Set(valid.map((m) => Number(m.month.slice(0, 4))))].sort((a, b) => a - b);
  const extent = Math.max(1e-12, ...valid.map((m) => (Number.isFinite(m.ret) ? Math.abs(m.ret) : 0)));
  const cells: HeatCell[] = valid.map((m) => ({
    row: years.indexOf(Number(m.month.slice(0, 4))),
    col: Number(m.month.slice(5, 7)) - 1,
    fill: divergingColor(m.ret, extent),
    textFill: textColorFor(m.ret, extent),
    text: formatPercent(m.ret, 1),
    title: `${m.month}: ${formatPercent(m.ret, 2)}`,
    attrs: { 'data-month': m.month, 'data-ret': String(m.ret) },
  }));
  // Compounded year totals in a 13th column.
  years.forEach((y, row) => {
    const rets = valid.filter((m) => m.month.startsWith(`${y}-`) && Number.isFinite(m.ret)).map((m) => m.ret);
    const total = rets.reduce((acc, r) => acc * (1 + r), 1) - 1;
    cells.push({
      row,
      col: 12,
      fill: divergingColor(total, Math.max(extent, Math.abs(total))),
      textFill: textColorFor(total, Math.max(extent, Math.abs(total))),
      text: formatPercent(total, 1),
      title: `${y} compounded: ${formatPercent(total, 2)}`,
      attrs: { 'data-year-total': String(y) },
    });
  });
  const svg = heatMapGrid({
    rowLabels: years.map(String),
    colLabels: [...MONTHS, 'Year'],
    cells,
    ariaLabel: 'monthly returns heat map',
  });
  const note =
    skipped > 0
      ? `<p class="note">${escapeHtml(`${skipped} row(s) with a month not in YYYY-MM form left out.`)}</p>`
      : '';
  return `<section><h2>Monthly returns</h2>${svg}${note}</section>`;
}
