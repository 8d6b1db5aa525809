// Public surface of the histogram GBDT: train a binary booster, predict with it, read its parameters.
export { trainBooster, type BoosterResult, type GbdtOptions, type GbdtValidSet } from './booster.js';
export { GBDT_DEFAULTS, checkGbdtParams, gbdtOptionsFrom, resolveGbdtParams, type GbdtParams } from './gbdtParams.js';
export { addTreeMargins, predictMargins, predictProba } from './predict.js';
export { fitBinMapper, valueToBin, binColumn, type BinMapper } from './binMapper.js';
export { createObjective, type Objective, type ObjectiveName } from './objective.js';
export { BinaryLogloss, binaryLoglossOf } from './binaryLogloss.js';
