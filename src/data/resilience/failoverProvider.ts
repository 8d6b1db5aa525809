// A MarketDataProvider over several sources in priority order, skipping a source whose circuit is open.
import { PtError, isPtError } from '../../core/ptError.js';
import type { Timeframe } from '../../core/time.js';
import type { PtConfig } from '../../config/schemas/index.js';
import type { CanonicalBar } from '../../model/bar.js';
import type {
  BarStream,
  HealthStatus,
  MarketDataProvider,
  ProviderCapabilities,
  RateLimitInfo,
  SymbolMeta,
} from '../../ports/marketDataProvider.js';
import type { PtMetrics } from '../../observability/metrics.js';
import { CircuitBreakerRegistry, type CircuitBreaker } from './circuitBreaker.js';
import type { Now } from './clock.js';

export { markConflicts, type ConflictResult } from './markConflicts.js';

export interface FailoverEntry {
  provider: MarketDataProvider;
  /** Lower is tried first (sources.yaml `priority`). */
  priority: number;
}

export interface FailoverOptions {
  openThresholdErrors: number;
  halfOpenAfterMs: number;
  now?: Now;
  metrics?: Pick<PtMetrics, 'circuitOpen'>;
  /** Called when a source other than the first is used, or a source is skipped. */
  onEvent?: (event: {
    type: 'skipped_open' | 'failed' | 'served';
    source: string;
    timeframe: string;
    error?: unknown;
  }) => void;
}

interface Attempt {
  source: string;
  error: unknown;
}

function describe(attempts: Attempt[]): string {
  return attempts
    .map((a) => `${a.source}: ${isPtError(a.error) ? `${a.error.id} ${a.error.message}` : String(a.error)}`)
    .join('; ');
}

export class FailoverProvider implements MarketDataProvider {
  readonly id = 'failover';
  private readonly ordered: MarketDataProvider[];
  private readonly breakers: CircuitBreakerRegistry;
  private readonly onEvent: FailoverOptions['onEvent'];
  /** Source that served the last successful call, per timeframe. */
  readonly lastServedBy = new Map<string, string>();

  constructor(entries: FailoverEntry[], options: FailoverOptions) {
    if (entries.length === 0) throw new PtError('CORE_INTERNAL_BUG', 'FailoverProvider needs at least one provider');
    // Stable sort: equal priorities keep the order given.
    this.ordered = entries
      .map((e, i) => ({ ...e, i }))
      .sort((a, b) => a.priority - b.priority || a.i - b.i)
      .map((e) => e.provider);
    this.breakers = new CircuitBreakerRegistry({
      openThresholdErrors: options.openThresholdErrors,
      halfOpenAfterMs: options.halfOpenAfterMs,
      now: options.now,
      metrics: options.metrics,
    });
    this.onEvent = options.onEvent;
  }

  /** Source ids in the order they are tried. */
  sources(): string[] {
    return this.ordered.map((p) => p.id);
  }

  breaker(source: string, timeframe: string): CircuitBreaker {
    return this.breakers.get(source, timeframe);
  }

  private async firstThatWorks<T>(
    timeframe: string,
    call: (p: MarketDataProvider) => Promise<T>,
    eligible: (p: MarketDataProvider) => boolean = () => true,
  ): Promise<T> {
    const attempts: Attempt[] = [];
    for (const p of this.ordered) {
      if (!eligible(p)) continue;
      const breaker = this.breakers.get(p.id, timeframe);
      if (!breaker.canAttempt()) {
        attempts.push({
          source: p.id,
          error: new PtError('DATA_API_CIRCUIT', `circuit ${breaker.state()} for ${p.id} × ${timeframe}`, {
            source: p.id,
          }),
        });
        this.onEvent?.({ type: 'skipped_open', source: p.id, timeframe });
        continue;
      }
      try {
        const out = await breaker.execute(() => call(p));
        this.lastServedBy.set(timeframe, p.id);
        this.onEvent?.({ type: 'served', source: p.id, timeframe });
        return out;
      } catch (error) {
        attempts.push({ source: p.id, error });
        this.onEvent?.({ type: 'failed', source: p.id, timeframe, error });
      }
    }
    throw new PtError('DATA_API_EXHAUSTED', `every provider failed for ${timeframe}: ${describe(attempts)}`, {
      source: 'failover',
      details: {
        timeframe,
        attempts: attempts.map((a) => ({ source: a.source, error_id: isPtError(a.error) ? a.error.id : 'UNKNOWN' })),
      },
    });
  }

  fetchTimeSeries(
    symbol: string,
    timeframe: Timeframe,
    startMs: number,
    endMs: number,
    limit?: number,
  ): Promise<CanonicalBar[]> {
    return this.firstThatWorks(
      timeframe,
      (p) => p.fetchTimeSeries(symbol, timeframe, startMs, endMs, limit),
      (p) => p.capabilities().timeframes.includes(timeframe),
    );
  }

  streamBars(symbols: string[], timeframe: Timeframe, onBar: (bar: CanonicalBar) => void): Promise<BarStream> {
    return this.firstThatWorks(
      timeframe,
      (p) => p.streamBars(symbols, timeframe, onBar),
      (p) => p.capabilities().streaming && p.capabilities().timeframes.includes(timeframe),
    );
  }

  async listSymbols(): Promise<SymbolMeta[]> {
    const attempts: Attempt[] = [];
    for (const p of this.ordered) {
      try {
        return await p.listSymbols();
      } catch (error) {
        attempts.push({ source: p.id, error });
      }
    }
    throw new PtError('DATA_API_EXHAUSTED', `no provider could list symbols: ${describe(attempts)}`, {
      source: 'failover',
    });
  }

  capabilities(): ProviderCapabilities {
    const caps = this.ordered.map((p) => p.capabilities());
    return {
      timeframes: [...new Set(caps.flatMap((c) => c.timeframes))],
      assets: [...new Set(caps.flatMap((c) => c.assets))],
      maxBarsPerRequest: caps[0]!.maxBarsPerRequest,
      streaming: caps.some((c) => c.streaming),
    };
  }

  rateLimit(): RateLimitInfo {
    return this.ordered[0]!.rateLimit();
  }

  async healthCheck(): Promise<HealthStatus> {
    const results = await Promise.all(
      this.ordered.map(async (p) => {
        try {
          return { source: p.id, ...(await p.healthCheck()) };
        } catch (error) {
          return {
            source: p.id,
            status: 'down' as const,
            details: { error: isPtError(error) ? error.id : String(error) },
          };
        }
      }),
    );
    const primaryOk = results[0]!.status === 'ok';
    const anyUp = results.some((r) => r.status !== 'down');
    return {
      status: primaryOk && results.every((r) => r.status === 'ok') ? 'ok' : anyUp ? 'degraded' : 'down',
      details: Object.fromEntries(results.map((r) => [r.source, { status: r.status, ...r.details }])),
    };
  }
}

/** A FailoverProvider ordered by `sources.yaml` priority, with the breaker settings of pipeline_policy. */
export function failoverFromConfig(
  config: PtConfig,
  providers: MarketDataProvider[],
  deps: { now?: Now; metrics?: Pick<PtMetrics, 'circuitOpen'> } = {},
): FailoverProvider {
  const declared = config.sources.providers;
  const entries = providers.map((provider) => {
    const spec = declared[provider.id];
    if (!spec)
      throw new PtError('CORE_CONFIG_INVALID', `provider "${provider.id}" is not declared in sources.yaml`, {
        source: 'config',
      });
    return { provider, priority: spec.priority };
  });
  const cb = config.pipeline_policy.circuit_breaker;
  return new FailoverProvider(entries, {
    openThresholdErrors: cb.open_threshold_errors,
    halfOpenAfterMs: cb.half_open_after_seconds * 1000,
    now: deps.now,
    metrics: deps.metrics,
  });
}
