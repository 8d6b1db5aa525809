// The `twelvedata` MarketDataProvider: paged REST /time_series with retries and rate limiting, plus the price stream.
import { randomUUID } from 'node:crypto';
import { PtError, isPtError } from '../../core/ptError.js';
import { timeframeMs, type Timeframe } from '../../core/time.js';
import type { PtConfig } from '../../config/schemas/index.js';
import type { CanonicalBar } from '../../model/bar.js';
import { assertCanonicalBars } from '../../model/barSchema.js';
import type {
  BarStream,
  HealthStatus,
  MarketDataProvider,
  ProviderCapabilities,
  RateLimitInfo,
  SymbolMeta,
} from '../../ports/marketDataProvider.js';
import { metrics as defaultMetrics, type PtMetrics } from '../../observability/metrics.js';
import { createLogger } from '../../core/logger.js';
import { retryWithBackoff } from '../../data/resilience/retryWithBackoff.js';
import { tokenBucketFromRateLimits, type TokenBucket } from '../../data/resilience/tokenBucket.js';
import { realSleep, type Random, type Sleep } from '../../data/resilience/clock.js';
import { calendarForSymbol } from '../../data/calendar/calendarForSymbol.js';
import { closedMarketBars, closureAt } from '../../data/calendar/closedMarketBars.js';
import { resolveApiKey, TWELVEDATA_SOURCE_ID, type TwelveDataSettings } from './config.js';
import { msToNextMinuteWindow, TwelveDataClient, type FetchLike } from './client.js';
import {
  createSeq,
  formatTdDate,
  fromProviderSymbol,
  parseTimeSeries,
  TD_INTERVAL,
  toProviderSymbol,
} from './parse.js';
import { openPriceStream, type PriceStreamOptions, type StreamLogger } from './priceStream.js';

export interface TwelveDataDeps {
  fetch?: FetchLike;
  /** Wall clock (epoch ms): decides which bars have closed and seeds ingest_seq. */
  now?: () => number;
  /** Used for backoff and rate-limit waits. */
  sleep?: Sleep;
  random?: Random;
  env?: NodeJS.ProcessEnv;
  /** Written into every bar's ingest_run_id; a fresh UUID unless given. */
  ingestRunId?: string;
  metrics?: PtMetrics;
  /** Structured logger for retries and stream events; pt's JSON logger on stderr unless given. */
  logger?: StreamLogger;
  /**
   * Told of each failed REST attempt before the wait for the next one (the CLI prints a line per
   * retry, so a run without network is not a silent wait).
   */
  onRetry?: (notice: RetryNotice) => void;
  /** Stream timing overrides (tests use short ones). */
  stream?: Partial<
    Pick<
      PriceStreamOptions,
      'heartbeatMs' | 'flushEveryMs' | 'closeGraceMs' | 'idleTimeoutMs' | 'stallAfterMs' | 'maxFutureMs'
    >
  >;
  /** Told, once per fetchTimeSeries call, of the bars it dropped (the ingest prints them as source counts). */
  onDropped?: (notice: DropNotice) => void;
}

/** Bars one fetchTimeSeries call left out on purpose. */
export interface DropNotice {
  symbol: string;
  timeframe: Timeframe;
  /** Inconsistent OHLC or a non-positive price (SPEC §1.4), as the CSV path drops them. */
  droppedInvalid: number;
  /** Bars wholly inside the market's weekly close (TwelveData serves FX and metals through the weekend). */
  droppedWeeklyClose: number;
  /** Bars wholly on one of the market's closed holidays. */
  droppedHoliday: number;
}

/** One failed attempt of a REST call that will be retried. */
export interface RetryNotice {
  symbol: string;
  timeframe: Timeframe;
  /** 1-based number of the attempt that failed, of `attempts` in all. */
  attempt: number;
  attempts: number;
  delayMs: number;
  /** The failure, without the request URL. */
  reason: string;
}

/** `twelvedata network error: … (https://…)` → `network error: …`. */
function retryReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let text = error.message.replace(/^twelvedata /, '');
  const url = isPtError(error) ? error.details.url : undefined;
  if (typeof url === 'string') text = text.replace(` (${url})`, '');
  return text;
}

export class TwelveDataProvider implements MarketDataProvider {
  readonly id = TWELVEDATA_SOURCE_ID;
  readonly ingestRunId: string;
  private readonly client: TwelveDataClient;
  private readonly bucket: TokenBucket;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private readonly random: Random;
  private readonly env: NodeJS.ProcessEnv;
  private readonly m: PtMetrics;
  private readonly nextSeq: () => number;
  private readonly log: StreamLogger;
  /** Set by a per-day 429: every later call fails at once with it, without a request. */
  private quotaError: PtError | undefined;
  /** No call before this instant: the last answer said no credits are left in this minute. */
  private creditsBackAt = 0;

  constructor(
    private readonly settings: TwelveDataSettings,
    private readonly config: PtConfig,
    private readonly deps: TwelveDataDeps = {},
  ) {
    this.now = deps.now ?? Date.now;
    this.sleep = deps.sleep ?? realSleep;
    this.random = deps.random ?? Math.random;
    this.env = deps.env ?? process.env;
    this.m = deps.metrics ?? defaultMetrics;
    this.ingestRunId = deps.ingestRunId ?? randomUUID();
    this.nextSeq = createSeq(this.now);
    this.log = deps.logger ?? createLogger({ source: TWELVEDATA_SOURCE_ID, run_id: this.ingestRunId });
    this.bucket = tokenBucketFromRateLimits(settings.rateLimits, { now: this.now, sleep: this.sleep });
    this.client = new TwelveDataClient({
      baseUrl: settings.baseUrl,
      // Read per request, so a provider can be built (listSymbols, capabilities) without the key.
      apiKey: () => resolveApiKey(settings, this.env),
      timeoutMs: settings.requestTimeoutMs,
      fetch: deps.fetch,
      now: this.now,
      metrics: this.m,
    });
  }

  private checkArgs(symbol: string, timeframe: Timeframe): void {
    if (!this.settings.timeframes.includes(timeframe)) {
      throw new PtError(
        'CORE_CLI_USAGE',
        `twelvedata is not configured for timeframe ${timeframe} (sources.yaml: ${this.settings.timeframes.join(', ')})`,
        { source: this.id, exitCode: 2 },
      );
    }
    if (!/^[A-Z0-9]+(\/[A-Z0-9]+)?$/i.test(symbol)) {
      throw new PtError('CORE_CLI_USAGE', `invalid symbol "${symbol}" (use e.g. XAUUSD)`, {
        source: this.id,
        exitCode: 2,
      });
    }
  }

  /**
   * Closed bars with startMs <= ts < endMs, ascending. The range is cut into windows of
   * page_size - 1 bar slots (one slot of margin in case end_date is inclusive), so one call
   * per window can never be truncated by outputsize. `limit` keeps the earliest bars.
   */
  async fetchTimeSeries(
    symbol: string,
    timeframe: Timeframe,
    startMs: number,
    endMs: number,
    limit?: number,
  ): Promise<CanonicalBar[]> {
    this.checkArgs(symbol, timeframe);
    resolveApiKey(this.settings, this.env);
    const tfMs = timeframeMs(timeframe);
    // The bar opening at floor(now) is still forming, so nothing at or after it is asked for.
    const end = Math.min(endMs, Math.floor(this.now() / tfMs) * tfMs);
    const windowMs = Math.max(1, this.settings.pageSize - 1) * tfMs;
    const bySlot = new Map<number, CanonicalBar>();
    const labels = { source: this.id, timeframe };
    const dropped = { invalid: 0 };
    const closedCounts = { weeklyClose: 0, holiday: 0 };
    const calendar = calendarForSymbol(this.config, fromProviderSymbol(symbol));
    const legZone = this.legTimezone(symbol);
    for (let s = startMs; s < end; s += windowMs) {
      const e = Math.min(s + windowMs, end);
      const params = {
        symbol: toProviderSymbol(symbol),
        interval: TD_INTERVAL[timeframe],
        start_date: formatTdDate(s),
        end_date: formatTdDate(e),
        outputsize: String(this.settings.pageSize),
        timezone: 'UTC',
        format: 'JSON',
      };
      const res = await retryWithBackoff(
        async () => {
          if (this.quotaError) throw this.quotaSpent(symbol);
          await this.takeCredit();
          try {
            const got = await this.client.get('/time_series', params, timeframe);
            this.noteCredits(got.credits.left);
            return got;
          } catch (error) {
            if (isPtError(error) && error.id === 'DATA_API_QUOTA') this.quotaError = error;
            throw error;
          }
        },
        {
          retryMax: this.settings.retryMax,
          baseMs: this.settings.backoffBaseMs,
          maxMs: this.settings.backoffMaxMs,
          sleep: this.sleep,
          random: this.random,
          labels,
          metrics: this.m,
          onRetry: ({ attempt, delayMs, error }) => {
            // With a caller printing its own line per retry, the log line is detail (debug), not a second warning.
            const retryLine = {
              event: 'api_retry',
              symbol,
              timeframe,
              details: {
                attempt,
                delay_ms: delayMs,
                error_id: isPtError(error) ? error.id : 'UNKNOWN',
                message: error instanceof Error ? error.message : String(error),
              },
            };
            if (this.deps.onRetry) this.log.debug?.(retryLine);
            else this.log.warn(retryLine);
            this.deps.onRetry?.({
              symbol,
              timeframe,
              attempt,
              attempts: this.settings.retryMax + 1,
              delayMs,
              reason: retryReason(error),
            });
          },
        },
      );
      const bars = parseTimeSeries(res.body, {
        symbol,
        timeframe,
        nowMs: this.now(),
        ingestRunId: this.ingestRunId,
        sourceLatencyMs: Math.round(res.latencyMs),
        nextSeq: this.nextSeq,
        startMs: s,
        endMs: e,
        exchangeTimezones: legZone ? [legZone] : [],
        dropped,
      });
      // FX and metals are served through the weekend and on holidays; such bars are no trading at all.
      const closed = closedMarketBars(
        calendar,
        bars.map((b) => b.ts_utc),
        tfMs,
      );
      closedCounts.weeklyClose += closed.weeklyClose;
      closedCounts.holiday += closed.holiday;
      bars.forEach((b, i) => {
        if (closed.mask[i] === 0) bySlot.set(b.ts_utc, b);
      });
      if (limit !== undefined && bySlot.size >= limit) break;
    }
    let out = [...bySlot.values()].sort((a, b) => a.ts_utc - b.ts_utc);
    const closed = { ...closedCounts, count: closedCounts.weeklyClose + closedCounts.holiday };
    if (limit !== undefined) out = out.slice(0, Math.max(0, limit));
    assertCanonicalBars(out, this.id);
    this.deps.onDropped?.({
      symbol: fromProviderSymbol(symbol),
      timeframe,
      droppedInvalid: dropped.invalid,
      droppedWeeklyClose: closed.weeklyClose,
      droppedHoliday: closed.holiday,
    });
    if (dropped.invalid + closed.count > 0) {
      // With a caller printing the counts (pt ingest), the log line is detail.
      (this.deps.onDropped ? (o: object) => this.log.debug?.(o) : (o: object) => this.log.info(o))({
        event: 'bars_dropped',
        symbol: fromProviderSymbol(symbol),
        timeframe,
        details: { invalid: dropped.invalid, weekly_close: closed.weeklyClose, holiday: closed.holiday },
      });
    }
    return out;
  }

  /** The daily-quota error again, for a later call of the run: no request, no URL of an earlier one. */
  private quotaSpent(symbol: string): PtError {
    const first = this.quotaError!;
    const url = first.details.url;
    const message = typeof url === 'string' ? first.message.replace(` (${url})`, '') : first.message;
    const { url: _url, attempts: _attempts, ...details } = first.details;
    return new PtError('DATA_API_QUOTA', `${message}; no request was sent for ${symbol}`, {
      source: this.id,
      details: { ...details, retryable: false, notSent: true },
    });
  }

  /** The zone universe.yaml gives the symbol's leg, if it is listed. */
  private legTimezone(symbol: string): string | undefined {
    const s = fromProviderSymbol(symbol);
    for (const pair of this.config.universe.pairs)
      for (const leg of [pair.leg_A, pair.leg_B])
        if (fromProviderSymbol(leg.canonical_symbol) === s) return leg.timezone;
    return undefined;
  }

  /** A token from the bucket, after the next minute window when the last answer left no credits. */
  private async takeCredit(): Promise<void> {
    const wait = this.creditsBackAt - this.now();
    if (wait > 0) await this.sleep(wait);
    await this.bucket.take();
  }

  /** `api-credits-left: 0` on a good answer: the next call would be a 429, so it waits for the next minute. */
  private noteCredits(left: number | undefined): void {
    if (left !== undefined && left <= 0) this.creditsBackAt = this.now() + msToNextMinuteWindow(this.now());
  }

  /** `hooks.onConnect` hears each (re)connection, for a caller that re-syncs after one. */
  async streamBars(
    symbols: string[],
    timeframe: Timeframe,
    onBar: (bar: CanonicalBar) => void,
    hooks: Pick<PriceStreamOptions, 'onConnect'> = {},
  ): Promise<BarStream> {
    for (const s of symbols) this.checkArgs(s, timeframe);
    return openPriceStream({
      wsUrl: this.settings.wsUrl,
      apiKey: resolveApiKey(this.settings, this.env),
      symbols,
      timeframe,
      onBar,
      ingestRunId: this.ingestRunId,
      nextSeq: this.nextSeq,
      heartbeatMs: this.deps.stream?.heartbeatMs ?? this.settings.heartbeatMs,
      flushEveryMs: this.deps.stream?.flushEveryMs,
      closeGraceMs: this.deps.stream?.closeGraceMs,
      idleTimeoutMs: this.deps.stream?.idleTimeoutMs,
      stallAfterMs: this.deps.stream?.stallAfterMs,
      maxFutureMs: this.deps.stream?.maxFutureMs,
      resync: (symbol, fromMs, toMs) => this.fetchTimeSeries(symbol, timeframe, fromMs, toMs),
      marketClosed: (symbol, tsMs) => closureAt(calendarForSymbol(this.config, symbol), tsMs) !== null,
      retryMax: this.settings.retryMax,
      backoffBaseMs: this.settings.backoffBaseMs,
      backoffMaxMs: this.settings.backoffMaxMs,
      now: this.now,
      sleep: this.sleep,
      random: this.random,
      metrics: this.m,
      logger: this.log,
      onConnect: hooks.onConnect,
    });
  }

  /** The universe's legs whose asset class this source serves (sources.yaml `assets`). */
  async listSymbols(): Promise<SymbolMeta[]> {
    const seen = new Map<string, SymbolMeta>();
    for (const pair of this.config.universe.pairs) {
      for (const leg of [pair.leg_A, pair.leg_B]) {
        if (this.settings.assets.length > 0 && !this.settings.assets.includes(leg.asset_class)) continue;
        const symbol = fromProviderSymbol(leg.canonical_symbol);
        if (!seen.has(symbol))
          seen.set(symbol, { symbol, sourceSymbol: toProviderSymbol(symbol), assetClass: leg.asset_class });
      }
    }
    return [...seen.values()];
  }

  capabilities(): ProviderCapabilities {
    return {
      timeframes: [...this.settings.timeframes],
      assets: [...this.settings.assets],
      maxBarsPerRequest: this.settings.pageSize,
      streaming: true,
    };
  }

  rateLimit(): RateLimitInfo {
    const r = this.settings.rateLimits;
    return { restQps: r.rest_qps, creditsPerMinute: r.credits_per_minute, wsChannels: r.ws_channels };
  }

  /** One un-retried call for the newest bar of the first listed symbol; costs one credit. */
  async healthCheck(): Promise<HealthStatus> {
    const probe = (await this.listSymbols())[0]?.sourceSymbol ?? 'EUR/USD';
    try {
      if (this.quotaError) throw this.quotaSpent(probe);
      await this.takeCredit();
      const res = await this.client.get(
        '/time_series',
        { symbol: probe, interval: '1h', outputsize: '1', timezone: 'UTC', format: 'JSON' },
        '1h',
      );
      return { status: 'ok', details: { probe, latency_ms: Math.round(res.latencyMs) } };
    } catch (error) {
      return {
        status: 'down',
        details: {
          probe,
          error_id: isPtError(error) ? error.id : 'UNKNOWN',
          message: error instanceof Error ? error.message : String(error),
        },
      };
    }
  }
}
