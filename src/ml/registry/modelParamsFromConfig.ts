// params.yaml of a version from the config: what pt train writes and pt models import defaults to.
import type { PtConfig } from '../../config/schemas/index.js';

export function modelParamsFromConfig(config: PtConfig): Record<string, number | string> {
  return {
    theta1: config.core_policy.theta1_initial,
    theta2: config.core_policy.theta2_initial,
    z_entry: config.core_policy.z_entry,
    z_exit: config.core_policy.z_exit,
    M: config.core_policy.max_holding_bars,
    theta_stop: config.backtest_policy.exit_rule.theta_stop,
    // The event definition the AI1 rows were built with: decisions must find events the same way.
    theta_speed: config.core_policy.theta_speed,
    speed_lookback_bars: config.core_policy.speed_lookback_bars,
    signal_z: config.features_policy.signal_z,
  };
}
