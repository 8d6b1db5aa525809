// Feature parameters from features_policy.yaml (SPEC §2); nothing else in src/features reads config.
import type { PtConfig } from '../config/schemas/index.js';
import type { HuberParams } from './huberSlope.js';

export interface FeatureParams {
  priceTransform: 'log' | 'raw';
  betaWindow: number;
  betaHalfLife: number;
  huber: HuberParams;
  zWindow: number;
  zClip: number;
  zEmaHalfLife: number;
  atrPeriod: number;
  medianWindow: number;
  rhoWindow: number;
  stabilityWindow: number;
  halfLifeWindow: number;
  halfLifeBounds: readonly [number, number];
  emaFastSpan: number;
  emaSlowSpan: number;
  slopeWindow: number;
  dzSpeedHalfLife: number;
  recomputeEvery: number;
}

export function featureParamsFrom(config: PtConfig): FeatureParams {
  const f = config.features_policy;
  return {
    priceTransform: f.price_transform,
    betaWindow: f.beta_window_bars,
    betaHalfLife: f.beta_ema_half_life,
    huber: {
      madRatioSwitch: f.huber.mad_ratio_switch,
      c: f.huber.c,
      maxSolves: f.huber.max_solves,
      tolerance: f.huber.tolerance,
    },
    zWindow: f.z_window_bars,
    zClip: f.z_clip,
    zEmaHalfLife: f.z_ema_half_life,
    atrPeriod: f.atr_period,
    medianWindow: f.atr_baseline_median_bars,
    rhoWindow: f.rho_window_bars,
    stabilityWindow: f.stability_window_bars,
    halfLifeWindow: f.half_life_window_bars,
    halfLifeBounds: [f.half_life_bounds[0], f.half_life_bounds[1]],
    emaFastSpan: f.ema_fast_span,
    emaSlowSpan: f.ema_slow_span,
    slopeWindow: f.slope_window_bars,
    dzSpeedHalfLife: f.dz_speed_half_life,
    recomputeEvery: f.exact_recompute_every_bars,
  };
}
