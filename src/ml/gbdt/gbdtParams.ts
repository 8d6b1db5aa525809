// GBDT parameters: the one typed list with defaults and checks, and how they are read from retrain_policy.yaml.
import type { PtConfig } from '../../config/schemas/index.js';

/** Booster hyper-parameters (LightGBM names in brackets). Defaults are retrain_policy.yaml's. */
export interface GbdtParams {
  /** Boosting rounds, the most trees kept [num_boost_round]; default 500. */
  numBoostRound: number;
  /** Shrinkage of every leaf value [learning_rate]; default 0.05. */
  learningRate: number;
  /** Most leaves per tree, ≥ 2 [num_leaves]; default 31. */
  numLeaves: number;
  /** Deepest leaf (root depth 0), −1 for no limit [max_depth]; default −1. */
  maxDepth: number;
  /** Fewest training rows in a leaf, ≥ 1 [min_data_in_leaf]; default 50. */
  minDataInLeaf: number;
  /** Smallest hessian sum in a leaf [min_sum_hessian_in_leaf]; default 1e-3. */
  minSumHessianInLeaf: number;
  /** L2 penalty λ on leaf values [lambda_l2]; default 1. */
  lambdaL2: number;
  /** Share of features drawn for each tree, (0, 1] [feature_fraction]; default 0.9. */
  featureFraction: number;
  /** Share of rows drawn for each bag, (0, 1] [bagging_fraction]; default 0.8. */
  baggingFraction: number;
  /** Redraw the bag every k rounds, 0 for no bagging [bagging_freq]; default 1. */
  baggingFreq: number;
  /** Most histogram bins per feature, NaN bin included, 2..255 [max_bin]; default 255. */
  maxBin: number;
  /** Seed of the feature and bagging draws [seed]; default 42. */
  seed: number;
  /** Stop after this many rounds without a lower validation log-loss [early_stopping_rounds]; default 50. */
  earlyStoppingRounds: number;
}

export const GBDT_DEFAULTS: Readonly<GbdtParams> = Object.freeze({
  numBoostRound: 500,
  learningRate: 0.05,
  numLeaves: 31,
  maxDepth: -1,
  minDataInLeaf: 50,
  minSumHessianInLeaf: 1e-3,
  lambdaL2: 1,
  featureFraction: 0.9,
  baggingFraction: 0.8,
  baggingFreq: 1,
  maxBin: 255,
  seed: 42,
  earlyStoppingRounds: 50,
});

/** Parameters from the typed config: `retrain_policy.gbdt`, `early_stopping_rounds` and `seed`. */
export function gbdtOptionsFrom(config: PtConfig): GbdtParams {
  const r = config.retrain_policy;
  const g = r.gbdt;
  return checkGbdtParams({
    numBoostRound: g.num_boost_round,
    learningRate: g.learning_rate,
    numLeaves: g.num_leaves,
    maxDepth: g.max_depth,
    minDataInLeaf: g.min_data_in_leaf,
    // retrain_policy.yaml does not set it; LightGBM's default.
    minSumHessianInLeaf: GBDT_DEFAULTS.minSumHessianInLeaf,
    lambdaL2: g.lambda_l2,
    featureFraction: g.feature_fraction,
    baggingFraction: g.bagging_fraction,
    baggingFreq: g.bagging_freq,
    maxBin: g.max_bin,
    seed: r.seed,
    earlyStoppingRounds: r.early_stopping_rounds,
  });
}

/** `partial` over the defaults, checked. */
export function resolveGbdtParams(partial: Partial<GbdtParams>): GbdtParams {
  const params = { ...GBDT_DEFAULTS };
  for (const key of Object.keys(GBDT_DEFAULTS) as Array<keyof GbdtParams>) {
    const v = partial[key];
    if (v !== undefined) params[key] = v;
  }
  return checkGbdtParams(params);
}

/** Returns `params` unchanged, or throws a RangeError naming the first out-of-range field. */
export function checkGbdtParams(params: GbdtParams): GbdtParams {
  const isInt = (v: number, min: number): boolean => Number.isInteger(v) && v >= min;
  const bad = (name: keyof GbdtParams): never => {
    throw new RangeError(`invalid GBDT parameter ${name}=${params[name]}`);
  };
  const fraction = (v: number): boolean => v > 0 && v <= 1;
  if (!isInt(params.numBoostRound, 1)) bad('numBoostRound');
  if (!(params.learningRate > 0 && Number.isFinite(params.learningRate))) bad('learningRate');
  if (!isInt(params.numLeaves, 2)) bad('numLeaves');
  if (!(params.maxDepth === -1 || isInt(params.maxDepth, 1))) bad('maxDepth');
  if (!isInt(params.minDataInLeaf, 1)) bad('minDataInLeaf');
  if (!(params.minSumHessianInLeaf >= 0 && Number.isFinite(params.minSumHessianInLeaf))) bad('minSumHessianInLeaf');
  if (!(params.lambdaL2 >= 0 && Number.isFinite(params.lambdaL2))) bad('lambdaL2');
  if (!fraction(params.featureFraction)) bad('featureFraction');
  if (!fraction(params.baggingFraction)) bad('baggingFraction');
  if (!isInt(params.baggingFreq, 0)) bad('baggingFreq');
  if (!(isInt(params.maxBin, 2) && params.maxBin <= 255)) bad('maxBin');
  if (!(isInt(params.seed, 0) && params.seed <= 0xffffffff)) bad('seed');
  if (!isInt(params.earlyStoppingRounds, 1)) bad('earlyStoppingRounds');
  return params;
}
