// Label parameters (SPEC §3) read from core_policy, with windows converted to bars.
import type { PtConfig } from '../config/schemas/index.js';

/** Thresholds of the AI2 risk components (SPEC §3.2); a component is 1 when its feature is strictly above. */
export interface RiskThresholds {
  /** `corr_stability` above this sets `c_corr` (default 0.025). */
  corrVar: number;
  /** `vol_ratio_spread` above this sets `c_vol` (default 1.8). */
  volRatio: number;
  /** `dz_speed` above this sets `c_speed` (default 0.12). */
  dzSpeed: number;
  /** `dd_recent` (log-units per unit notional of leg A) above this sets `c_dd` (default 0.07). */
  ddRecent: number;
}

/** Everything `buildAi1Events`, `buildAi2Risk` and `classWeights` need, windows in bars. */
export interface LabelParams {
  /** A valid bar with `|z| >= zEntry` is a candidate (default 2.0). */
  zEntry: number;
  /** An event reverts at the first `|z| <= zExit` (default 0.5). */
  zExit: number;
  /** M: bars an event / baseline position may last (default 48). */
  maxHoldingBars: number;
  /** K: bars averaged for the speed exclusion (default 6). */
  speedLookbackBars: number;
  /** A candidate whose mean |delta_z| over K bars is above this is excluded (default 0.12). */
  thetaSpeed: number;
  thresholds: RiskThresholds;
  /** L: trailing window of `dd_recent` in bars (60 trading days × bars_per_day). */
  ddWindowBars: number;
  /** H: `y2_t = max(risk_now_{t+1..t+H})`; 0 means `risk_now_t` (default 48). */
  riskHorizonBars: number;
  /** Largest allowed ratio between the two class weights (default 5). */
  classWeightRatioMax: number;
}

/** Label parameters from the typed config; `barsPerDay` comes from `barsPerDay(timeframe)` (SPEC §0). */
export function labelParamsFrom(config: PtConfig, barsPerDay: number): LabelParams {
  const core = config.core_policy;
  const t = core.risk_label_thresholds;
  return checkLabelParams({
    zEntry: core.z_entry,
    zExit: core.z_exit,
    maxHoldingBars: core.max_holding_bars,
    speedLookbackBars: core.speed_lookback_bars,
    thetaSpeed: core.theta_speed,
    thresholds: { corrVar: t.corr_var, volRatio: t.vol_ratio, dzSpeed: t.dz_speed, ddRecent: t.dd_recent },
    // SPEC §0: "N days" means N × bars_per_day bars that exist.
    ddWindowBars: core.risk_label_dd_window_days * barsPerDay,
    riskHorizonBars: core.risk_horizon_bars,
    classWeightRatioMax: core.class_weight_ratio_max,
  });
}

/** Returns `params` unchanged, or throws a RangeError naming the first out-of-range field. */
export function checkLabelParams(params: LabelParams): LabelParams {
  const positiveInt = (v: number): boolean => Number.isInteger(v) && v >= 1;
  const bad = (name: string, v: number): never => {
    throw new RangeError(`invalid label parameter ${name}=${v}`);
  };
  if (!(params.zEntry > 0)) bad('zEntry', params.zEntry);
  if (!(params.zExit >= 0)) bad('zExit', params.zExit);
  if (!positiveInt(params.maxHoldingBars)) bad('maxHoldingBars', params.maxHoldingBars);
  if (!positiveInt(params.speedLookbackBars)) bad('speedLookbackBars', params.speedLookbackBars);
  if (Number.isNaN(params.thetaSpeed)) bad('thetaSpeed', params.thetaSpeed);
  if (!positiveInt(params.ddWindowBars)) bad('ddWindowBars', params.ddWindowBars);
  if (!(Number.isInteger(params.riskHorizonBars) && params.riskHorizonBars >= 0))
    bad('riskHorizonBars', params.riskHorizonBars);
  if (!(params.classWeightRatioMax >= 1)) bad('classWeightRatioMax', params.classWeightRatioMax);
  for (const [name, v] of Object.entries(params.thresholds)) if (Number.isNaN(v)) bad(`thresholds.${name}`, v);
  return params;
}
