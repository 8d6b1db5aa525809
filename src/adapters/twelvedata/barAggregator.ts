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
}

interface Forming {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

export class BarAggregator {
  private readonly tfMs: number;
  private forming: Forming | null = null;
  private lastEmittedTs = -Infinity;
  /** Ticks dropped because their bar had already been emitted. */
  lateTicks = 0;

  constructor(private readonly options: BarAggregatorOptions) {
    this.tfMs = timeframeMs(options.timeframe);
  }

  /** Adds one tick (epoch ms); returns the bar it closed, if the tick opened a later bar. */
  onPrice(tsMs: number, price: number, nowMs: number): CanonicalBar[] {
    const bucket = Math.floor(tsMs / this.tfMs) * this.tfMs;
    if (bucket <= this.lastEmittedTs || (this.forming && bucket < this.forming.ts)) {
      this.lateTicks++;
      return [];
    }
    const out: CanonicalBar[] = [];
    if (this.forming && bucket > this.forming.ts) out.push(this.emit(nowMs));
    if (!this.forming) this.forming = { ts: bucket, open: price, high: price, low: price, close: price };
    else {
      const f = this.forming;
      if (price > f.high) f.high = price;
      if (price < f.low) f.low = price;
      f.close = price;
    }
    return out;
  }

  /** Emits the forming bar if its time is up (ts + timeframe + graceMs <= now). */
  flush(nowMs: number, graceMs = 0): CanonicalBar[] {
    if (this.forming && this.forming.ts + this.tfMs + graceMs <= nowMs) return [this.emit(nowMs)];
    return [];
  }

  private emit(nowMs: number): CanonicalBar {
    const f = this.forming!;
    this.forming = null;
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
