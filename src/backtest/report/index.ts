// Self-contained HTML backtest report (SPEC §7 outputs) and the hand-written SVG plotting helpers it uses.
export { renderBacktestReport } from './renderBacktestReport.js';
export type {
  ReportData,
  ReportCi,
  ReportVerdict,
  ReportPairRow,
  ReportTradeRow,
  ReportStressRow,
} from './reportData.js';
export { escapeHtml } from './escapeHtml.js';
export { drawdownSeries } from './drawdownSeries.js';
export { formatPercent, formatUsd, formatFixed, formatKpi, isPercentKpi } from './formatNumber.js';
export { MAX_TRADE_ROWS } from './sections/renderTradesTable.js';
export { linearScale, niceDomain, niceStep, type LinearScale } from './svg/linearScale.js';
export { timeScale, type TimeScale, type TimeTick } from './svg/timeScale.js';
export { linePath } from './svg/linePath.js';
export { areaPath } from './svg/areaPath.js';
export { axis, type AxisOptions, type AxisTick } from './svg/axis.js';
export { heatMapGrid, type HeatCell, type HeatMapOptions } from './svg/heatMapGrid.js';
export { divergingColor, textColorFor } from './svg/divergingColor.js';
export {
  timeSeriesChart,
  chartScales,
  DEFAULT_MARGIN,
  type ChartMargin,
  type TimeSeriesChartOptions,
} from './svg/timeSeriesChart.js';
