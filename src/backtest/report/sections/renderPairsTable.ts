// Per-pair table: trades, win rate, P&L, Sharpe, max drawdown and the share of bars in each DD level of each pair.
import { formatFixed, formatPercent, formatUsd } from '../formatNumber.js';
import type { ReportData, ReportPairRow } from '../reportData.js';
import { renderTable, signClass, type Column } from './renderTable.js';

const COLUMNS: Array<Column<ReportPairRow>> = [
  { header: 'Pair', cell: (r) => r.pairId },
  { header: 'Trades', cell: (r) => formatFixed(r.trades, 0), numeric: true },
  { header: 'Win rate', cell: (r) => formatPercent(r.winRate, 1), numeric: true },
  { header: 'P&L (USD)', cell: (r) => formatUsd(r.pnlUsd), numeric: true, cls: (r) => signClass(r.pnlUsd) },
  { header: 'Sharpe', cell: (r) => formatFixed(r.sharpe, 2), numeric: true },
  { header: 'Max DD', cell: (r) => formatPercent(r.maxDd, 2), numeric: true },
  { header: 'Bars in DD warn', cell: (r) => (r.ddShares ? formatPercent(r.ddShares.warn, 1) : '–'), numeric: true },
  { header: 'halt', cell: (r) => (r.ddShares ? formatPercent(r.ddShares.halt, 1) : '–'), numeric: true },
  { header: 'flatten', cell: (r) => (r.ddShares ? formatPercent(r.ddShares.flatten, 1) : '–'), numeric: true },
];

export function renderPairsTable(d: ReportData): string {
  if (d.pairs.length === 0) return '<section><h2>Pairs</h2><p class="none">No pairs: none.</p></section>';
  return `<section><h2>Pairs</h2>${renderTable(d.pairs, COLUMNS, 'pairs')}</section>`;
}
