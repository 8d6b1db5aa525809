// The features the models see: every SPEC §2 column except price levels, which are not comparable
// across time or pairs (p_A, p_B, spread, beta_raw and the raw-price ATRs); their ratios stay in.
import { FEATURE_NAMES, type FeatureName } from '../features/featureNames.js';

const EXCLUDED: ReadonlySet<FeatureName> = new Set(['p_A', 'p_B', 'spread', 'beta_raw', 'atr_A', 'atr_B']);

export const MODEL_FEATURES: readonly FeatureName[] = FEATURE_NAMES.filter((n) => !EXCLUDED.has(n));

export const MODEL_FEATURE_INDEX: readonly number[] = MODEL_FEATURES.map((n) => FEATURE_NAMES.indexOf(n));
