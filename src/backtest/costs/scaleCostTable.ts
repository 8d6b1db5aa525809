// The whole cost table scaled by one factor (cost sensitivity: 0× is gross, 1× the table as given).
import type { PtConfig } from '../../config/schemas/index.js';

type CostTable = PtConfig['cost_table'];
interface Scalable {
  commission_bps?: number;
  slippage_bps?: number;
  spread_bps?: number;
  swap?: { long_bps_day?: number; short_bps_day?: number };
}

function scaleCosts<T extends Scalable>(c: T, k: number): T {
  const out = { ...c };
  for (const key of ['commission_bps', 'slippage_bps', 'spread_bps'] as const)
    if (c[key] !== undefined) out[key] = (c[key] * k) as T[typeof key];
  if (c.swap) {
    const swap = { ...c.swap };
    if (c.swap.long_bps_day !== undefined) swap.long_bps_day = c.swap.long_bps_day * k;
    if (c.swap.short_bps_day !== undefined) swap.short_bps_day = c.swap.short_bps_day * k;
    out.swap = swap as T['swap'];
  }
  return out;
}

/** Commission, spread, slippage and both swap rates of the defaults and every override times `k`; time-of-day multipliers unchanged. */
export function scaleCostTable(table: CostTable, k: number): CostTable {
  if (!(k >= 0) || !Number.isFinite(k)) throw new RangeError(`cost scale must be a finite number >= 0, got ${k}`);
  return {
    defaults: scaleCosts(table.defaults, k),
    overrides: Object.fromEntries(Object.entries(table.overrides).map(([s, c]) => [s, scaleCosts(c, k)])),
    time_of_day_multipliers: { ...table.time_of_day_multipliers },
  };
}
