// Renders an optimise run as one self-contained HTML document (inline CSS and SVG, no scripts, no network),
// with the backtest report's styles and plotting helpers.
import { htmlDocument } from '../../backtest/report/htmlDocument.js';
import { REPORT_STYLES } from '../../backtest/report/reportStyles.js';
import type { OptimizeRun } from '../optimizeRun.js';
import { OPTIMIZE_REPORT_STYLES } from './optimizeReportStyles.js';
import { renderOptimizeSummary } from './sections/renderOptimizeSummary.js';
import { renderParetoScatter } from './sections/renderParetoScatter.js';
import { renderThetaHeatMaps } from './sections/renderThetaHeatMaps.js';
import { renderTrialHistory } from './sections/renderTrialHistory.js';

export function renderOptimizeReport(run: OptimizeRun): string {
  const body = [
    renderOptimizeSummary(run),
    renderThetaHeatMaps(run),
    renderParetoScatter(run),
    renderTrialHistory(run),
  ].join('\n');
  return htmlDocument(
    `Optimise ${run.modelVersion} ${run.timeframe} (${run.runId})`,
    `${REPORT_STYLES}${OPTIMIZE_REPORT_STYLES}`,
    body,
  );
}
