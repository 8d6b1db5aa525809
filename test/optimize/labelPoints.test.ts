// The label sweep's points: the config's cross product in order, z_exit ≥ z_entry skipped, and a
// point's config carrying z_entry/z_exit/M into both core_policy and the backtest's exit rule.
import { describe, expect, it } from 'vitest';
import { decisionParamsFrom } from '../../src/decision/decisionParams.js';
import { barsPerDay } from '../../src/core/time.js';
import { labelParamsFrom } from '../../src/labels/index.js';
import { configAtPoint, labelPoints, samePoint } from '../../src/optimize/labelSweep/labelPoints.js';
import { config } from '../decision/config.js';

const withSweep = (z_entry: number[], z_exit: number[], max_holding_bars: number[]) => ({
  ...config,
  core_policy: { ...config.core_policy, label_sweep: { z_entry, z_exit, max_holding_bars } },
});

describe('labelPoints', () => {
  it('the shipped defaults give 3 × 2 × 3 = 18 points, z_entry outermost, M innermost', () => {
    const { points, skipped } = labelPoints(config);
    expect(points).toHaveLength(18);
    expect(skipped).toHaveLength(0);
    expect(points[0]).toEqual({ zEntry: 1.5, zExit: 0, maxHoldingBars: 48 });
    expect(points[1]).toEqual({ zEntry: 1.5, zExit: 0, maxHoldingBars: 96 });
    expect(points[3]).toEqual({ zEntry: 1.5, zExit: 0.5, maxHoldingBars: 48 });
    expect(points[17]).toEqual({ zEntry: 2.5, zExit: 0.5, maxHoldingBars: 192 });
  });

  it('skips every point whose z_exit is not below its z_entry', () => {
    const { points, skipped } = labelPoints(withSweep([1, 2], [0.5, 1, 1.5], [24]));
    expect(points.map((p) => [p.zEntry, p.zExit])).toEqual([
      [1, 0.5],
      [2, 0.5],
      [2, 1],
      [2, 1.5],
    ]);
    expect(skipped.map((p) => [p.zEntry, p.zExit])).toEqual([
      [1, 1],
      [1, 1.5],
    ]);
  });

  it("a point's config reaches labels and decisions alike; the rest of config is untouched", () => {
    const p = { zEntry: 2.5, zExit: 0, maxHoldingBars: 192 };
    const c = configAtPoint(config, p);
    const l = labelParamsFrom(c, barsPerDay('1h'));
    expect([l.zEntry, l.zExit, l.maxHoldingBars]).toEqual([2.5, 0, 192]);
    const d = decisionParamsFrom(c);
    expect([d.zEntry, d.zExit, d.maxHoldingBars]).toEqual([2.5, 0, 192]);
    expect(c.core_policy.theta_speed).toBe(config.core_policy.theta_speed);
    expect(c.backtest_policy.exit_rule.theta_stop).toBe(config.backtest_policy.exit_rule.theta_stop);
    expect(config.core_policy.z_entry).toBe(2);
    expect(samePoint(p, { ...p })).toBe(true);
    expect(samePoint(p, { ...p, maxHoldingBars: 96 })).toBe(false);
  });
});
