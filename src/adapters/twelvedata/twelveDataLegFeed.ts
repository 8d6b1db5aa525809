// The TwelveData live source of `pt live`: REST history, then the price stream's aggregated bars,
// each confirmed (and, when it differs, replaced) by the REST bar, with REST re-syncs after a
// reconnect or a gap.
import { createLogger } from '../../core/logger.js';
import { isPtError, PtError } from '../../core/ptError.js';
import { timeframeMs, type Timeframe } from '../../core/time.js';
import type { PtConfig } from '../../config/schemas/index.js';
import type { CanonicalBar } from '../../model/bar.js';
import type { BarStream } from '../../ports/marketDataProvider.js';
import type { LegBar, LegBarFeed, LegBarFeedLog } from '../../ports/legBarFeed.js';
import { resolveApiKey, twelveDataSettings, TWELVEDATA_SOURCE_ID } from './config.js';
import { fromProviderSymbol, PROVIDER_VERSION_WS } from './parse.js';
import { TwelveDataProvider, type TwelveDataDeps } from './twelveDataProvider.js';

export interface TwelveDataLegFeedOptions {
  timeframe: Timeframe;
  /** The provider's clock, fetch, env, logger and stream timings (tests pass short ones). */
  deps?: TwelveDataDeps;
  /** The feed's own events (history, re-syncs, revisions); pt's JSON logger unless given. */
  log?: LegBarFeedLog;
  /** Wait after an aggregated bar is delivered before its REST bar is asked for (REST publishes a bar some seconds after its close). */
  restConfirmDelayMs?: number;
  /** Wait between the asks while REST does not have the bar yet. */
  restConfirmRetryMs?: number;
  /** Asks per aggregated bar before it is left as aggregated (logged). */
  restConfirmAttempts?: number;
  /** At most this many bars are fetched back for one history, reconnect or gap fill; older ones are skipped (logged). */
  maxHistoryBars?: number;
}

export const TD_FEED_DEFAULTS = {
  restConfirmDelayMs: 20_000,
  restConfirmRetryMs: 30_000,
  restConfirmAttempts: 4,
  maxHistoryBars: 2048,
} as const;

/** What the feed did, for tests and status lines. */
export interface TwelveDataLegFeedCounts {
  /** Bars delivered from REST: history, reconnect re-syncs, gap fills, the stream's stall re-syncs. */
  restBars: number;
  /** Bars delivered as the stream aggregated them. */
  aggregatedBars: number;
  /** Aggregated bars whose REST bar had the same values. */
  confirmed: number;
  /** Aggregated bars replaced by a differing REST bar (delivered again with revised: true). */
  revisions: number;
  /** Aggregated bars REST never served within the attempts. */
  unconfirmed: number;
  /** Stream bars not delivered: their time was at or before the symbol's last delivered bar. */
  stale: number;
  reconnects: number;
  /** REST fills after a reconnect, per symbol. */
  resyncs: number;
  /** REST fills of a gap before an aggregated bar, per symbol. */
  gapFills: number;
  /** REST calls that failed (after the provider's own retries). */
  restErrors: number;
}

interface SymbolState {
  symbol: string;
  /** Open time of the last bar delivered; one bar before the first wanted until then. */
  last: number;
  /** Work on this symbol runs one task at a time, so a fill's older bars go out before a newer bar. */
  chain: Promise<void>;
}

interface PendingConfirm {
  bar: LegBar;
  attempts: number;
  /** performance.now() before which it is not asked for. */
  notBefore: number;
}

type FillReason = 'history' | 'reconnect' | 'gap';

export class TwelveDataLegFeed implements LegBarFeed {
  readonly counts: TwelveDataLegFeedCounts = {
    restBars: 0,
    aggregatedBars: 0,
    confirmed: 0,
    revisions: 0,
    unconfirmed: 0,
    stale: 0,
    reconnects: 0,
    resyncs: 0,
    gapFills: 0,
    restErrors: 0,
  };
  private readonly provider: TwelveDataProvider;
  private readonly tf: Timeframe;
  private readonly tfMs: number;
  private readonly now: () => number;
  private readonly env: NodeJS.ProcessEnv;
  private readonly log: LegBarFeedLog;
  private readonly opts: Required<Omit<TwelveDataLegFeedOptions, 'deps' | 'log' | 'timeframe'>>;
  private readonly states = new Map<string, SymbolState>();
  private readonly pending = new Map<string, PendingConfirm>();
  private onBar: (bar: LegBar) => void = () => {};
  private stream: BarStream | undefined;
  private confirmTimer: NodeJS.Timeout | undefined;
  private confirmRunning = false;
  private started = false;
  private closed = false;

  constructor(
    private readonly config: PtConfig,
    options: TwelveDataLegFeedOptions,
  ) {
    const deps = options.deps ?? {};
    this.provider = new TwelveDataProvider(twelveDataSettings(config), config, deps);
    this.tf = options.timeframe;
    this.tfMs = timeframeMs(options.timeframe);
    this.now = deps.now ?? Date.now;
    this.env = deps.env ?? process.env;
    this.log =
      options.log ??
      createLogger({ source: TWELVEDATA_SOURCE_ID, timeframe: options.timeframe, run_id: this.provider.ingestRunId });
    this.opts = {
      restConfirmDelayMs: options.restConfirmDelayMs ?? TD_FEED_DEFAULTS.restConfirmDelayMs,
      restConfirmRetryMs: options.restConfirmRetryMs ?? TD_FEED_DEFAULTS.restConfirmRetryMs,
      restConfirmAttempts: Math.max(1, options.restConfirmAttempts ?? TD_FEED_DEFAULTS.restConfirmAttempts),
      maxHistoryBars: Math.max(1, options.maxHistoryBars ?? TD_FEED_DEFAULTS.maxHistoryBars),
    };
  }

  async start(symbols: readonly string[], fromMs: number, onBar: (bar: LegBar) => void): Promise<void> {
    if (this.started) throw new PtError('CORE_INTERNAL_BUG', 'the twelvedata feed was started twice');
    this.started = true;
    const settings = twelveDataSettings(this.config);
    if (!settings.timeframes.includes(this.tf))
      throw new PtError(
        'CORE_CONFIG_INVALID',
        `twelvedata is not configured for timeframe ${this.tf} (sources.yaml: ${settings.timeframes.join(', ')})`,
        { source: TWELVEDATA_SOURCE_ID },
      );
    // A missing key stops the start here, before any request (CORE_ENV_MISSING).
    resolveApiKey(settings, this.env);
    this.onBar = onBar;
    const firstWanted = Math.ceil(fromMs / this.tfMs) * this.tfMs;
    for (const s of symbols) {
      const symbol = fromProviderSymbol(s);
      if (!this.states.has(symbol))
        this.states.set(symbol, { symbol, last: firstWanted - this.tfMs, chain: Promise.resolve() });
    }
    // The history is fetched one symbol after another: the provider's rate limit spaces the calls.
    for (const st of this.states.values()) await this.enqueue(st, () => this.fill(st, this.closedUpTo(), 'history'));
    if (this.closed) return;
    const stream = await this.provider.streamBars([...this.states.keys()], this.tf, (bar) => this.onStreamBar(bar), {
      onConnect: (n) => this.onConnect(n),
    });
    if (this.closed) {
      await stream.close();
      return;
    }
    this.stream = stream;
    this.log.info({
      event: 'td_feed_started',
      timeframe: this.tf,
      details: {
        symbols: [...this.states.keys()],
        from: new Date(fromMs).toISOString(),
        rest_bars: this.counts.restBars,
      },
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
    this.confirmTimer = undefined;
    this.pending.clear();
    const stream = this.stream;
    this.stream = undefined;
    await stream?.close();
  }

  /** Open time of the newest bar that has closed by the clock, plus one bar: the exclusive end of what REST can serve. */
  private closedUpTo(): number {
    return Math.floor(this.now() / this.tfMs) * this.tfMs;
  }

  private enqueue(st: SymbolState, task: () => Promise<void>): Promise<void> {
    const run = st.chain.then(async () => {
      if (this.closed) return;
      try {
        await task();
      } catch (error) {
        // A bug or a consumer's throw must not stop the symbol's later bars.
        this.log.error({ event: 'td_feed_task_failed', symbol: st.symbol, details: errorDetails(error) });
      }
    });
    st.chain = run;
    return run;
  }

  private onConnect(connections: number): void {
    if (connections <= 1 || this.closed) return;
    this.counts.reconnects++;
    this.log.warn({ event: 'td_reconnect_resync', timeframe: this.tf, details: { connections } });
    for (const st of this.states.values()) void this.enqueue(st, () => this.fill(st, this.closedUpTo(), 'reconnect'));
  }

  private onStreamBar(bar: CanonicalBar): void {
    const st = this.states.get(bar.symbol);
    if (!st || this.closed) return;
    void this.enqueue(st, async () => {
      if (bar.ts_utc <= st.last) {
        // Already served by REST (a fill ran while the stream still held the bar), or older: REST wins.
        this.counts.stale++;
        return;
      }
      if (bar.ts_utc > st.last + this.tfMs) await this.fill(st, bar.ts_utc, 'gap');
      if (bar.ts_utc <= st.last || this.closed) return;
      const leg = toLegBar(bar, false);
      const aggregated = bar.metadata.provider_version === PROVIDER_VERSION_WS;
      if (aggregated) this.counts.aggregatedBars++;
      else this.counts.restBars++;
      this.deliver(st, leg);
      if (aggregated) this.awaitConfirm(leg);
    });
  }

  /** REST bars of `st` after its last delivered one and before `toMs`, delivered as new. */
  private async fill(st: SymbolState, toMs: number, reason: FillReason): Promise<void> {
    let fromMs = st.last + this.tfMs;
    if (fromMs >= toMs) return;
    const cap = toMs - this.opts.maxHistoryBars * this.tfMs;
    if (fromMs < cap) {
      this.log.warn({
        event: 'td_history_capped',
        symbol: st.symbol,
        timeframe: this.tf,
        details: { reason, skipped_bars: (cap - fromMs) / this.tfMs, max_history_bars: this.opts.maxHistoryBars },
      });
      fromMs = cap;
    }
    if (reason === 'reconnect') this.counts.resyncs++;
    if (reason === 'gap') this.counts.gapFills++;
    const bars = await this.fetch(st.symbol, fromMs, toMs, reason);
    if (!bars || this.closed) return;
    let delivered = 0;
    for (const bar of bars) {
      if (bar.ts_utc <= st.last || bar.ts_utc >= toMs) continue;
      this.counts.restBars++;
      delivered++;
      this.deliver(st, toLegBar(bar, false));
    }
    // A gap REST has no bars for (a weekend, a holiday) is no news; bars the stream missed are.
    const entry = {
      event: `td_${reason}_fill`,
      symbol: st.symbol,
      timeframe: this.tf,
      details: { from: iso(fromMs), to: iso(toMs), bars: delivered },
    };
    if (reason !== 'history' && delivered > 0) this.log.warn(entry);
    else this.log.info(entry);
  }

  /** The provider's REST bars, or null after logging its error (the caller goes on without them). */
  private async fetch(symbol: string, fromMs: number, toMs: number, purpose: string): Promise<CanonicalBar[] | null> {
    try {
      return await this.provider.fetchTimeSeries(symbol, this.tf, fromMs, toMs);
    } catch (error) {
      this.counts.restErrors++;
      this.log.warn({
        event: 'td_rest_failed',
        symbol,
        timeframe: this.tf,
        details: { purpose, from: iso(fromMs), to: iso(toMs), ...errorDetails(error) },
      });
      return null;
    }
  }

  private deliver(st: SymbolState, bar: LegBar): void {
    if (this.closed) return;
    if (!bar.revised) st.last = Math.max(st.last, bar.tsMs);
    try {
      this.onBar(bar);
    } catch (error) {
      // The consumer's failure on one bar must not cost the bars after it.
      this.log.error({ event: 'td_feed_task_failed', symbol: st.symbol, details: errorDetails(error) });
    }
  }

  private awaitConfirm(bar: LegBar): void {
    this.pending.set(`${bar.symbol}|${bar.tsMs}`, {
      bar,
      attempts: 0,
      notBefore: performance.now() + this.opts.restConfirmDelayMs,
    });
    this.armConfirm();
  }

  private armConfirm(): void {
    if (this.closed || this.confirmRunning || this.pending.size === 0) return;
    const next = Math.min(...[...this.pending.values()].map((p) => p.notBefore));
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
    this.confirmTimer = setTimeout(
      () => {
        this.confirmTimer = undefined;
        void this.confirmDue();
      },
      Math.max(0, next - performance.now()),
    );
  }

  /**
   * One REST call per symbol for every aggregated bar whose wait is over (the bars of one close
   * time together): a differing REST bar is delivered again as revised, an equal one only confirms.
   */
  private async confirmDue(): Promise<void> {
    this.confirmRunning = true;
    try {
      const now = performance.now();
      const bySymbol = new Map<string, Array<[string, PendingConfirm]>>();
      for (const [key, p] of this.pending) {
        if (p.notBefore > now) continue;
        const list = bySymbol.get(p.bar.symbol) ?? [];
        list.push([key, p]);
        bySymbol.set(p.bar.symbol, list);
      }
      for (const [symbol, list] of bySymbol) {
        if (this.closed) return;
        const times = list.map(([, p]) => p.bar.tsMs);
        const fromMs = Math.min(...times);
        const bars = await this.fetch(symbol, fromMs, Math.max(...times) + this.tfMs, 'rest_confirm');
        const byTs = new Map((bars ?? []).map((b) => [b.ts_utc, b]));
        for (const [key, p] of list) {
          if (this.closed) return;
          const rest = byTs.get(p.bar.tsMs);
          if (rest) {
            this.pending.delete(key);
            this.applyRest(p.bar, rest);
          } else if (++p.attempts >= this.opts.restConfirmAttempts) {
            this.pending.delete(key);
            this.counts.unconfirmed++;
            this.log.warn({
              event: 'td_rest_confirm_missing',
              symbol,
              timeframe: this.tf,
              details: { ts: iso(p.bar.tsMs), attempts: p.attempts, failed: bars === null },
            });
          } else {
            p.notBefore = performance.now() + this.opts.restConfirmRetryMs;
          }
        }
      }
    } finally {
      this.confirmRunning = false;
      this.armConfirm();
    }
  }

  private applyRest(aggregated: LegBar, rest: CanonicalBar): void {
    const revised = toLegBar(rest, true);
    if (sameOhlc(aggregated, revised)) {
      this.counts.confirmed++;
      return;
    }
    this.counts.revisions++;
    this.log.info({
      event: 'td_bar_revised',
      symbol: aggregated.symbol,
      timeframe: this.tf,
      details: {
        ts: iso(aggregated.tsMs),
        aggregated: ohlc(aggregated),
        rest: ohlc(revised),
      },
    });
    const st = this.states.get(aggregated.symbol);
    if (st) this.deliver(st, revised);
  }
}

/** The TwelveData live source for `pt live` (see docs/live.md, "TwelveData source"). */
export function createTwelveDataLegFeed(config: PtConfig, options: TwelveDataLegFeedOptions): TwelveDataLegFeed {
  return new TwelveDataLegFeed(config, options);
}

function toLegBar(bar: CanonicalBar, revised: boolean): LegBar {
  return {
    symbol: bar.symbol,
    tsMs: bar.ts_utc,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    revised,
  };
}

function sameOhlc(a: LegBar, b: LegBar): boolean {
  return a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close;
}

function ohlc(b: LegBar): [number, number, number, number] {
  return [b.open, b.high, b.low, b.close];
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function errorDetails(error: unknown): Record<string, unknown> {
  return {
    error_id: isPtError(error) ? error.id : 'UNKNOWN',
    message: error instanceof Error ? error.message : String(error),
  };
}
