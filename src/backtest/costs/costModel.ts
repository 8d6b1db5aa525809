// SPEC §7 costs of one fill of one leg (spread, slippage, commission) and the daily swap charge.
import type { SymbolCosts } from './symbolCosts.js';
import { timeOfDayMultiplier } from './timeOfDayMultiplier.js';

export type FillSide = 'buy' | 'sell';
export type PositionSide = 'long' | 'short';

export interface FillInput {
  /** The symbol's merged costs (symbolCosts). */
  costs: SymbolCosts;
  /** cost_table.yaml time_of_day_multipliers. */
  multipliers: Record<string, number>;
  side: FillSide;
  /** Bar close the decision was taken at, in the quote currency. */
  close: number;
  lots: number;
  contractSize: number;
  /** USD per unit of quote currency (usdPerQuote): 1 for XXXUSD. */
  usdPerQuote: number;
  /** UTC instant of the fill, used for the time-of-day multiplier. */
  tsMs: number;
}

export interface FillCost {
  /** Executed price in the quote currency, spread and slippage included. */
  price: number;
  /** USD notional of the fill at the executed price: lots × contract_size × price × usdPerQuote. */
  notionalUsd: number;
  spreadUsd: number;
  slippageUsd: number;
  commissionUsd: number;
  slippageMultiplier: number;
}

/**
 * One fill, costs applied in SPEC §7's order, each one "against the trade" (up for a buy, down for a sell):
 *   p0 = close
 *   p1 = p0 × (1 ± spread_bps/2 / 10⁴)                      half the spread: the close is taken as mid
 *   p2 = p1 × (1 ± slippage_bps × multiplier / 10⁴)          applied to p1, as the order says
 *   commission = commission_bps / 10⁴ × |p2 × lots × contract_size × usdPerQuote|   per fill (per side)
 * spreadUsd and slippageUsd are the USD value of p1−p0 and p2−p1 over the fill's quantity. They are
 * already inside `price`: P&L built from executed prices must subtract only `commissionUsd`;
 * the other two are attribution. All three are non-negative USD amounts. Prices are not rounded
 * to tick_size: the costs are a bps model and tick rounding would add a cost the table does not state.
 */
export function fillCost(input: FillInput): FillCost {
  const sign = input.side === 'buy' ? 1 : -1;
  const multiplier = timeOfDayMultiplier(input.multipliers, input.tsMs);
  const p0 = input.close;
  const p1 = p0 * (1 + (sign * input.costs.spread_bps) / 2 / 10_000);
  const p2 = p1 * (1 + (sign * input.costs.slippage_bps * multiplier) / 10_000);
  const usdPerPriceUnit = Math.abs(input.lots) * input.contractSize * input.usdPerQuote;
  const notionalUsd = p2 * usdPerPriceUnit;
  return {
    price: p2,
    notionalUsd,
    spreadUsd: Math.abs(p1 - p0) * usdPerPriceUnit,
    slippageUsd: Math.abs(p2 - p1) * usdPerPriceUnit,
    commissionUsd: (input.costs.commission_bps / 10_000) * notionalUsd,
    slippageMultiplier: multiplier,
  };
}

/**
 * The swap of one open leg at one swap instant, in USD. Sign convention (MT5's): positive bps = the
 * holder RECEIVES, negative = the holder PAYS; the result keeps that sign, so equity += swapCharge.
 * `long_bps_day` applies to a long leg, `short_bps_day` to a short one, on the leg's USD notional
 * (the caller passes it at the mark of that instant, |lots| × contract_size × price × usdPerQuote),
 * times `multiplier` (3 on the rollover day, from swapTimes).
 */
export function swapCharge(costs: SymbolCosts, side: PositionSide, notionalUsd: number, multiplier: number): number {
  const bps = side === 'long' ? costs.swap.long_bps_day : costs.swap.short_bps_day;
  return (Math.abs(notionalUsd) * bps * multiplier) / 10_000;
}
