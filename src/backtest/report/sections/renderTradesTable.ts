// Trades table, capped at MAX_TRADE_ROWS rows with a note saying how many were left out.
import { escapeHtml } from '../escapeHtml.js';
import { formatFixed, formatPercent, formatUsd } from '../formatNumber.js';
import type { ReportData, ReportTradeRow } from '../reportData.js';
import { renderTable, signClass, type Column } from './renderTable.js';

export const MAX_TRADE_ROWS = 2000;

const COLUMNS: Array<Column<ReportTradeRow>> = [
  { header: 'Trade', cell: (r) => r.tradeId },
  { header: 'Pair', cell: (r) => r.pairId },
  { header: 'Side', cell: (r) => r.side },
  { header: 'Entry (UTC)', cell: (r) => r.tsEntry },
  { header: 'Exit (UTC)', cell: (r) => r.tsExit },
  { header: 'P&L (USD)', cell: (r) => formatUsd(r.pnlUsd), numeric: true, cls: (r) => signClass(r.pnlUsd) },
  { header: 'z entry', cell: (r) => formatFixed(r.zEntry, 2), numeric: true },
  { header: 'z exit', cell: (r) => formatFixed(r.zExit, 2), numeric: true },
  { header: 'Return prob', cell: (r) => formatPercent(r.returnProb, 1), numeric: true },
  { header: 'Risk score', cell: (r) => formatFixed(r.riskScore, 3), numeric: true },
];

export function renderTradesTable(d: ReportData): string {
  const n = d.trades.length;
  if (n === 0) return '<section><h2>Trades</h2><p class="none">No trades: none.</p></section>';
  const shown = d.trades.slice(0, MAX_TRADE_ROWS);
  const note =
    n > MAX_TRADE_ROWS
      ? `<p class="note">${escapeHtml(`Showing the first ${formatFixed(MAX_TRADE_ROWS, 0)} of ${formatFixed(n, 0)} trades; the full list is in bt_trades.`)}</p>`
      : `<p class="caption">${escapeHtml(`${formatFixed(n, 0)} trade${n === 1 ? '' : 's'}`)}</p>`;
  return `<section><h2>Trades</h2>${note}<div class="scroll">${renderTable(shown, COLUMNS, 'trades')}</div></section>`;
}
