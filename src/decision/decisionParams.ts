// DecisionParams from config and a model version's params.yaml: where every θ of a run comes from.
import type { PtConfig } from '../config/schemas/index.js';
import type { ModelDecisionParams } from '../model/modelParams.js';
import type { DecisionParams } from './decide.js';

/**
 * z_entry, θ_speed, θ1/θ2 come from core_policy; z_exit, M, θ_stop and risk_stop from
 * backtest_policy.exit_rule (which the config cross-rules keep equal to core_policy), and use_theta
 * from entry_rule. `ruleOnly` switches off both model filters: θ1/θ2 at entry and the θ_stop exit,
 * so a rule-only run does not depend on any prediction. `overrides` wins over everything.
 */
export function decisionParamsFrom(
  config: Pick<PtConfig, 'core_policy' | 'backtest_policy'>,
  ruleOnly = false,
  overrides: Partial<DecisionParams> = {},
): DecisionParams {
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

export interface ResolvedDecisionParams {
  params: DecisionParams;
  signalZ: 'raw' | 'ema';
  speedLookbackBars: number;
  /** Where θ1/θ2 came from, for the summary and the report. */
  thetaSource: string;
  /** One line each where the run departs from config/ (printed; never silent). */
  notes: string[];
}

/**
 * The one place a run's decision parameters are chosen (SPEC §7 / issue "one θ"):
 * - θ1, θ2, θ_stop and the event definition (z_entry, z_exit, M, and θ_speed, K, signal_z where the
 *   version records them) come from the model version's params.yaml: the model was trained on events
 *   found that way, and scored rows are only meaningful on such events;
 * - `applied`, the version's latest verified applied-θ record (pt optimize --apply), replaces
 *   params.yaml's θ1/θ2; the caller reads and verifies it, this stays pure;
 * - `theta1` / `theta2` (the `--theta1/--theta2` flags) override both;
 * - config's θ only seeds `pt train`. Without a model (rule-only) θ is not applied at all and the event
 *   definition comes from config/.
 */
export function resolveDecisionParams(
  config: Pick<PtConfig, 'core_policy' | 'backtest_policy' | 'features_policy'>,
  options: {
    ruleOnly?: boolean;
    model?: { version: string; params: ModelDecisionParams };
    /** The latest applied θ of the model version and its label (`applied 20261203T101500Z (pt optimize run …)`). */
    applied?: { theta1: number; theta2: number; label: string };
    theta1?: number;
    theta2?: number;
  },
): ResolvedDecisionParams {
  const ruleOnly = options.ruleOnly ?? false;
  const base = decisionParamsFrom(config, ruleOnly);
  const notes: string[] = [];
  let signalZ = config.features_policy.signal_z;
  let speedLookbackBars = config.core_policy.speed_lookback_bars;
  if (ruleOnly || !options.model) {
    if (options.theta1 !== undefined || options.theta2 !== undefined)
      notes.push('--theta1/--theta2 have no effect without a model (rule-only)');
    return { params: base, signalZ, speedLookbackBars, thetaSource: 'not applied (rule-only)', notes };
  }
  const m = options.model.params;
  const fromModel: Partial<DecisionParams> = {
    theta1: m.theta1,
    theta2: m.theta2,
    thetaStop: m.theta_stop,
    zEntry: m.z_entry,
    zExit: m.z_exit,
    maxHoldingBars: m.M,
  };
  if (m.theta_speed !== undefined) fromModel.thetaSpeed = m.theta_speed;
  if (m.speed_lookback_bars !== undefined) speedLookbackBars = m.speed_lookback_bars;
  if (m.signal_z !== undefined) signalZ = m.signal_z;
  const differs: string[] = [];
  for (const [name, key] of [
    ['z_entry', 'zEntry'],
    ['z_exit', 'zExit'],
    ['M', 'maxHoldingBars'],
    ['theta_speed', 'thetaSpeed'],
    ['theta_stop', 'thetaStop'],
  ] as const) {
    const v = fromModel[key];
    if (v !== undefined && v !== base[key]) differs.push(`${name} ${v} (config ${base[key]})`);
  }
  if (speedLookbackBars !== config.core_policy.speed_lookback_bars)
    differs.push(`speed_lookback_bars ${speedLookbackBars} (config ${config.core_policy.speed_lookback_bars})`);
  if (signalZ !== config.features_policy.signal_z)
    differs.push(`signal_z ${signalZ} (config ${config.features_policy.signal_z})`);
  if (differs.length > 0)
    notes.push(
      `model ${options.model.version} was trained with ${differs.join(', ')}: decisions use the model's values`,
    );
  let thetaSource = `model ${options.model.version} params.yaml`;
  if (options.applied) {
    fromModel.theta1 = options.applied.theta1;
    fromModel.theta2 = options.applied.theta2;
    thetaSource = `${options.applied.label} of model ${options.model.version}`;
  }
  if (options.theta1 !== undefined || options.theta2 !== undefined) {
    if (options.theta1 !== undefined) fromModel.theta1 = options.theta1;
    if (options.theta2 !== undefined) fromModel.theta2 = options.theta2;
    const flags = [options.theta1 !== undefined ? '--theta1' : '', options.theta2 !== undefined ? '--theta2' : '']
      .filter(Boolean)
      .join(', ');
    thetaSource = `${flags} over ${thetaSource}`;
  }
  return { params: { ...base, ...fromModel }, signalZ, speedLookbackBars, thetaSource, notes };
}
