// One pair's filled position in the backtest: fills with costs, swaps, mark-to-market and its trades (SPEC §7).
import type { PairSpec } from '../config/schemas/index.js';
import { DAY_MS } from '../core/time.js';
import { spreadSideName, type SpreadSide } from '../model/spreadSide.js';
import { fillCost, swapCharge } from './costs/costModel.js';
import type { SymbolCosts } from './costs/symbolCosts.js';
import { swapTimes } from './costs/swapTimes.js';
import type { BacktestTrade } from './backtestTypes.js';
import { legPricePnlUsd } from './legPricePnl.js';

/** Milliseconds after 00:00 UTC of an `HH:MM` time. */
function offsetOfDay(timeUtc: string): number {
  const [h, m] = timeUtc.split(':').map(Number);
  return (h! * 60 + m!) * 60_000;
}

/** First instant at `offsetMs` after a UTC midnight at or after `ms`. */
function firstDailyAtOrAfter(offsetMs: number, ms: number): number {
  let t = Math.floor(ms / DAY_MS) * DAY_MS + offsetMs;
  if (t < ms) t += DAY_MS;
  return t;
}

/**
 * Accounting: `cashUsd` is what the pair has realised (−commissions, +swaps, +closed price P&L) and
 * `unrealizedUsd` the open legs marked at the last close, so the pair's P&L is their sum. Price P&L
 * is at executed prices (spread and slippage inside them) converted at the current bar's rate.
 * Each leg holds signed lots (+ long, − short) as the kernel sized them: leg A has the spread side's
 * sign, leg B `−side·sign(β_entry)` (SPEC §3.1), so a β < 0 pair is long-long or short-short.
 */
export class PairBook {
  side: SpreadSide = 0;
  /** Signed lots of each leg. */
  qtyA = 0;
  qtyB = 0;
  cashUsd = 0;
  unrealizedUsd = 0;
  /** Executed prices of the open position's entry fills (spread and slippage inside); read by pt paper's fills log. */
  entryPriceA = 0;
  entryPriceB = 0;
  private entryMs = 0;
  private entryZ = 0;
  private entryProb = 0;
  private entryRisk = 0;
  private entryNotionalUsd = 0;
  private commission = 0;
  private slippage = 0;
  private spread = 0;
  private swap = 0;
  private nextSwapA = 0;
  private nextSwapB = 0;
  /** Each leg's swap time_utc as ms after midnight, parsed once (it is asked at every fill and swap). */
  private readonly swapOffsetA: number;
  private readonly swapOffsetB: number;

  constructor(
    readonly pair: PairSpec,
    readonly costsA: SymbolCosts,
    readonly costsB: SymbolCosts,
    readonly multipliers: Record<string, number>,
  ) {
    this.swapOffsetA = offsetOfDay(costsA.swap.time_utc);
    this.swapOffsetB = offsetOfDay(costsB.swap.time_utc);
  }

  get valueUsd(): number {
    return this.cashUsd + this.unrealizedUsd;
  }

  /** Trades `qty` signed lots of a leg (+ buy, − sell) at its close with costs; returns the executed price. */
  private fill(leg: 'A' | 'B', qty: number, close: number, usd: number, tsMs: number): number {
    const spec = leg === 'A' ? this.pair.leg_A : this.pair.leg_B;
    const c = fillCost({
      costs: leg === 'A' ? this.costsA : this.costsB,
      multipliers: this.multipliers,
      side: qty > 0 ? 'buy' : 'sell',
      close,
      lots: Math.abs(qty),
      contractSize: spec.contract_size,
      usdPerQuote: usd,
      tsMs,
    });
    this.commission += c.commissionUsd;
    this.slippage += c.slippageUsd;
    this.spread += c.spreadUsd;
    this.cashUsd -= c.commissionUsd;
    return c.price;
  }

  open(
    side: SpreadSide,
    qtyA: number,
    qtyB: number,
    closeA: number,
    closeB: number,
    usdA: number,
    usdB: number,
    fillMs: number,
    z: number,
    prob: number,
    risk: number,
  ): void {
    this.side = side;
    this.qtyA = qtyA;
    this.qtyB = qtyB;
    this.commission = 0;
    this.slippage = 0;
    this.spread = 0;
    this.swap = 0;
    this.entryPriceA = this.fill('A', qtyA, closeA, usdA, fillMs);
    this.entryPriceB = this.fill('B', qtyB, closeB, usdB, fillMs);
    this.entryNotionalUsd =
      Math.abs(qtyA) * this.pair.leg_A.contract_size * closeA * usdA +
      Math.abs(qtyB) * this.pair.leg_B.contract_size * closeB * usdB;
    this.entryMs = fillMs;
    this.entryZ = z;
    this.entryProb = prob;
    this.entryRisk = risk;
    this.nextSwapA = firstDailyAtOrAfter(this.swapOffsetA, fillMs);
    this.nextSwapB = firstDailyAtOrAfter(this.swapOffsetB, fillMs);
  }

  /** Swaps of the open legs at every swap instant in [last charged, closeMs), on notionals marked at this close. */
  accrueSwaps(closeMs: number, closeA: number, closeB: number, usdA: number, usdB: number): void {
    if (this.side === 0) return;
    if (closeMs > this.nextSwapA) {
      const notional = Math.abs(this.qtyA) * this.pair.leg_A.contract_size * closeA * usdA;
      for (const s of swapTimes(this.costsA.swap, this.nextSwapA, closeMs))
        this.addSwap(swapCharge(this.costsA, this.qtyA > 0 ? 'long' : 'short', notional, s.multiplier));
      this.nextSwapA = firstDailyAtOrAfter(this.swapOffsetA, closeMs);
    }
    if (closeMs > this.nextSwapB) {
      const notional = Math.abs(this.qtyB) * this.pair.leg_B.contract_size * closeB * usdB;
      for (const s of swapTimes(this.costsB.swap, this.nextSwapB, closeMs))
        this.addSwap(swapCharge(this.costsB, this.qtyB > 0 ? 'long' : 'short', notional, s.multiplier));
      this.nextSwapB = firstDailyAtOrAfter(this.swapOffsetB, closeMs);
    }
  }

  private addSwap(usd: number): void {
    this.swap += usd;
    this.cashUsd += usd;
  }

  private pricePnl(priceA: number, priceB: number, usdA: number, usdB: number): number {
    const a = legPricePnlUsd(this.qtyA, this.pair.leg_A.contract_size, priceA, this.entryPriceA, usdA);
    const b = legPricePnlUsd(this.qtyB, this.pair.leg_B.contract_size, priceB, this.entryPriceB, usdB);
    return a + b;
  }

  mark(closeA: number, closeB: number, usdA: number, usdB: number): void {
    this.unrealizedUsd = this.side === 0 ? 0 : this.pricePnl(closeA, closeB, usdA, usdB);
  }

  close(
    tradeId: number,
    closeA: number,
    closeB: number,
    usdA: number,
    usdB: number,
    fillMs: number,
    z: number,
    reason: string,
  ): BacktestTrade {
    const side = this.side;
    const exitA = this.fill('A', -this.qtyA, closeA, usdA, fillMs);
    const exitB = this.fill('B', -this.qtyB, closeB, usdB, fillMs);
    const gross = this.pricePnl(exitA, exitB, usdA, usdB);
    this.cashUsd += gross;
    const trade: BacktestTrade = {
      trade_id: tradeId,
      pair_id: this.pair.pair_id,
      side: spreadSideName(side) as 'LONG_SPREAD' | 'SHORT_SPREAD',
      ts_entry: this.entryMs,
      ts_exit: fillMs,
      qty_A: this.qtyA,
      qty_B: this.qtyB,
      price_A_entry: this.entryPriceA,
      price_B_entry: this.entryPriceB,
      price_A_exit: exitA,
      price_B_exit: exitB,
      z_at_entry: this.entryZ,
      z_at_exit: z,
      return_prob: this.entryProb,
      risk_score: this.entryRisk,
      cost_commission: this.commission,
      cost_slippage: this.slippage,
      cost_spread: this.spread,
      swap: this.swap,
      pnl: gross - this.commission + this.swap,
      exit_reason: reason,
      notional_usd: this.entryNotionalUsd,
    };
    this.side = 0;
    this.qtyA = 0;
    this.qtyB = 0;
    this.unrealizedUsd = 0;
    return trade;
  }
}
