// LegBarFeed: closed bars of single symbols as a live source delivers them (TwelveData's stream with
// its REST re-sync, a watched folder of bar files). pt live joins them into pair bars.

/** One closed bar of one symbol, keyed by its open time (epoch ms UTC). */
export interface LegBar {
  /** Canonical symbol (XAUUSD). */
  symbol: string;
  tsMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /**
   * True when the feed already delivered a bar of this symbol and time and this one replaces it
   * (the provider's REST bar arriving after the bar aggregated from the stream, a re-written file).
   */
  revised: boolean;
}

export interface LegBarFeedLog {
  info(entry: object): void;
  warn(entry: object): void;
  error(entry: object): void;
}

export interface LegBarFeed {
  /**
   * Starts delivering closed bars (open time + one timeframe ≤ the feed's clock) of `symbols` whose
   * open time is ≥ `fromMs`, ascending per symbol, to `onBar`. A feed that can fetch history
   * (REST) first delivers the bars from `fromMs` to now, so a restart fills its gap. Resolves once
   * the feed runs; a feed that cannot start rejects with a PtError.
   */
  start(symbols: readonly string[], fromMs: number, onBar: (bar: LegBar) => void): Promise<void>;
  /** Stops delivering; no `onBar` call after it resolves. */
  close(): Promise<void>;
}
