// Gross vs net: the cost-sensitivity table, the break-even cost per round trip and the lot-sizing skips.
import { escapeHtml } from '../escapeHtml.js';
import { formatFixed, formatPercent, formatUsd } from '../formatNumber.js';
import type { ReportCostRow, ReportData } from '../reportData.js';
import { renderTable, signClass, type Column } from './renderTable.js';

const COLUMNS: Array<Column<ReportCostRow>> = [
  { header: 'Cost table ×', cell: (r) => (r.scale === 0 ? '0 (gross)' : formatFixed(r.scale, 2)), numeric: true },
  { header: 'Sharpe', cell: (r) => formatFixed(r.sharpe, 2), numeric: true },
  {
    header: 'Annual return',
    cell: (r) => formatPercent(r.annualReturn, 2),
    numeric: true,
    cls: (r) => signClass(r.annualReturn),
  },
  { header: 'Max DD', cell: (r) => formatPercent(r.maxDrawdown, 2), numeric: true },
  { header: 'Trade P&L', cell: (r) => formatUsd(r.pnlUsd), numeric: true, cls: (r) => signClass(r.pnlUsd) },
];

export function renderCostTable(d: ReportData): string {
  const c = d.costs;
  if (!c) return '';
  const skips = Object.entries(c.sizing.reasons)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const notes = [
    `Break-even cost: ${formatFixed(c.breakEvenBps, 2)} bps per round trip of both legs' entry notional; the cost table at 1× costs ${formatFixed(c.costBps, 2)} bps.`,
    `Lot sizing skipped ${c.sizing.skipped} of ${c.sizing.attempted} entries (${formatPercent(c.sizing.rate, 1)})${skips ? `: ${skips}` : ''}.`,
    'Each row re-runs only the accounting on the same decisions with the whole cost table (commission, spread, slippage, swaps) scaled; the decisions, DD policy included, are those of the 1× run.',
  ];
  return `<section><h2>Gross and net</h2>${renderTable(c.rows, COLUMNS, 'costs')}${notes.map((n) => `<p class="caption">${escapeHtml(n)}</p>`).join('')}</section>`;
}
