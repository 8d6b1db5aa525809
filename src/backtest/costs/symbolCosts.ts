// The cost parameters of one symbol: cost_table.yaml `overrides[symbol]` over `defaults`.
import type { PtConfig } from '../../config/schemas/index.js';

export interface SwapCosts {
  long_bps_day: number;
  short_bps_day: number;
  rollover_day: string;
  time_utc: string;
}

export interface SymbolCosts {
  commission_bps: number;
  slippage_bps: number;
  spread_bps: number;
  swap: SwapCosts;
}

/**
 * Merges field by field, the swap block included: an override that sets only `long_bps_day` keeps
 * the default `rollover_day` and `time_utc` (that is how cost_table.yaml's XAUUSD entry is written).
 * A symbol with no override gets the defaults unchanged.
 */
export function symbolCosts(costTable: PtConfig['cost_table'], symbol: string): SymbolCosts {
  const d = costTable.defaults;
  const o = costTable.overrides[symbol] ?? {};
  return {
    commission_bps: o.commission_bps ?? d.commission_bps,
    slippage_bps: o.slippage_bps ?? d.slippage_bps,
    spread_bps: o.spread_bps ?? d.spread_bps,
    swap: {
      long_bps_day: o.swap?.long_bps_day ?? d.swap.long_bps_day,
      short_bps_day: o.swap?.short_bps_day ?? d.swap.short_bps_day,
      rollover_day: o.swap?.rollover_day ?? d.swap.rollover_day,
      time_utc: o.swap?.time_utc ?? d.swap.time_utc,
    },
  };
}
