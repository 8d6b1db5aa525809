// SPEC §7 stress perturbations: pure functions on an aligned pair or the config, and the scenario list.
export {
  type StressWindow,
  DEFAULT_STRESS_WINDOW_FRACTIONS,
  windowFromFractions,
  defaultStressWindows,
  checkWindows,
  windowMask,
} from './stressWindow.js';
export { clonePair } from './clonePair.js';
export { trueRangeAtr } from './trueRangeAtr.js';
export {
  volatilitySpike,
  VOL_SPIKE_ATR_PERIOD,
  VOL_SPIKE_MIN_PRICE_FRACTION,
  type VolatilitySpikeOptions,
} from './volatilitySpike.js';
export { breakdownWeight } from './breakdownWeight.js';
export { pearson, sampleStdOf, meanOf } from './pearson.js';
export { correlationBreakdown, type CorrelationBreakdownOptions } from './correlationBreakdown.js';
export { gapShock, type GapShockOptions } from './gapShock.js';
export { costIncrease, type CostIncreaseOptions } from './costIncrease.js';
export {
  stressScenarios,
  STRESS_LATENCY_BARS,
  DEFAULT_GAP_FRACTION,
  type StressScenario,
  type StressKind,
  type StressScenarioOptions,
} from './stressScenarios.js';
export { applyStressScenario, type StressedInputs } from './applyStressScenario.js';
export { runStressScenarios, type StressRow, type StressRunInput } from './runStressScenarios.js';
