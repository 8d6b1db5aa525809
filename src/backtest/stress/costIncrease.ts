// SPEC §7 cost increase: a config copy with commission and slippage raised in every place costs come from.
import type { PtConfig } from '../../config/schemas/index.js';

export interface CostIncreaseOptions {
  /** Added to every commission (bps per side). */
  commissionBps: number;
  /** Added to every slippage (bps). */
  slippageBps: number;
}

/**
 * A deep copy of the config with `commissionBps` / `slippageBps` added to backtest_policy.costs
 * (`commission_bps_default`, `slippage_bps_default`), to cost_table.defaults and to every
 * cost_table override that sets its own commission or slippage (an override without one inherits the
 * raised default), so every symbol's cost rises by exactly the given bps. The input is untouched.
 */
export function costIncrease(config: PtConfig, options: CostIncreaseOptions): PtConfig {
  const { commissionBps, slippageBps } = options;
  if (!(commissionBps >= 0) || !(slippageBps >= 0))
    throw new RangeError(`cost increases must be ≥ 0, got ${commissionBps}/${slippageBps}`);
  const out = structuredClone(config);
  out.backtest_policy.costs.commission_bps_default += commissionBps;
  out.backtest_policy.costs.slippage_bps_default += slippageBps;
  out.cost_table.defaults.commission_bps += commissionBps;
  out.cost_table.defaults.slippage_bps += slippageBps;
  for (const o of Object.values(out.cost_table.overrides)) {
    if (o.commission_bps !== undefined) o.commission_bps += commissionBps;
    if (o.slippage_bps !== undefined) o.slippage_bps += slippageBps;
  }
  return out;
}
