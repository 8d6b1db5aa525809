// LiveCache: what one `pt live` shard keeps between restarts (seq, feature state, believed positions, recent bars, last account.json).

/** The position a shard believes a pair holds: spread side and signed lots (+ long, − short) of each leg. */
export interface CachedPosition {
  side: -1 | 0 | 1;
  lotsA: number;
  lotsB: number;
  /** Open time of the bar that opened it (epoch ms UTC); 0 when flat. */
  openedTsMs: number;
}

/** One aligned bar of a pair: OHLC of both legs at bar open time `tsMs` (epoch ms UTC). */
export interface CachedBar {
  tsMs: number;
  aOpen: number;
  aHigh: number;
  aLow: number;
  aClose: number;
  bOpen: number;
  bHigh: number;
  bLow: number;
  bClose: number;
}

/**
 * The shard's local cache. Writes are synchronous; inside `commitBar(fn)` every write of `fn` is one
 * transaction, so a crash keeps either all of a bar's state or none of it. A write outside
 * `commitBar` is its own transaction.
 */
export interface LiveCache {
  /** The last signal.json seq written, or undefined for a new cache. */
  seq(): number | undefined;
  /** Stores seq; it must be greater than the stored one (throws OPS_CACHE_SEQ otherwise). */
  setSeq(n: number): void;
  saveFeatureState(pairId: string, barTsMs: number, json: string): void;
  featureState(pairId: string): { barTsMs: number; json: string } | undefined;
  setPosition(pairId: string, position: CachedPosition): void;
  positions(): Map<string, CachedPosition>;
  /** Stores (or replaces) a bar; only the newest bars of each pair are kept (the adapter's bound). */
  putBar(pairId: string, bar: CachedBar): void;
  /** The newest `n` bars of a pair, oldest first. */
  recentBars(pairId: string, n: number): CachedBar[];
  /** The text of the last account.json that parsed and validated. */
  saveAccount(json: string): void;
  lastAccount(): string | undefined;
  /** Runs `fn` (the bar's cache writes) as one transaction; a throw inside rolls all of them back. */
  commitBar(fn: () => void): void;
  close(): void;
}
