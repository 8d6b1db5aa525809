// The `synthetic` MarketDataProvider: seeded cointegrated symbols (e.g. SYNA, SYNB) for demos and tests.
import { timeframeMs, TIMEFRAMES, type Timeframe } from '../../core/time.js';
import { PtError } from '../../core/ptError.js';
import type { CanonicalBar } from '../../model/bar.js';
import { assertCanonicalBars } from '../../model/barSchema.js';
import { barChecksum } from '../../model/barChecksum.js';
import type {
  BarStream,
  HealthStatus,
  MarketDataProvider,
  ProviderCapabilities,
  RateLimitInfo,
  SymbolMeta,
} from '../../ports/marketDataProvider.js';
import { simulateBasePath, specFor, SYNTHETIC_EPOCH_MS } from './simulatePair.js';

export interface SyntheticOptions {
  seed?: number;
  ingestRunId: string;
  /** Bars are served only once closed at this clock. */
  now?: () => number;
}

const PRICE_DECIMALS = 1e5;
const round = (x: number) => Math.round(x * PRICE_DECIMALS) / PRICE_DECIMALS;

export class SyntheticProvider implements MarketDataProvider {
  readonly id = 'synthetic';
  private readonly seed: number;
  private readonly ingestRunId: string;
  private readonly now: () => number;

  constructor(options: SyntheticOptions) {
    this.seed = options.seed ?? 42;
    this.ingestRunId = options.ingestRunId;
    this.now = options.now ?? Date.now;
  }

  async fetchTimeSeries(
    symbol: string,
    timeframe: Timeframe,
    startMs: number,
    endMs: number,
    limit?: number,
  ): Promise<CanonicalBar[]> {
    if (!/^[A-Z0-9]+$/.test(symbol))
      throw new PtError(
        'CORE_CLI_USAGE',
        `invalid synthetic symbol "${symbol}" (use upper-case letters/digits, e.g. SYNA)`,
        { exitCode: 2 },
      );
    const tfMs = timeframeMs(timeframe);
    const start = Math.max(startMs, SYNTHETIC_EPOCH_MS);
    // Only closed bars: the bar opening at t is served once t + timeframe has passed.
    const lastOpen = Math.min(endMs, Math.floor((this.now() - tfMs) / tfMs) * tfMs + 1);
    if (lastOpen <= start) return [];
    const path = simulateBasePath(specFor(symbol, this.seed), lastOpen + tfMs);
    const bars: CanonicalBar[] = [];
    let i = lowerBound(path.ts, start - (start % tfMs));
    while (i < path.length) {
      const bucket = path.ts[i]! - (path.ts[i]! % tfMs);
      if (bucket >= lastOpen || bucket >= endMs) break;
      const prevClose = i > 0 ? path.close[i - 1]! : path.close[0]!;
      let hi = -Infinity;
      let lo = Infinity;
      let j = i;
      for (; j < path.length && path.ts[j]! - (path.ts[j]! % tfMs) === bucket; j++) {
        if (path.high[j]! > hi) hi = path.high[j]!;
        if (path.low[j]! < lo) lo = path.low[j]!;
      }
      if (bucket >= start) {
        const open = round(Math.exp(prevClose));
        const close = round(Math.exp(path.close[j - 1]!));
        const high = Math.max(round(Math.exp(hi)), open, close);
        const low = Math.min(round(Math.exp(lo)), open, close);
        bars.push({
          ts_utc: bucket,
          symbol,
          timeframe,
          open,
          high,
          low,
          close,
          volume: null,
          quality_flag: 'ok',
          source_id: this.id,
          ingest_run_id: this.ingestRunId,
          metadata: {
            symbol_source: symbol,
            source_latency_ms: null,
            provider_version: 'synthetic-1',
            ingest_seq: (bucket - SYNTHETIC_EPOCH_MS) / tfMs,
            checksum: barChecksum(bucket, open, high, low, close, null),
          },
        });
        if (limit !== undefined && bars.length >= limit) break;
      }
      i = j;
    }
    assertCanonicalBars(bars, 'synthetic');
    return bars;
  }

  async streamBars(symbols: string[], timeframe: Timeframe, onBar: (bar: CanonicalBar) => void): Promise<BarStream> {
    const tfMs = timeframeMs(timeframe);
    let last = Math.floor(this.now() / tfMs) * tfMs - tfMs;
    const timer = setInterval(
      () => {
        void (async () => {
          const until = Math.floor(this.now() / tfMs) * tfMs;
          if (until <= last + tfMs - 1) return;
          for (const s of symbols)
            for (const bar of await this.fetchTimeSeries(s, timeframe, last + tfMs, until)) onBar(bar);
          last = until - tfMs;
        })();
      },
      Math.min(tfMs, 1000),
    );
    return { close: async () => clearInterval(timer) };
  }

  async listSymbols(): Promise<SymbolMeta[]> {
    return ['SYNA', 'SYNB'].map((s) => ({ symbol: s, sourceSymbol: s, assetClass: 'SYNTH' }));
  }

  capabilities(): ProviderCapabilities {
    return {
      timeframes: [...TIMEFRAMES],
      assets: ['SYNTH'],
      maxBarsPerRequest: Number.MAX_SAFE_INTEGER,
      streaming: true,
    };
  }

  rateLimit(): RateLimitInfo {
    return { restQps: Number.POSITIVE_INFINITY };
  }

  async healthCheck(): Promise<HealthStatus> {
    return { status: 'ok', details: { seed: this.seed } };
  }
}

function lowerBound(xs: Float64Array, value: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (xs[m]! < value) lo = m + 1;
    else hi = m;
  }
  return lo;
}
