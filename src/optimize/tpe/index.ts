// The TPE sampler (Optuna's algorithm, our code) and its driver; see docs/optimize.md "## TPE".
export { TpeSampler, type TpeOptions } from './tpeSampler.js';
export { runTpe, type RunTpeOptions, type RunTpeResult, type EvaluatedTrial } from './runTpe.js';
export { type TpeParam, type SpaceParam, searchSpace } from './searchSpace.js';
export { type Direction, type TrialOutcome, type TpeTrial, bestTrial, ranksBefore } from './tpeTrial.js';
export { defaultGamma, splitTrials } from './splitTrials.js';
export { ParzenEstimator, bandwidths, defaultWeights } from './parzenEstimator.js';
