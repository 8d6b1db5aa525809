// USD per unit of each non-USD quote currency while streaming: the store's rate at the end of the
// warm-up, then the close of the currency's USD pair as the live source delivers it (subscribed with
// the legs). The pair is the market's usual quote: EUR, GBP, AUD, NZD and the metals as CCYUSD,
// every other currency as USDCCY (inverted).
import type { Leg, PairSpec } from '../../config/schemas/index.js';
import { usdPerQuote } from '../../decision/usdPerQuote.js';
import type { ConversionRate } from '../../backtest/backtestTypes.js';
import type { LegBar } from '../../ports/legBarFeed.js';

const QUOTED_AGAINST_USD = new Set(['EUR', 'GBP', 'AUD', 'NZD', 'XAU', 'XAG', 'XPT', 'XPD']);

/** The symbol that prices `ccy` in USD, and whether its close must be inverted. */
export function conversionSymbolOf(ccy: string): { symbol: string; invert: boolean } {
  return QUOTED_AGAINST_USD.has(ccy) ? { symbol: `${ccy}USD`, invert: false } : { symbol: `USD${ccy}`, invert: true };
}

/** Rates kept per currency: a source's history burst (a restart's gap fill) is looked up bar by bar. */
const KEEP = 16_384;

interface Rate {
  symbol: string;
  invert: boolean;
  /** Ascending bar times and their USD per unit; the first entry may be the store's seed. */
  ts: number[];
  usdPer: number[];
}

export class StreamConversion {
  private readonly byCcy = new Map<string, Rate>();
  private readonly bySymbol = new Map<string, Rate>();

  constructor(specs: readonly PairSpec[]) {
    for (const spec of specs)
      for (const leg of [spec.leg_A, spec.leg_B]) {
        if (leg.quote_ccy === 'USD' || this.byCcy.has(leg.quote_ccy)) continue;
        const { symbol, invert } = conversionSymbolOf(leg.quote_ccy);
        const rate: Rate = { symbol, invert, ts: [], usdPer: [] };
        this.byCcy.set(leg.quote_ccy, rate);
        this.bySymbol.set(symbol, rate);
      }
  }

  /** The conversion symbols the live source must deliver besides the legs. */
  get symbols(): string[] {
    return [...this.bySymbol.keys()];
  }

  /** Seeds each currency with the store's rate at `atMs` (the warm-up's last bar); a currency the store lacks stays unknown. */
  seed(specs: readonly PairSpec[], storeRate: ConversionRate, atMs: number): void {
    for (const spec of specs)
      for (const leg of [spec.leg_A, spec.leg_B]) {
        const rate = this.byCcy.get(leg.quote_ccy);
        if (!rate || rate.ts.length > 0) continue;
        try {
          rate.usdPer.push(storeRate(leg.canonical_symbol, atMs));
          rate.ts.push(atMs);
        } catch {
          // No stored rate: the live source's first bar of the symbol sets it.
        }
      }
  }

  observe(b: LegBar): void {
    const rate = this.bySymbol.get(b.symbol);
    if (!rate || !(b.close > 0)) return;
    const usdPer = rate.invert ? 1 / b.close : b.close;
    const n = rate.ts.length;
    if (n > 0 && b.tsMs <= rate.ts[n - 1]!) {
      // A revision of a kept bar replaces its rate; an older one is not kept.
      const i = rate.ts.lastIndexOf(b.tsMs);
      if (i >= 0) rate.usdPer[i] = usdPer;
      return;
    }
    rate.ts.push(b.tsMs);
    rate.usdPer.push(usdPer);
    if (n + 1 > KEEP) {
      rate.ts.splice(0, KEEP / 2);
      rate.usdPer.splice(0, KEEP / 2);
    }
  }

  /**
   * The leg's USD per quote unit at bar time `tsMs`: the rate of the latest conversion bar at or
   * before it (as the store replay takes it); DATA_INPUT_MISSING when neither the store nor the
   * source gave one.
   */
  usdPerQuote(leg: Leg, tsMs: number): number {
    if (leg.quote_ccy === 'USD') return 1;
    const rate = this.byCcy.get(leg.quote_ccy);
    let at: number | undefined;
    if (rate) for (let i = rate.ts.length - 1; i >= 0 && at === undefined; i--) if (rate.ts[i]! <= tsMs) at = i;
    return usdPerQuote(leg, at === undefined ? undefined : rate!.usdPer[at]);
  }
}
