// DecisionParams from config: core_policy (z, M, θ_speed, θ1/θ2) and backtest_policy (exit rule, entry rule).
import type { PtConfig } from '../config/schemas/index.js';
import type { DecisionParams } from './decide.js';

/**
 * z_entry, θ_speed, θ1/θ2 come from core_policy; z_exit, M, θ_stop and risk_stop from
 * backtest_policy.exit_rule (which the config cross-rules keep equal to core_policy), and use_theta
 * from entry_rule. `ruleOnly` switches off both model filters: θ1/θ2 at entry and the θ_stop exit,
 * so a rule-only run does not depend on any prediction. `overrides` wins over everything (θ search).
 */
export function decisionParamsFrom(config: Pick<PtConfig, 'core_policy' | 'backtest_policy'>, ruleOnly = false, overrides: Partial<DecisionParams> = {}): DecisionParams {
  const core = config.core_policy;
  const exit = config.backtest_policy.exit_rule;
  return {
    zEntry: core.z_entry,
    zExit: exit.z_exit,
    maxHoldingBars: exit.M,
    thetaSpeed: core.theta_speed,
    theta1: core.theta1_initial,
    theta2: core.theta2_initial,
    thetaStop: exit.theta_stop,
    useTheta: config.backtest_policy.entry_rule.use_theta && !ruleOnly,
    riskStop: exit.risk_stop && !ruleOnly,
    ...overrides,
  };
}
