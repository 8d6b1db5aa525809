// How far back in bars the features at bar t read prices: the embargo a fold needs (SPEC §4, docs/validation.md).
import type { FeatureParams } from './featureParams.js';

/**
 * The longest chain of finite windows behind any feature at t, in bars counting t itself: the bars
 * t − L + 1 … t are all the prices it reads through rolling windows. The chains (SPEC §2):
 * slope_z = slope over `slopeWindow` of z, z over `zWindow` of S, S through beta_raw over `betaWindow`
 * (betaWindow + zWindow + slopeWindow − 2, 378 at the defaults); delta_z (betaWindow + zWindow);
 * corr_stability (rhoWindow + 1 prices for returns, + stabilityWindow − 1); beta_stability
 * (betaWindow + stabilityWindow − 1); half_life (betaWindow + halfLifeWindow); vol_ratio_spread and
 * atr_ratio (a Wilder seed of atrPeriod true ranges, one more bar, then medianWindow). The EMAs and
 * Wilder averages remember further back with geometrically falling weight; that tail is not counted.
 */
export function featureLookbackBars(p: FeatureParams): number {
  return Math.max(
    p.betaWindow + p.zWindow + p.slopeWindow - 2,
    p.betaWindow + p.zWindow,
    p.rhoWindow + p.stabilityWindow,
    p.betaWindow + p.stabilityWindow - 1,
    p.betaWindow + p.halfLifeWindow,
    p.betaWindow + 1 + p.atrPeriod + p.medianWindow - 1,
    p.atrPeriod + 1 + p.medianWindow - 1,
  );
}
