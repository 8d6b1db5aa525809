// Probability calibration (SPEC §5: isotonic, pool-adjacent-violators, fitted on the validation fold).
export { fitIsotonic } from './fitIsotonic.js';
export { applyIsotonic, applyIsotonicAll } from './applyIsotonic.js';
export { IsotonicCalibrator } from './isotonicCalibrator.js';
export { checkIsotonicTable, isotonicTableFromJson, isotonicTableToJson } from './isotonicTable.js';
export type { IsotonicTable, IsotonicTableJson } from './isotonicTable.js';
