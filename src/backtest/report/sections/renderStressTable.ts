// Stress-scenario table: Sharpe, max drawdown and annual return per scenario and pair.
import { formatFixed, formatPercent } from '../formatNumber.js';
import type { ReportData, ReportStressRow } from '../reportData.js';
import { renderTable, signClass, type Column } from './renderTable.js';

const COLUMNS: Array<Column<ReportStressRow>> = [
  { header: 'Scenario', cell: (r) => r.scenario },
  { header: 'Pair', cell: (r) => r.pairId },
  { header: 'Sharpe', cell: (r) => formatFixed(r.sharpe, 2), numeric: true },
  { header: 'Max DD', cell: (r) => formatPercent(r.maxDd, 2), numeric: true },
  {
    header: 'Annual return',
    cell: (r) => formatPercent(r.annReturn, 2),
    numeric: true,
    cls: (r) => signClass(r.annReturn),
  },
  { header: 'Notes', cell: (r) => r.notes },
];

export function renderStressTable(d: ReportData): string {
  if (d.stress.length === 0)
    return '<section><h2>Stress scenarios</h2><p class="none">No stress scenarios: none.</p></section>';
  return `<section><h2>Stress scenarios</h2>${renderTable(d.stress, COLUMNS, 'stress')}</section>`;
}
