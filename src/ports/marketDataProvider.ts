// The MarketDataProvider port (SPEC §1.3): what every data source adapter implements.
import type { Timeframe } from '../core/time.js';
import type { CanonicalBar } from '../model/bar.js';

export interface ProviderCapabilities {
  timeframes: Timeframe[];
  assets: string[];
  /** Most bars one REST call returns. */
  maxBarsPerRequest: number;
  streaming: boolean;
}

export interface RateLimitInfo {
  restQps: number;
  creditsPerMinute?: number;
  wsChannels?: number;
}

export interface HealthStatus {
  status: 'ok' | 'degraded' | 'down';
  details: Record<string, unknown>;
}

export interface SymbolMeta {
  symbol: string;
  sourceSymbol: string;
  assetClass?: string;
}

/** A running stream; `close()` stops it. */
export interface BarStream {
  close(): Promise<void>;
}

export interface MarketDataProvider {
  /** Source id written into each bar's `source_id` (e.g. `twelvedata`). */
  readonly id: string;
  /**
   * Closed bars of one symbol with `startMs <= ts_utc < endMs`, ascending, validated against the
   * canonical schema. Pages internally over long ranges; `limit` caps the number returned.
   */
  fetchTimeSeries(
    symbol: string,
    timeframe: Timeframe,
    startMs: number,
    endMs: number,
    limit?: number,
  ): Promise<CanonicalBar[]>;
  /** Calls `onBar` with each bar once it has closed. */
  streamBars(symbols: string[], timeframe: Timeframe, onBar: (bar: CanonicalBar) => void): Promise<BarStream>;
  listSymbols(): Promise<SymbolMeta[]>;
  capabilities(): ProviderCapabilities;
  rateLimit(): RateLimitInfo;
  healthCheck(): Promise<HealthStatus>;
}
