// WebSocket `/quotes/price` subscription: price events → closed bars, heartbeats, reconnect with backoff.
import WebSocket from 'ws';
import { PtError } from '../../core/ptError.js';
import { timeframeMs, type Timeframe } from '../../core/time.js';
import type { CanonicalBar } from '../../model/bar.js';
import { assertCanonicalBars } from '../../model/barSchema.js';
import type { BarStream } from '../../ports/marketDataProvider.js';
import { metrics as defaultMetrics, type PtMetrics } from '../../observability/metrics.js';
import { backoffDelayMs } from '../../data/resilience/retryWithBackoff.js';
import { realSleep, type Random, type Sleep } from '../../data/resilience/clock.js';
import { BarAggregator } from './barAggregator.js';
import { redactSecrets, TWELVEDATA_SOURCE_ID } from './config.js';
import { fromProviderSymbol, readPriceEvent, toProviderSymbol } from './parse.js';

export interface StreamLogger {
  debug?(obj: object): void;
  info(obj: object): void;
  warn(obj: object): void;
}

export interface PriceStreamOptions {
  wsUrl: string;
  apiKey: string;
  /** Canonical symbols (e.g. XAUUSD). */
  symbols: string[];
  timeframe: Timeframe;
  onBar: (bar: CanonicalBar) => void;
  ingestRunId: string;
  nextSeq: () => number;
  heartbeatMs: number;
  /** Connection attempts before the first connect gives up with DATA_WS_CONNFAIL (later drops retry forever). */
  retryMax: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Clock for bar closing (the bar of ts is closed once ts + timeframe <= now). */
  now?: () => number;
  sleep?: Sleep;
  random?: Random;
  metrics?: Pick<PtMetrics, 'wsReconnectsTotal' | 'apiLatencyMs'>;
  logger?: StreamLogger;
  /** How often bars whose time is up are emitted when no later tick arrives. */
  flushEveryMs?: number;
  /** Wait after a bar's close for late ticks before emitting it on the timer. */
  closeGraceMs?: number;
  /** A connection silent this long is dropped and reopened; 3 heartbeats unless said. */
  idleTimeoutMs?: number;
  /**
   * One symbol without a tick this long (by `now`) while the connection is alive is re-synced over
   * REST through `resync`; 2 timeframes unless said.
   */
  stallAfterMs?: number;
  /** Ticks stamped more than this after `now` are refused; one timeframe (at least 5 minutes) unless said. */
  maxFutureMs?: number;
  /** Closed bars of `symbol` with fromMs <= ts < toMs from REST (the provider's fetchTimeSeries). */
  resync?: (symbol: string, fromMs: number, toMs: number) => Promise<CanonicalBar[]>;
  /** True while the symbol's market is closed (weekly close, holiday): silence then is no stall. */
  marketClosed?: (symbol: string, tsMs: number) => boolean;
  /** Told after each connection is subscribed, with `connections` (1 the first, more after a reconnect). */
  onConnect?: (connections: number) => void;
}

/** Ticks the stream refused or could not place, per reason (each also logged at debug). */
export interface StreamCounts {
  badPrice: number;
  badTimestamp: number;
  late: number;
  future: number;
  resyncs: number;
}

export class TwelveDataPriceStream implements BarStream {
  private ws: WebSocket | null = null;
  private closing = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private flusher: NodeJS.Timeout | null = null;
  private lastMessageAt = 0;
  private reconnecting: Promise<void> | null = null;
  private readonly aggregators = new Map<string, BarAggregator>();
  /** `now` of each symbol's last tick (or of the connection, or of its last re-sync). */
  private readonly lastTickAt = new Map<string, number>();
  private readonly resyncing = new Set<string>();
  readonly counts: StreamCounts = { badPrice: 0, badTimestamp: 0, late: 0, future: 0, resyncs: 0 };
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private readonly random: Random;
  private readonly m: Pick<PtMetrics, 'wsReconnectsTotal' | 'apiLatencyMs'>;
  private readonly log: StreamLogger;
  /** Completed connections (1 after start, +1 per successful reconnect). */
  connections = 0;

  constructor(private readonly options: PriceStreamOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.m = options.metrics ?? defaultMetrics;
    this.log = options.logger ?? { info: () => {}, warn: () => {} };
    for (const s of options.symbols) {
      const symbol = fromProviderSymbol(s);
      this.aggregators.set(
        symbol,
        new BarAggregator({
          symbol,
          symbolSource: toProviderSymbol(symbol),
          timeframe: options.timeframe,
          ingestRunId: options.ingestRunId,
          nextSeq: options.nextSeq,
          maxFutureMs: options.maxFutureMs,
        }),
      );
    }
  }

  private debug(obj: object): void {
    this.log.debug?.(obj);
  }

  private redact(text: string): string {
    return redactSecrets(text, this.options.apiKey);
  }

  private url(): string {
    const u = new URL(this.options.wsUrl);
    u.searchParams.set('apikey', this.options.apiKey);
    return u.toString();
  }

  /** Opens the first connection, retrying with backoff up to retryMax times. */
  async start(): Promise<void> {
    let lastError: unknown;
    for (let attempt = 0; attempt <= this.options.retryMax; attempt++) {
      if (this.closing) return;
      try {
        await this.connect();
        this.startTimers();
        return;
      } catch (error) {
        lastError = error;
        if (attempt < this.options.retryMax)
          await this.sleep(backoffDelayMs(attempt, this.options.backoffBaseMs, this.options.backoffMaxMs, this.random));
      }
    }
    const reason = lastError instanceof Error ? lastError.message : String(lastError);
    throw new PtError(
      'DATA_WS_CONNFAIL',
      this.redact(
        `twelvedata price stream could not connect after ${this.options.retryMax + 1} attempts: ${reason} (${this.options.wsUrl})`,
      ),
      {
        source: TWELVEDATA_SOURCE_ID,
        details: { attempts: this.options.retryMax + 1 },
      },
    );
  }

  private connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url());
      let opened = false;
      ws.on('open', () => {
        opened = true;
        if (this.closing) {
          ws.close();
          resolve();
          return;
        }
        this.ws = ws;
        this.lastMessageAt = performance.now();
        // A fresh connection restarts every symbol's stall clock.
        for (const symbol of this.aggregators.keys()) this.lastTickAt.set(symbol, this.now());
        this.connections++;
        const symbols = [...this.aggregators.keys()].map(toProviderSymbol).join(',');
        ws.send(JSON.stringify({ action: 'subscribe', params: { symbols } }));
        this.options.onConnect?.(this.connections);
        resolve();
      });
      ws.on('message', (data) => this.onMessage(data.toString()));
      ws.on('error', (error) => {
        if (!opened) reject(new Error(this.redact(error.message)));
        else this.log.warn({ event: 'ws_error', details: { message: this.redact(error.message) } });
      });
      ws.on('close', (code) => {
        if (!opened) {
          reject(new Error(`closed before open (code ${code})`));
          return;
        }
        if (this.ws === ws) this.ws = null;
        if (!this.closing) void this.reconnect(code);
      });
    });
  }

  private reconnect(code: number): Promise<void> {
    if (this.reconnecting) return this.reconnecting;
    this.reconnecting = (async () => {
      this.log.warn({ event: 'ws_dropped', details: { code } });
      for (let attempt = 0; !this.closing; attempt++) {
        this.m.wsReconnectsTotal.inc({ source: TWELVEDATA_SOURCE_ID });
        await this.sleep(backoffDelayMs(attempt, this.options.backoffBaseMs, this.options.backoffMaxMs, this.random));
        if (this.closing) break;
        try {
          await this.connect();
          this.log.info({ event: 'ws_reconnected', details: { attempt: attempt + 1 } });
          break;
        } catch (error) {
          this.log.warn({
            event: 'ws_reconnect_failed',
            details: {
              attempt: attempt + 1,
              message: this.redact(error instanceof Error ? error.message : String(error)),
            },
          });
        }
      }
    })().finally(() => {
      this.reconnecting = null;
    });
    return this.reconnecting;
  }

  private startTimers(): void {
    const idleMs = this.options.idleTimeoutMs ?? 3 * this.options.heartbeatMs;
    this.heartbeat = setInterval(() => {
      const ws = this.ws;
      if (!ws || ws.readyState !== WebSocket.OPEN) return;
      if (performance.now() - this.lastMessageAt > idleMs) {
        // No heartbeat answer nor price for too long: the socket is half-dead, so force a reconnect.
        this.log.warn({ event: 'ws_idle', details: { idleMs } });
        ws.terminate();
        return;
      }
      ws.send(JSON.stringify({ action: 'heartbeat' }));
    }, this.options.heartbeatMs);
    this.flusher = setInterval(() => this.flushDue(), this.options.flushEveryMs ?? 1000);
  }

  private flushDue(): void {
    const now = this.now();
    for (const agg of this.aggregators.values()) this.deliver(agg.flush(now, this.options.closeGraceMs ?? 1500));
    this.checkStalls(now);
  }

  /** A symbol silent for stallAfterMs on a live connection gets its recent bars from REST. */
  private checkStalls(now: number): void {
    const resync = this.options.resync;
    const ws = this.ws;
    if (!resync || !ws || ws.readyState !== WebSocket.OPEN) return;
    const idleMs = this.options.idleTimeoutMs ?? 3 * this.options.heartbeatMs;
    // A silent connection is the idle timer's business (it reconnects), not a per-symbol stall.
    if (performance.now() - this.lastMessageAt > idleMs) return;
    const tfMs = timeframeMs(this.options.timeframe);
    const stallMs = this.options.stallAfterMs ?? 2 * tfMs;
    for (const [symbol, agg] of this.aggregators) {
      const last = this.lastTickAt.get(symbol) ?? now;
      if (now - last < stallMs || this.resyncing.has(symbol)) continue;
      if (this.options.marketClosed?.(symbol, now)) continue;
      this.resyncing.add(symbol);
      void this.resyncSymbol(symbol, agg, resync, now, now - last, tfMs, stallMs).finally(() =>
        this.resyncing.delete(symbol),
      );
    }
  }

  private async resyncSymbol(
    symbol: string,
    agg: BarAggregator,
    resync: NonNullable<PriceStreamOptions['resync']>,
    now: number,
    silentMs: number,
    tfMs: number,
    stallMs: number,
  ): Promise<void> {
    this.counts.resyncs++;
    // The next stall check counts from here, so a symbol that stays silent is re-synced once per stall period.
    this.lastTickAt.set(symbol, now);
    const toMs = Math.floor(now / tfMs) * tfMs;
    const lookback = toMs - (Math.ceil(stallMs / tfMs) + 1) * tfMs;
    const fromMs = Number.isFinite(agg.lastClosedTs) ? Math.max(agg.lastClosedTs + tfMs, lookback) : lookback;
    this.log.warn({
      event: 'ws_stall_resync',
      symbol,
      details: { silent_ms: silentMs, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() },
    });
    if (fromMs >= toMs) return;
    try {
      const bars = (await resync(symbol, fromMs, toMs)).filter((b) => b.ts_utc > agg.lastClosedTs);
      if (bars.length === 0 || this.closing) return;
      agg.markDelivered(bars[bars.length - 1]!.ts_utc);
      this.deliver(bars);
    } catch (error) {
      this.log.warn({
        event: 'ws_resync_failed',
        symbol,
        details: { message: this.redact(error instanceof Error ? error.message : String(error)) },
      });
    }
  }

  private onMessage(text: string): void {
    this.lastMessageAt = performance.now();
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.log.warn({ event: 'ws_malformed', details: { snippet: this.redact(text.slice(0, 80)) } });
      return;
    }
    const tick = readPriceEvent(msg);
    if (tick) {
      const symbol = fromProviderSymbol(tick.symbol);
      const agg = this.aggregators.get(symbol);
      if (!agg) return;
      if (tick.kind !== 'tick') {
        if (tick.kind === 'bad_price') this.counts.badPrice++;
        else this.counts.badTimestamp++;
        this.debug({ event: `ws_tick_${tick.kind}`, symbol, details: { value: tick.value } });
        return;
      }
      const now = this.now();
      const bars = agg.onPrice(tick.tsMs, tick.price, now);
      if (agg.lastFate === 'taken') {
        this.lastTickAt.set(symbol, now);
        this.m.apiLatencyMs.observe(
          { source: TWELVEDATA_SOURCE_ID, timeframe: this.options.timeframe },
          Math.max(0, now - tick.tsMs),
        );
      } else {
        // A late tick's bar is already out; a far-future one would open a bar that cannot close.
        this.counts[agg.lastFate]++;
        this.debug({
          event: `ws_tick_${agg.lastFate}`,
          symbol,
          details: { ts: new Date(tick.tsMs).toISOString(), now: new Date(now).toISOString() },
        });
      }
      this.deliver(bars);
      return;
    }
    const ev = msg as { event?: unknown; fails?: unknown; status?: unknown; message?: unknown };
    if (ev.event === 'subscribe-status' && Array.isArray(ev.fails) && ev.fails.length > 0) {
      this.log.warn({ event: 'ws_subscribe_fails', details: { fails: ev.fails } });
    } else if (ev.status === 'error') {
      this.log.warn({ event: 'ws_error_event', details: { message: this.redact(String(ev.message ?? '')) } });
    }
  }

  private deliver(bars: CanonicalBar[]): void {
    for (const bar of bars) {
      try {
        assertCanonicalBars([bar], TWELVEDATA_SOURCE_ID);
        this.options.onBar(bar);
      } catch (error) {
        this.log.warn({
          event: 'ws_bar_dropped',
          details: {
            symbol: bar.symbol,
            ts_utc: bar.ts_utc,
            message: error instanceof Error ? error.message : String(error),
          },
        });
      }
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.flusher) clearInterval(this.flusher);
    const ws = this.ws;
    this.ws = null;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1000);
        ws.once('close', () => {
          clearTimeout(t);
          resolve();
        });
        ws.close();
      });
    }
    // A reconnect still sleeping is not awaited (it may wait up to the backoff cap); it sees `closing` and stops.
  }
}

/** Opens a stream and resolves once the first connection is subscribed. */
export async function openPriceStream(options: PriceStreamOptions): Promise<TwelveDataPriceStream> {
  const stream = new TwelveDataPriceStream(options);
  await stream.start();
  return stream;
}
