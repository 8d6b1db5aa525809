// One pair's filled position in the backtest: fills with costs, swaps, mark-to-market and its trades (SPEC §7).
import type { PairSpec } from '../config/schemas/index.js';
import { fillCost, swapCharge, type FillSide } from '../decision/costModel.js';
import type { SymbolCosts } from '../decision/symbolCosts.js';
import { swapTimes } from '../decision/swapTimes.js';
import type { BacktestTrade } from './backtestTypes.js';

const DAY_MS = 86_400_000;

/** First `HH:MM` UTC instant at or after `ms`. */
function firstDailyAtOrAfter(timeUtc: string, ms: number): number {
  const [h, m] = timeUtc.split(':').map(Number);
  let t = Math.floor(ms / DAY_MS) * DAY_MS + (h! * 60 + m!) * 60_000;
  if (t < ms) t += DAY_MS;
  return t;
}

/**
 * Accounting: `cashUsd` is what the pair has realised (−commissions, +swaps, +closed price P&L) and
 * `unrealizedUsd` the open legs marked at the last close, so the pair's P&L is their sum. Price P&L
 * is at executed prices (spread and slippage inside them) converted at the current bar's rate.
 * LONG_SPREAD (+1) is long A and short B; SHORT_SPREAD (−1) the reverse.
 */
export class PairBook {
  side = 0;
  lotsA = 0;
  lotsB = 0;
  cashUsd = 0;
  unrealizedUsd = 0;
  private entryPriceA = 0;
  private entryPriceB = 0;
  private entryMs = 0;
  private entryZ = 0;
  private entryProb = 0;
  private entryRisk = 0;
  private commission = 0;
  private slippage = 0;
  private spread = 0;
  private swap = 0;
  private nextSwapA = 0;
  private nextSwapB = 0;

  constructor(readonly pair: PairSpec, readonly costsA: SymbolCosts, readonly costsB: SymbolCosts, readonly multipliers: Record<string, number>) {}

  get valueUsd(): number {
    return this.cashUsd + this.unrealizedUsd;
  }

  private fill(leg: 'A' | 'B', side: FillSide, close: number, lots: number, usd: number, tsMs: number): number {
    const spec = leg === 'A' ? this.pair.leg_A : this.pair.leg_B;
    const c = fillCost({ costs: leg === 'A' ? this.costsA : this.costsB, multipliers: this.multipliers, side, close, lots, contractSize: spec.contract_size, usdPerQuote: usd, tsMs });
    this.commission += c.commissionUsd;
    this.slippage += c.slippageUsd;
    this.spread += c.spreadUsd;
    this.cashUsd -= c.commissionUsd;
    return c.price;
  }

  open(side: number, lotsA: number, lotsB: number, closeA: number, closeB: number, usdA: number, usdB: number, fillMs: number, z: number, prob: number, risk: number): void {
    this.side = side;
    this.lotsA = lotsA;
    this.lotsB = lotsB;
    this.commission = 0;
    this.slippage = 0;
    this.spread = 0;
    this.swap = 0;
    this.entryPriceA = this.fill('A', side > 0 ? 'buy' : 'sell', closeA, lotsA, usdA, fillMs);
    this.entryPriceB = this.fill('B', side > 0 ? 'sell' : 'buy', closeB, lotsB, usdB, fillMs);
    this.entryMs = fillMs;
    this.entryZ = z;
    this.entryProb = prob;
    this.entryRisk = risk;
    this.nextSwapA = firstDailyAtOrAfter(this.costsA.swap.time_utc, fillMs);
    this.nextSwapB = firstDailyAtOrAfter(this.costsB.swap.time_utc, fillMs);
  }

  /** Swaps of the open legs at every swap instant in [last charged, closeMs), on notionals marked at this close. */
  accrueSwaps(closeMs: number, closeA: number, closeB: number, usdA: number, usdB: number): void {
    if (this.side === 0) return;
    if (closeMs > this.nextSwapA) {
      const notional = this.lotsA * this.pair.leg_A.contract_size * closeA * usdA;
      for (const s of swapTimes(this.costsA.swap, this.nextSwapA, closeMs)) this.addSwap(swapCharge(this.costsA, this.side > 0 ? 'long' : 'short', notional, s.multiplier));
      this.nextSwapA = firstDailyAtOrAfter(this.costsA.swap.time_utc, closeMs);
    }
    if (closeMs > this.nextSwapB) {
      const notional = this.lotsB * this.pair.leg_B.contract_size * closeB * usdB;
      for (const s of swapTimes(this.costsB.swap, this.nextSwapB, closeMs)) this.addSwap(swapCharge(this.costsB, this.side > 0 ? 'short' : 'long', notional, s.multiplier));
      this.nextSwapB = firstDailyAtOrAfter(this.costsB.swap.time_utc, closeMs);
    }
  }

  private addSwap(usd: number): void {
    this.swap += usd;
    this.cashUsd += usd;
  }

  private pricePnl(priceA: number, priceB: number, usdA: number, usdB: number): number {
    const a = this.side * this.lotsA * this.pair.leg_A.contract_size * (priceA - this.entryPriceA) * usdA;
    const b = -this.side * this.lotsB * this.pair.leg_B.contract_size * (priceB - this.entryPriceB) * usdB;
    return a + b;
  }

  mark(closeA: number, closeB: number, usdA: number, usdB: number): void {
    this.unrealizedUsd = this.side === 0 ? 0 : this.pricePnl(closeA, closeB, usdA, usdB);
  }

  close(tradeId: number, closeA: number, closeB: number, usdA: number, usdB: number, fillMs: number, z: number, reason: string): BacktestTrade {
    const side = this.side;
    const exitA = this.fill('A', side > 0 ? 'sell' : 'buy', closeA, this.lotsA, usdA, fillMs);
    const exitB = this.fill('B', side > 0 ? 'buy' : 'sell', closeB, this.lotsB, usdB, fillMs);
    const gross = this.pricePnl(exitA, exitB, usdA, usdB);
    this.cashUsd += gross;
    const trade: BacktestTrade = {
      trade_id: tradeId, pair_id: this.pair.pair_id, side: side > 0 ? 'LONG_SPREAD' : 'SHORT_SPREAD',
      ts_entry: this.entryMs, ts_exit: fillMs, qty_A: side * this.lotsA, qty_B: -side * this.lotsB,
      price_A_entry: this.entryPriceA, price_B_entry: this.entryPriceB, price_A_exit: exitA, price_B_exit: exitB,
      z_at_entry: this.entryZ, z_at_exit: z, return_prob: this.entryProb, risk_score: this.entryRisk,
      cost_commission: this.commission, cost_slippage: this.slippage, cost_spread: this.spread, swap: this.swap,
      pnl: gross - this.commission + this.swap, exit_reason: reason,
    };
    this.side = 0;
    this.lotsA = 0;
    this.lotsB = 0;
    this.unrealizedUsd = 0;
    return trade;
  }
}
