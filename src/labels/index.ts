// Public API of the labels layer: AI1 events, AI2 risk labels and class weights (SPEC §3).
export { buildAi1Events, type Ai1Result, type Ai1Counts } from './ai1Events.js';
export { buildAi2Risk, type Ai2Result, type Ai2Counts } from './ai2Risk.js';
export { baselineRuleEquity, type BaselineRuleEquity } from './baselineRuleEquity.js';
export { classWeights, type ClassWeights } from './classWeights.js';
export {
  Ai1EventMachine,
  EVENT_NONE,
  EVENT_STARTED,
  EVENT_SUPPRESSED,
  EVENT_SPEED_EXCLUDED,
  EVENT_OUTCOME_NAMES,
  type Ai1EventParams,
  type Ai1EventSnapshot,
  type EventOutcome,
} from './ai1EventMachine.js';
export { ai1EventParamsFrom } from './ai1Events.js';
export { checkLabelInputs, type LabelInputs } from './labelInputs.js';
export { labelParamsFrom, checkLabelParams, type LabelParams, type RiskThresholds } from './labelParams.js';
export { RollingMaxDeque } from '../features/rollingMaxDeque.js';
export { labelInputsFromFeatures } from './labelInputsFromFeatures.js';
