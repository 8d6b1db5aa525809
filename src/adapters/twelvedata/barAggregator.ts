// Folds price ticks of one symbol into OHLC bars of a timeframe and hands out each bar once it has closed.
import { timeframeMs, type Timeframe } from '../../core/time.js';
import type { CanonicalBar } from '../../model/bar.js';
import { barChecksum } from '../../model/barChecksum.js';
import { PROVIDER_VERSION_WS } from './parse.js';

export interface BarAggregatorOptions {
  symbol: string;
  symbolSource: string;
  timeframe: Timeframe;
  ingestRunId: string;
  nextSeq: () => number;
  sourceId?: string;
  /** Ticks stamped more than this after `now` are refused (a bad clock or unit); one timeframe, at least 5 minutes, unless given. */
  maxFutureMs?: number;
}

interface Forming {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** What became of one tick. */
export type TickFate = 'taken' | 'late' | 'future';

export const MIN_MAX_FUTURE_MS = 5 * 60_000;

/**
 * A bar is handed out only once its close time has passed by the injected clock
 * (ts + timeframe <= now): a tick stamped in the next bar proves nothing while the local clock
 * says the bar is still open (the server's clock may run ahead), so `pt live` never acts on a
 * bar that could still change. Bars still open are kept side by side (usually one, two across a
 * clock skew), ascending.
 */
export class BarAggregator {
  private readonly tfMs: number;
  private readonly maxFutureMs: number;
  private forming: Forming[] = [];
  private lastEmittedTs = -Infinity;
  /** Ticks dropped because their bar had already been emitted. */
  lateTicks = 0;
  /** Ticks dropped because they were stamped too far ahead of the clock. */
  futureTicks = 0;

  constructor(private readonly options: BarAggregatorOptions) {
    this.tfMs = timeframeMs(options.timeframe);
    this.maxFutureMs = options.maxFutureMs ?? Math.max(this.tfMs, MIN_MAX_FUTURE_MS);
  }

  /** Open time of the newest bar handed out (or marked delivered), -Infinity before the first. */
  get lastClosedTs(): number {
    return this.lastEmittedTs;
  }

  /** Last outcome of onPrice, for the caller's log line. */
  lastFate: TickFate = 'taken';

  /** Adds one tick (epoch ms); returns the bars that are now closed, ascending. */
  onPrice(tsMs: number, price: number, nowMs: number): CanonicalBar[] {
    if (tsMs > nowMs + this.maxFutureMs) {
      this.futureTicks++;
      this.lastFate = 'future';
      return this.due(nowMs, 0);
    }
    const bucket = Math.floor(tsMs / this.tfMs) * this.tfMs;
    // Also late: a tick of a bar that closed longer ago than the same tolerance (e.g. a timestamp
    // read in the wrong unit), which would otherwise open an ancient bar before any was emitted.
    if (bucket <= this.lastEmittedTs || bucket + this.tfMs + this.maxFutureMs < nowMs) {
      this.lateTicks++;
      this.lastFate = 'late';
      return this.due(nowMs, 0);
    }
    this.lastFate = 'taken';
    let i = this.forming.length - 1;
    while (i >= 0 && this.forming[i]!.ts > bucket) i--;
    const f = i >= 0 ? this.forming[i] : undefined;
    if (f && f.ts === bucket) {
      if (price > f.high) f.high = price;
      if (price < f.low) f.low = price;
      // Ticks of one bar arrive in time order; the latest one received is its close.
      f.close = price;
    } else {
      this.forming.splice(i + 1, 0, { ts: bucket, open: price, high: price, low: price, close: price });
    }
    return this.due(nowMs, 0);
  }

  /**
   * Emits every bar whose close time has passed: a bar with a later bar after it at once, the
   * newest one `graceMs` after its close (late ticks of it may still be in flight).
   */
  flush(nowMs: number, graceMs = 0): CanonicalBar[] {
    return this.due(nowMs, graceMs);
  }

  /** Treats every bar up to `tsMs` as delivered (a REST re-sync served them): ticks for them are late. */
  markDelivered(tsMs: number): void {
    if (tsMs <= this.lastEmittedTs) return;
    this.lastEmittedTs = tsMs;
    this.forming = this.forming.filter((f) => f.ts > tsMs);
  }

  private due(nowMs: number, graceMs: number): CanonicalBar[] {
    const out: CanonicalBar[] = [];
    while (this.forming.length > 0) {
      const f = this.forming[0]!;
      const newest = this.forming.length === 1;
      if (f.ts + this.tfMs + (newest ? graceMs : 0) > nowMs) break;
      this.forming.shift();
      out.push(this.emit(f, nowMs));
    }
    return out;
  }

  private emit(f: Forming, nowMs: number): CanonicalBar {
    this.lastEmittedTs = f.ts;
    return {
      ts_utc: f.ts,
      symbol: this.options.symbol,
      timeframe: this.options.timeframe,
      open: f.open,
      high: f.high,
      low: f.low,
      close: f.close,
      // The stream only carries a cumulative day volume (and none for FX/metals), so bar volume is unknown.
      volume: null,
      quality_flag: 'ok',
      source_id: this.options.sourceId ?? 'twelvedata',
      ingest_run_id: this.options.ingestRunId,
      metadata: {
        symbol_source: this.options.symbolSource,
        source_latency_ms: Math.max(0, nowMs - (f.ts + this.tfMs)),
        provider_version: PROVIDER_VERSION_WS,
        ingest_seq: this.options.nextSeq(),
        checksum: barChecksum(f.ts, f.open, f.high, f.low, f.close, null),
      },
    };
  }
}
