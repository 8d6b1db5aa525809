// The optimise run's report.html (SPEC §6 outputs).
export { renderOptimizeReport } from './renderOptimizeReport.js';
export { gridTrials, type GridCellTrial } from './gridTrials.js';
export { bestSoFar } from './sections/renderTrialHistory.js';
