// pt paper's broker: each pair's fills at bar closes with the backtest's own accounting (PairBook: costs,
// swaps, marks, trades), in the engine's order of work per bar, so a paper account equals a backtest
// of the same decisions on the same bars.
import type { PairSpec, PtConfig } from '../config/schemas/index.js';
import type { BacktestTrade, ConversionRate } from '../backtest/backtestTypes.js';
import { PairBook } from '../backtest/pairBook.js';
import { symbolCosts } from '../backtest/costs/symbolCosts.js';
import { usdPerQuote } from '../decision/usdPerQuote.js';
import type { SpreadSide } from '../model/spreadSide.js';
import { round8 } from './roundLots.js';

/** One pair's aligned closes (the store's, through the DQ rules), bar open times in UTC ms, strictly increasing. */
export interface PairPrices {
  ts: Float64Array;
  closeA: Float64Array;
  closeB: Float64Array;
  /** 1 where DQ filled a leg's bar: nothing fills there (the order waits for the next real bar), as in the backtest. */
  filled: Uint8Array;
}

/** An order pt paper gives itself when a pair's target changes: fill at the close of the decision bar + latency. */
export interface PaperOrder {
  pairId: string;
  /** The signal's bar_ts (UTC ms). */
  decisionTs: number;
  kind: 'open' | 'close';
  side: SpreadSide;
  lotsA: number;
  lotsB: number;
  z: number;
  returnProb: number;
  riskScore: number;
  /** A close's exit reason (the signal's reason). */
  reason: string;
  /**
   * Leg A's fill ticket (leg B's is the next), given when the order is queued: numbered in the order
   * the orders were given, so a restart that re-queues them numbers every fill the same.
   */
  ticket?: number;
}

/** One leg of one fill, as the fills log writes it. */
export interface PaperFill {
  ticket: number;
  /** Bar close (UTC ms): the fill instant. */
  timeMs: number;
  pairId: string;
  leg: 'A' | 'B';
  symbol: string;
  side: 'BUY' | 'SELL';
  lots: number;
  /** Executed price (spread and slippage inside). */
  price: number;
  /** The fill closes the pair's position (an exit), rather than opening it. */
  reduce: boolean;
  /** TRADE_RETCODE_DONE: paper always fills. */
  retcode: number;
}

export interface PaperPosition {
  side: 'LONG_SPREAD' | 'SHORT_SPREAD' | 'FLAT';
  lots_A: number;
  lots_B: number;
  pnl_usd: number;
  tickets: number[];
}

const SIDE_NAMES = { [-1]: 'SHORT_SPREAD', 0: 'FLAT', 1: 'LONG_SPREAD' } as const;
const DONE = 10009;

class PaperPair {
  readonly book: PairBook;
  prices: PairPrices | undefined;
  /** Bar time of the last bar accounted; bars up to it are done. */
  lastTs = Number.NEGATIVE_INFINITY;
  /** Index in `prices` of the last bar accounted (−1 before the first). */
  lastIndex = -1;
  readonly orders: PaperOrder[] = [];
  /** The position once every queued order has filled: what the next target is compared with. */
  planned: { side: SpreadSide; lotsA: number; lotsB: number } = { side: 0, lotsA: 0, lotsB: 0 };
  tickets: number[] = [];
  /** The signal z of each bar a close may fill at (latency > 0 fills at a later bar's z, as the backtest). */
  readonly zAt = new Map<number, number>();
  usdA = 1;
  usdB = 1;
  closeA = Number.NaN;
  closeB = Number.NaN;
  /** The signal z at the last bar accounted (an end-of-data close's z_at_exit). */
  lastZ = Number.NaN;

  constructor(
    readonly spec: PairSpec,
    config: PtConfig,
  ) {
    const table = config.cost_table;
    this.book = new PairBook(
      spec,
      symbolCosts(table, spec.leg_A.canonical_symbol),
      symbolCosts(table, spec.leg_B.canonical_symbol),
      table.time_of_day_multipliers,
    );
  }
}

export class PaperLedger {
  readonly trades: BacktestTrade[] = [];
  /** Fills not yet taken by takeFills (the caller appends them to the fills log). */
  private fills: PaperFill[] = [];
  private readonly pairs = new Map<string, PaperPair>();
  /** The next order's first ticket. */
  private ticket = 1;

  /**
   * @param latencyBars orders fill at the close of the decision bar + latency bars (backtest_policy.latency_bars).
   */
  constructor(
    config: PtConfig,
    specs: readonly PairSpec[],
    readonly capitalUsd: number,
    readonly barMs: number,
    readonly latencyBars: number,
    private readonly conversionRate: ConversionRate | undefined,
  ) {
    for (const s of specs) this.pairs.set(s.pair_id, new PaperPair(s, config));
  }

  /** Gives the pair its closes (a longer range replaces a shorter one; bars already accounted are not redone). */
  setPrices(pairId: string, prices: PairPrices): void {
    const p = this.pair(pairId);
    p.prices = prices;
    p.lastIndex = lastAtOrBefore(prices.ts, p.lastTs);
  }

  /** Bar time of the last bar accounted for the pair (−Infinity before the first). */
  accountedTo(pairId: string): number {
    return this.pair(pairId).lastTs;
  }

  /** The pair's signal z at a bar (kept until that bar is accounted: a close fills at its fill bar's z). */
  noteZ(pairId: string, barTs: number, z: number): void {
    const p = this.pair(pairId);
    if (barTs > p.lastTs) p.zAt.set(barTs, z);
  }

  /**
   * Moves the pair toward a new target: a close of what it will hold when that differs, then an open
   * of the target when it is not flat; both at `decisionTs`. Returns the orders given (none when the
   * target is what the pair will hold).
   */
  target(
    pairId: string,
    decisionTs: number,
    side: SpreadSide,
    lotsA: number,
    lotsB: number,
    info: { z: number; returnProb: number; riskScore: number; reason: string },
  ): PaperOrder[] {
    const p = this.pair(pairId);
    const plan = p.planned;
    if (plan.side === side && round8(plan.lotsA - lotsA) === 0 && round8(plan.lotsB - lotsB) === 0) return [];
    const orders: PaperOrder[] = [];
    const base = { pairId, decisionTs, z: info.z, returnProb: info.returnProb, riskScore: info.riskScore };
    if (plan.side !== 0)
      orders.push({
        ...base,
        kind: 'close',
        side: plan.side,
        lotsA: plan.lotsA,
        lotsB: plan.lotsB,
        reason: info.reason,
      });
    if (side !== 0) orders.push({ ...base, kind: 'open', side, lotsA, lotsB, reason: '' });
    for (const o of orders) this.queue(o);
    return orders;
  }

  /** Queues an order as given (a restart re-queues its saved orders, tickets included). */
  queue(o: PaperOrder): void {
    const p = this.pair(o.pairId);
    if (o.ticket === undefined) {
      o.ticket = this.ticket;
      this.ticket += 2;
    } else this.ticket = Math.max(this.ticket, o.ticket + 2);
    p.orders.push(o);
    p.planned = o.kind === 'open' ? { side: o.side, lotsA: o.lotsA, lotsB: o.lotsB } : { side: 0, lotsA: 0, lotsB: 0 };
  }

  /**
   * Accounts the pair's bars after the last one done up to `untilTs` (inclusive), as the backtest does
   * at each bar: swaps due at its close, the orders due there (not on a DQ-filled bar), the mark.
   * `endOfData`: once the pair's last bar is accounted (now or before), what is open closes there
   * ('end_of_data') and opens that would fill later are dropped, as at a backtest's last bar.
   * Returns the bar time reached.
   */
  advance(pairId: string, untilTs: number, endOfData = false): number {
    const p = this.pair(pairId);
    const pr = p.prices;
    if (pr === undefined) return p.lastTs;
    const book = p.book;
    const spec = p.spec;
    const n = pr.ts.length;
    for (let i = p.lastIndex + 1; i < n && pr.ts[i]! <= untilTs; i++) {
      const ts = pr.ts[i]!;
      const closeMs = ts + this.barMs;
      const a = pr.closeA[i]!;
      const b = pr.closeB[i]!;
      p.usdA = this.usd(spec.leg_A, ts);
      p.usdB = this.usd(spec.leg_B, ts);
      if (book.side !== 0) book.accrueSwaps(closeMs, a, b, p.usdA, p.usdB);
      const z = p.zAt.get(ts) ?? Number.NaN;
      if (pr.filled[i] !== 1) {
        while (p.orders.length > 0 && this.dueIndex(pr, p.orders[0]!) <= i) {
          this.fill(p, p.orders.shift()!, a, b, closeMs, z);
        }
      }
      if (book.side !== 0) book.mark(a, b, p.usdA, p.usdB);
      else book.unrealizedUsd = 0;
      p.closeA = a;
      p.closeB = b;
      p.lastZ = z;
      p.zAt.delete(ts);
      p.lastIndex = i;
      p.lastTs = ts;
    }
    // Done after the bar's mark, which the close then zeroes: the same P&L as the engine's close before it.
    if (endOfData && n > 0 && p.lastIndex === n - 1) {
      if (book.side !== 0) {
        this.closeBook(p, p.closeA, p.closeB, p.lastTs + this.barMs, p.lastZ, 'end_of_data', this.ticket);
        this.ticket += 2;
      }
      p.orders.length = 0;
      p.planned = { side: 0, lotsA: 0, lotsB: 0 };
    }
    return p.lastTs;
  }

  /** The fills since the last call, oldest first. */
  takeFills(): PaperFill[] {
    const out = this.fills;
    this.fills = [];
    return out;
  }

  /** Capital plus every pair's realised and marked P&L. */
  equityUsd(): number {
    let v = this.capitalUsd;
    for (const p of this.pairs.values()) v += p.book.valueUsd;
    return v;
  }

  /** Capital plus every pair's realised P&L (closed trades, commissions, swaps). */
  balanceUsd(): number {
    let v = this.capitalUsd;
    for (const p of this.pairs.values()) v += p.book.cashUsd;
    return v;
  }

  /** Margin the open legs tie up at their last closes: notional × the pair's margin_requirement. */
  marginUsd(): number {
    let m = 0;
    for (const p of this.pairs.values()) {
      const b = p.book;
      if (b.side === 0) continue;
      const notional =
        Math.abs(b.qtyA) * p.spec.leg_A.contract_size * p.closeA * p.usdA +
        Math.abs(b.qtyB) * p.spec.leg_B.contract_size * p.closeB * p.usdB;
      m += notional * p.spec.constraints.margin_requirement;
    }
    return m;
  }

  /** Every pair's position and P&L, in the order the ledger was given its pairs. */
  positions(): Record<string, PaperPosition> {
    const out: Record<string, PaperPosition> = {};
    for (const [id, p] of this.pairs) {
      const b = p.book;
      out[id] = {
        side: SIDE_NAMES[b.side],
        lots_A: round8(b.qtyA),
        lots_B: round8(b.qtyB),
        pnl_usd: b.valueUsd,
        tickets: b.side === 0 ? [] : [...p.tickets],
      };
    }
    return out;
  }

  /** Orders queued and not filled yet, oldest first per pair. */
  openOrders(): PaperOrder[] {
    return [...this.pairs.values()].flatMap((p) => p.orders);
  }

  private pair(pairId: string): PaperPair {
    const p = this.pairs.get(pairId);
    if (p === undefined) throw new RangeError(`pt paper: ${pairId} is not a pair of this ledger`);
    return p;
  }

  private usd(leg: PairSpec['leg_A'], ts: number): number {
    return leg.quote_ccy === 'USD' ? 1 : usdPerQuote(leg, this.conversionRate?.(leg.canonical_symbol, ts));
  }

  /** Index of the bar an order fills at: the decision bar (or the first after it) plus the latency. */
  private dueIndex(pr: PairPrices, o: PaperOrder): number {
    return firstAtOrAfter(pr.ts, o.decisionTs) + this.latencyBars;
  }

  private fill(p: PaperPair, o: PaperOrder, a: number, b: number, closeMs: number, z: number): void {
    const book = p.book;
    if (o.kind === 'open') {
      if (book.side !== 0) return;
      book.open(o.side, o.lotsA, o.lotsB, a, b, p.usdA, p.usdB, closeMs, o.z, o.returnProb, o.riskScore);
      p.tickets = [
        this.record(p, 'A', o.lotsA, book.entryPriceA, closeMs, false, o.ticket!),
        this.record(p, 'B', o.lotsB, book.entryPriceB, closeMs, false, o.ticket! + 1),
      ];
    } else if (book.side !== 0) {
      // The backtest's close takes the z of its fill bar; with latency 0 that is the closing signal's.
      this.closeBook(p, a, b, closeMs, this.latencyBars === 0 ? o.z : z, o.reason, o.ticket!);
    }
  }

  private closeBook(
    p: PaperPair,
    a: number,
    b: number,
    closeMs: number,
    z: number,
    reason: string,
    ticket: number,
  ): void {
    const qtyA = p.book.qtyA;
    const qtyB = p.book.qtyB;
    const trade = p.book.close(this.trades.length + 1, a, b, p.usdA, p.usdB, closeMs, z, reason);
    this.trades.push(trade);
    this.record(p, 'A', -qtyA, trade.price_A_exit, closeMs, true, ticket);
    this.record(p, 'B', -qtyB, trade.price_B_exit, closeMs, true, ticket + 1);
    p.tickets = [];
  }

  private record(
    p: PaperPair,
    leg: 'A' | 'B',
    signedLots: number,
    price: number,
    timeMs: number,
    reduce: boolean,
    ticket: number,
  ): number {
    this.fills.push({
      ticket,
      timeMs,
      pairId: p.spec.pair_id,
      leg,
      symbol: (leg === 'A' ? p.spec.leg_A : p.spec.leg_B).broker_symbol,
      side: signedLots >= 0 ? 'BUY' : 'SELL',
      lots: round8(Math.abs(signedLots)),
      price,
      reduce,
      retcode: DONE,
    });
    return ticket;
  }
}

/** Number of ts < t when `strict`, else of ts ≤ t (binary search over increasing times). */
function countBelow(ts: Float64Array, t: number, strict: boolean): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? ts[mid]! < t : ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the last ts ≤ t, −1 when none. */
const lastAtOrBefore = (ts: Float64Array, t: number): number => countBelow(ts, t, false) - 1;

/** Index of the first ts ≥ t (ts.length when none). */
const firstAtOrAfter = (ts: Float64Array, t: number): number => countBelow(ts, t, true);
