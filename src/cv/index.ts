// Time-series cross-validation splitters returning sample index sets (SPEC §4).
export { purgedKFold, checkKFoldOptions } from './purgedKFold.js';
export type { PurgedFold, PurgedKFoldOptions, PurgedKFoldResult } from './purgedKFold.js';
export { walkForward, checkWalkForwardOptions } from './walkForward.js';
export type { WalkForwardOptions, WalkForwardResult, WalkForwardStep } from './walkForward.js';
export { kFoldBlocks } from './kFoldBlocks.js';
export type { BarBlock, KFoldBlocks } from './kFoldBlocks.js';
export { splitValidation } from './splitValidation.js';
export type { ValidationOptions, ValidationSplit } from './splitValidation.js';
export { barIndexAtOrBefore, checkTimeline, indicesWhere, sampleBars } from './eventSamples.js';
export type { EventSamples, SampleBars } from './eventSamples.js';
export { cvOptionsFrom } from './cvOptionsFrom.js';
export type { CvOptions } from './cvOptionsFrom.js';
export { FOLD_ROLE, FOLD_ROLE_NAMES, countRoles } from './foldRoles.js';
export type { FoldRole, FoldRoleCounts } from './foldRoles.js';
