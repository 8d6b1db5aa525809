// Probability calibration (SPEC §5: isotonic, pool-adjacent-violators, fitted on the validation fold).
export { fitIsotonic } from './fitIsotonic.js';
export { applyIsotonic, applyIsotonicAll } from './applyIsotonic.js';
export { IsotonicCalibrator } from './isotonicCalibrator.js';
export { calibrationScores, fitCalibration } from './fitCalibration.js';
export { ISOTONIC_EDGE_TOLERANCE } from './applyIsotonic.js';
export {
  checkIsotonicTable,
  isotonicTableFromJson,
  isotonicTableOnnxDigest,
  isotonicTableToJson,
} from './isotonicTable.js';
export type { IsotonicTable, IsotonicTableJson } from './isotonicTable.js';
