// Renders a backtest run as one self-contained HTML document (inline CSS and SVG, no network access).
import { htmlDocument } from './htmlDocument.js';
import type { ReportData } from './reportData.js';
import { REPORT_STYLES } from './reportStyles.js';
import { renderEquityCharts } from './sections/renderEquityCharts.js';
import { renderHeader } from './sections/renderHeader.js';
import { renderKpiTable } from './sections/renderKpiTable.js';
import { renderMonthlyHeatMap } from './sections/renderMonthlyHeatMap.js';
import { renderPairsTable } from './sections/renderPairsTable.js';
import { renderStressTable } from './sections/renderStressTable.js';
import { renderTradesTable } from './sections/renderTradesTable.js';
import { renderCostTable } from './sections/renderCostTable.js';
import { renderVerdicts } from './sections/renderVerdicts.js';

export function renderBacktestReport(data: ReportData): string {
  const body = [
    renderHeader(data),
    renderVerdicts(data),
    renderKpiTable(data),
    renderCostTable(data),
    renderEquityCharts(data),
    renderMonthlyHeatMap(data),
    renderPairsTable(data),
    renderStressTable(data),
    renderTradesTable(data),
  ].join('\n');
  return htmlDocument(data.title, REPORT_STYLES, body);
}
