// The points of pt optimize --labels: every (z_entry, z_exit, M) of core_policy.label_sweep, and the
// config a point runs under (labels, walk-forward and decisions all see the point's values).
import type { PtConfig } from '../../config/schemas/index.js';

export interface LabelPoint {
  zEntry: number;
  zExit: number;
  /** M: bars an event / position may last. */
  maxHoldingBars: number;
}

/** The cross product in config order (z_entry outermost, M innermost); points with z_exit ≥ z_entry are skipped. */
export function labelPoints(config: PtConfig): { points: LabelPoint[]; skipped: LabelPoint[] } {
  const s = config.core_policy.label_sweep;
  const points: LabelPoint[] = [];
  const skipped: LabelPoint[] = [];
  for (const zEntry of s.z_entry)
    for (const zExit of s.z_exit)
      for (const maxHoldingBars of s.max_holding_bars)
        (zExit < zEntry ? points : skipped).push({ zEntry, zExit, maxHoldingBars });
  return { points, skipped };
}

/** `config` with the point's z_entry, z_exit and M in core_policy and in backtest_policy.exit_rule (kept equal, as the cross-rules require). */
export function configAtPoint(config: PtConfig, p: LabelPoint): PtConfig {
  const core = config.core_policy;
  const bt = config.backtest_policy;
  return {
    ...config,
    core_policy: { ...core, z_entry: p.zEntry, z_exit: p.zExit, max_holding_bars: p.maxHoldingBars },
    backtest_policy: { ...bt, exit_rule: { ...bt.exit_rule, z_exit: p.zExit, M: p.maxHoldingBars } },
  };
}

export function samePoint(a: LabelPoint, b: LabelPoint): boolean {
  return a.zEntry === b.zEntry && a.zExit === b.zExit && a.maxHoldingBars === b.maxHoldingBars;
}

export function pointText(p: LabelPoint): string {
  return `z_entry ${p.zEntry}, z_exit ${p.zExit}, M ${p.maxHoldingBars}`;
}
