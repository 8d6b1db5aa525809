import { describe, expect, it } from 'vitest';
import { costIncrease } from '../../../src/backtest/stress/index.js';
import { symbolCosts } from '../../../src/backtest/costs/symbolCosts.js';
import { config } from '../../decision/config.js';

describe('costIncrease', () => {
  it('adds the bps to the defaults and every symbol, original config untouched', () => {
    const before = JSON.stringify(config);
    const up = costIncrease(config, { commissionBps: 10, slippageBps: 5 });
    expect(JSON.stringify(config)).toBe(before);
    expect(up.backtest_policy.costs.commission_bps_default).toBe(
      config.backtest_policy.costs.commission_bps_default + 10,
    );
    expect(up.backtest_policy.costs.slippage_bps_default).toBe(config.backtest_policy.costs.slippage_bps_default + 5);
    const symbols = ['XAUUSD', 'XAGUSD', 'EURUSD', 'NOSUCH', ...Object.keys(config.cost_table.overrides)];
    for (const s of symbols) {
      const a = symbolCosts(config.cost_table, s);
      const b = symbolCosts(up.cost_table, s);
      expect(b.commission_bps).toBe(a.commission_bps + 10);
      expect(b.slippage_bps).toBe(a.slippage_bps + 5);
      expect(b.spread_bps).toBe(a.spread_bps);
      expect(b.swap).toEqual(a.swap);
    }
    // an override that sets its own commission is raised too
    const withOwn = structuredClone(config);
    withOwn.cost_table.overrides.XAUUSD = { ...withOwn.cost_table.overrides.XAUUSD, commission_bps: 3 };
    expect(
      symbolCosts(costIncrease(withOwn, { commissionBps: 30, slippageBps: 15 }).cost_table, 'XAUUSD').commission_bps,
    ).toBe(33);
  });
});
