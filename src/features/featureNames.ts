// The feature columns of SPEC §2, in the SPEC table's order: the one list every writer and reader uses.

export const FEATURE_NAMES = [
  'p_A',
  'p_B',
  'r_A',
  'r_B',
  'beta_raw',
  'beta',
  'spread',
  'z_raw',
  'z',
  'z_ema',
  'delta_z',
  'atr_spread',
  'vol_ratio_spread',
  'half_life',
  'rho_rolling',
  'corr_stability',
  'beta_stability',
  'atr_A',
  'atr_B',
  'atr_ratio_A',
  'atr_ratio_B',
  'ema_gap_spread',
  'slope_spread',
  'rsi_spread',
  'abs_delta_S',
  'abs_delta_z',
  'slope_z',
  'dz_speed',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** Column index of each feature in a row. */
export const F = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, i])) as { readonly [K in FeatureName]: number };

export const FEATURE_COUNT = FEATURE_NAMES.length;
