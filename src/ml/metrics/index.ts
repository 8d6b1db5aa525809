// Evaluation metrics of AI1 and AI2 (SPEC §4).
export { auc } from './auc.js';
export { averagePrecision } from './averagePrecision.js';
export { brier } from './brier.js';
export { ece, eceBin } from './ece.js';
export { logLoss } from './logLoss.js';
export { weightedF1AtPositive } from './weightedF1AtPositive.js';
export { recallInBand } from './recallInBand.js';
export { checkLabels, checkProbabilities, checkScores, checkWeights } from './checkMetricInputs.js';
