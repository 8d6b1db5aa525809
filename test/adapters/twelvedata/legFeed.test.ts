// The TwelveData live source (LegBarFeed) against the local mock's real HTTP and WebSocket servers:
// history at start, aggregated bars at their close, REST bars replacing differing ones, REST fills
// after a reconnect and before a gap, close().
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PtError } from '../../../src/core/ptError.js';
import type { LegBar } from '../../../src/ports/legBarFeed.js';
import {
  createTwelveDataLegFeed,
  type TwelveDataLegFeed,
  type TwelveDataLegFeedOptions,
} from '../../../src/adapters/twelvedata/index.js';
import { defaultSeries, ERROR_BODIES, MockTwelveData, NO_DATA_BODY, waitFor } from '../../helpers/mockTwelveData.js';
import { KEY_ENV, TEST_KEY, TestClock, tdTestConfig } from './testConfig.js';

const T0 = Date.UTC(2024, 2, 1, 12, 0); // a Friday noon: the market is open
const MIN = 60_000;
const TF = 15 * MIN;
const sec = (ms: number) => Math.floor(ms / 1000);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quiet = { info: () => {}, warn: () => {} };

let mock: MockTwelveData;
let feed: TwelveDataLegFeed | undefined;
let logs: Array<{ level: string; event?: string; symbol?: string; details?: Record<string, unknown> }> = [];

beforeAll(async () => {
  mock = await MockTwelveData.start(TEST_KEY);
});
beforeEach(() => {
  logs = [];
  mock.requests.length = 0;
  mock.respond(undefined);
  mock.nowMs = Date.UTC(2030, 0, 1);
});
afterEach(async () => {
  await feed?.close();
  feed = undefined;
});
afterAll(async () => {
  await mock.close();
});

/** The bar the mock's /time_series serves for `symbol` (XAU/USD) at `ts`, as the feed reads it. */
function restBar(symbol: string, ts: number): Omit<LegBar, 'symbol' | 'revised'> {
  const c = defaultSeries.price(symbol, ts);
  const o = defaultSeries.price(symbol, ts - TF);
  const r = (v: number) => Number(v.toFixed(5));
  return { tsMs: ts, open: r(o), high: r(Math.max(o, c) * 1.001), low: r(Math.min(o, c) * 0.999), close: r(c) };
}

function newFeed(clock: TestClock, options: Partial<TwelveDataLegFeedOptions> = {}, retryMax?: number) {
  const record = (level: string) => (o: object) => logs.push({ level, ...o });
  feed = createTwelveDataLegFeed(tdTestConfig(mock, retryMax === undefined ? {} : { retryMax }), {
    timeframe: '15m',
    deps: {
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      env: KEY_ENV,
      logger: quiet,
      // A huge stall period keeps the stream's own per-symbol re-sync out of these tests.
      stream: { heartbeatMs: 30, flushEveryMs: 10, closeGraceMs: 0, idleTimeoutMs: 5000, stallAfterMs: 1e12 },
    },
    log: { info: record('info'), warn: record('warn'), error: record('error') },
    restConfirmDelayMs: 20,
    restConfirmRetryMs: 20,
    restConfirmAttempts: 3,
    ...options,
  });
  return feed;
}

/** Starts the feed, recording each bar; resolves once the stream is subscribed. */
async function start(f: TwelveDataLegFeed, symbols: string[], fromMs: number): Promise<LegBar[]> {
  const bars: LegBar[] = [];
  const subs = mock.subscriptions().length;
  await f.start(symbols, fromMs, (b) => bars.push(b));
  await waitFor(() => mock.subscriptions().length > subs && mock.wsClientCount() === 1, 'the subscription');
  return bars;
}

/** Sends a bar's OHLC as four ticks inside the bar (open, high, low, close). */
function sendBar(symbol: string, ts: number, b: { open: number; high: number; low: number; close: number }) {
  mock.sendPrice(symbol, sec(ts + MIN), b.open);
  mock.sendPrice(symbol, sec(ts + 2 * MIN), b.high);
  mock.sendPrice(symbol, sec(ts + 3 * MIN), b.low);
  mock.sendPrice(symbol, sec(ts + 14 * MIN), b.close);
}

const confirmRequests = (from: number) =>
  mock.timeSeriesRequests().filter((r) => r.query.get('start_date') === new Date(from).toISOString().slice(0, 19));

/** Every symbol's non-revised bars are strictly ascending, and each revised bar replaces one delivered before it. */
function expectDeliveryOrder(bars: LegBar[]): void {
  const seen = new Map<string, number[]>();
  for (const b of bars) {
    const list = seen.get(b.symbol) ?? [];
    if (b.revised) expect(list, `${b.symbol} ${b.tsMs} revised before delivered`).toContain(b.tsMs);
    else {
      if (list.length > 0) expect(b.tsMs).toBeGreaterThan(list.at(-1)!);
      list.push(b.tsMs);
    }
    seen.set(b.symbol, list);
  }
}

describe('TwelveData leg feed', () => {
  it('fills the gap from fromMs over REST at start, ascending per symbol, one request per symbol', async () => {
    const clock = new TestClock(T0 + 5000);
    const bars = await start(newFeed(clock), ['XAUUSD', 'XAGUSD'], T0 - 4 * TF);
    const reqs = mock.timeSeriesRequests();
    expect(reqs.map((r) => r.query.get('symbol'))).toEqual(['XAU/USD', 'XAG/USD']);
    const times = [T0 - 4 * TF, T0 - 3 * TF, T0 - 2 * TF, T0 - TF]; // 12:00 is still forming
    for (const [symbol, source] of [
      ['XAUUSD', 'XAU/USD'],
      ['XAGUSD', 'XAG/USD'],
    ] as const) {
      expect(bars.filter((b) => b.symbol === symbol)).toEqual(
        times.map((ts) => ({ symbol, revised: false, ...restBar(source, ts) })),
      );
    }
    expect(feed!.counts).toMatchObject({ restBars: 8, aggregatedBars: 0, restErrors: 0 });
    expect(logs.some((l) => l.event === 'td_feed_started')).toBe(true);
  });

  it('caps the history at maxHistoryBars and says how many were skipped', async () => {
    const clock = new TestClock(T0 + 5000);
    const bars = await start(newFeed(clock, { maxHistoryBars: 3 }), ['XAUUSD'], T0 - 100 * TF);
    expect(bars.map((b) => b.tsMs)).toEqual([T0 - 3 * TF, T0 - 2 * TF, T0 - TF]);
    expect(logs.find((l) => l.event === 'td_history_capped')).toMatchObject({
      level: 'warn',
      symbol: 'XAUUSD',
      details: { skipped_bars: 97, max_history_bars: 3 },
    });
  });

  it('delivers aggregated bars at their close; a differing REST bar is delivered again as revised, an equal one is not', async () => {
    const clock = new TestClock(T0 + 5000);
    const bars = await start(newFeed(clock), ['XAUUSD', 'XAGUSD'], T0);
    // fromMs is the forming bar: nothing to fetch back.
    expect(mock.timeSeriesRequests()).toHaveLength(0);
    const xauRest = restBar('XAU/USD', T0);
    sendBar('XAU/USD', T0, xauRest); // the stream saw exactly REST's bar
    const xagTicks = { open: 25, high: 25.5, low: 24.9, close: 25.1 };
    sendBar('XAG/USD', T0, xagTicks);
    await pause(40);
    expect(bars, 'nothing before the close').toHaveLength(0);

    clock.t = T0 + TF;
    await waitFor(() => bars.length === 2, 'both aggregated 12:00 bars');
    expect(bars).toEqual(
      expect.arrayContaining([
        { symbol: 'XAUUSD', revised: false, ...xauRest },
        { symbol: 'XAGUSD', revised: false, tsMs: T0, ...xagTicks },
      ]),
    );
    await waitFor(() => feed!.counts.confirmed + feed!.counts.revisions === 2, 'both REST confirmations');
    await pause(40);
    expect(bars).toHaveLength(3);
    expect(bars[2]).toEqual({ symbol: 'XAGUSD', revised: true, ...restBar('XAG/USD', T0) });
    expect(feed!.counts).toMatchObject({ aggregatedBars: 2, confirmed: 1, revisions: 1, unconfirmed: 0 });
    // One REST call per symbol for the bar, after the aggregated one.
    expect(
      confirmRequests(T0)
        .map((r) => r.query.get('symbol'))
        .sort(),
    ).toEqual(['XAG/USD', 'XAU/USD']);
    expect(logs.find((l) => l.event === 'td_bar_revised')).toMatchObject({
      level: 'info',
      symbol: 'XAGUSD',
      details: { ts: new Date(T0).toISOString() },
    });
  });

  it('asks REST again while it fails or lacks the bar, logs the error id, and revises once REST has it', async () => {
    const clock = new TestClock(T0 + 5000);
    let confirmAsks = 0;
    mock.respond((req) => {
      if (req.path !== '/time_series') return undefined;
      confirmAsks++;
      if (confirmAsks === 1) return { status: 500, body: ERROR_BODIES[500] };
      if (confirmAsks === 2) return { status: 200, body: NO_DATA_BODY };
      return undefined;
    });
    const bars = await start(newFeed(clock, { restConfirmAttempts: 5 }, 0), ['XAUUSD'], T0);
    sendBar('XAU/USD', T0, { open: 2000, high: 2001, low: 1999, close: 2000.5 });
    await pause(30);
    clock.t = T0 + TF;
    await waitFor(() => bars.some((b) => b.revised), 'the revised bar', 4000);
    expect(confirmAsks).toBe(3);
    expect(bars).toEqual([
      { symbol: 'XAUUSD', revised: false, tsMs: T0, open: 2000, high: 2001, low: 1999, close: 2000.5 },
      { symbol: 'XAUUSD', revised: true, ...restBar('XAU/USD', T0) },
    ]);
    expect(logs.find((l) => l.event === 'td_rest_failed')).toMatchObject({
      level: 'warn',
      symbol: 'XAUUSD',
      details: { purpose: 'rest_confirm', error_id: 'DATA_API_HTTP' },
    });
    expect(JSON.stringify(logs)).not.toContain(TEST_KEY);
    expect(feed!.counts).toMatchObject({ restErrors: 1, revisions: 1 });
  });

  it('gives up on a bar REST never serves after the attempts, and keeps the aggregated one', async () => {
    const clock = new TestClock(T0 + 5000);
    mock.nowMs = T0 - 1; // REST has nothing from 12:00 on
    const bars = await start(newFeed(clock), ['XAUUSD'], T0);
    sendBar('XAU/USD', T0, { open: 2000, high: 2001, low: 1999, close: 2000.5 });
    await pause(30);
    clock.t = T0 + TF;
    await waitFor(() => feed!.counts.unconfirmed === 1, 'the give-up');
    expect(confirmRequests(T0)).toHaveLength(3);
    expect(bars).toHaveLength(1);
    expect(logs.find((l) => l.event === 'td_rest_confirm_missing')).toMatchObject({ level: 'warn', symbol: 'XAUUSD' });
  });

  it('after a dropped connection, fetches the bars it missed over REST and delivers each once, ascending', async () => {
    const clock = new TestClock(T0 + 5000);
    const bars = await start(newFeed(clock), ['XAUUSD', 'XAGUSD'], T0);
    sendBar('XAU/USD', T0, restBar('XAU/USD', T0));
    sendBar('XAG/USD', T0, restBar('XAG/USD', T0));
    await pause(30);
    clock.t = T0 + TF;
    await waitFor(() => bars.length === 2, 'the 12:00 bars');

    // The link dies for three bars: 12:15, 12:30 and 12:45 close without a tick.
    clock.t = T0 + 4 * TF + 30_000;
    const subs = mock.subscriptions().length;
    mock.dropWsClients();
    await waitFor(() => mock.subscriptions().length === subs + 1, 'the re-subscription');
    await waitFor(() => bars.length === 8, 'the re-synced bars');
    for (const [symbol, source] of [
      ['XAUUSD', 'XAU/USD'],
      ['XAGUSD', 'XAG/USD'],
    ] as const) {
      expect(bars.filter((b) => b.symbol === symbol).slice(1)).toEqual(
        [T0 + TF, T0 + 2 * TF, T0 + 3 * TF].map((ts) => ({ symbol, revised: false, ...restBar(source, ts) })),
      );
    }
    expect(confirmRequests(T0 + TF)).toHaveLength(2);
    expect(feed!.counts).toMatchObject({ reconnects: 1, resyncs: 2 });
    expect(logs.some((l) => l.event === 'td_reconnect_resync' && l.level === 'warn')).toBe(true);
    expect(logs.filter((l) => l.event === 'td_reconnect_fill').map((l) => l.details?.bars)).toEqual([3, 3]);

    // The stream goes on after them: 13:00 aggregated, no fill before it.
    sendBar('XAU/USD', T0 + 4 * TF, restBar('XAU/USD', T0 + 4 * TF));
    await pause(30);
    clock.t = T0 + 5 * TF;
    await waitFor(() => bars.some((b) => b.tsMs === T0 + 4 * TF), 'the 13:00 bar');
    await pause(60);
    expect(bars.filter((b) => b.tsMs === T0 + 4 * TF)).toEqual([
      { symbol: 'XAUUSD', revised: false, ...restBar('XAU/USD', T0 + 4 * TF) },
    ]);
    expect(feed!.counts.gapFills).toBe(0);
    expectDeliveryOrder(bars);
    const plain = bars.filter((b) => !b.revised).map((b) => `${b.symbol}@${b.tsMs}`);
    expect(new Set(plain).size).toBe(plain.length);
  });

  it('fills a gap before an aggregated bar that comes more than one bar after the last one', async () => {
    const clock = new TestClock(T0 + 5000);
    const bars = await start(newFeed(clock), ['XAUUSD'], T0);
    sendBar('XAU/USD', T0, restBar('XAU/USD', T0));
    await pause(30);
    clock.t = T0 + TF;
    await waitFor(() => bars.length === 1, 'the 12:00 bar');
    // Silent through 12:15 and 12:30 on a live connection, then ticks again in 12:45.
    clock.t = T0 + 3 * TF + 5000;
    sendBar('XAU/USD', T0 + 3 * TF, { open: 2000, high: 2000, low: 2000, close: 2000 });
    await pause(30);
    clock.t = T0 + 4 * TF;
    await waitFor(() => bars.length === 4, 'the filled bars and the 12:45 bar');
    expect(bars.slice(1)).toEqual([
      { symbol: 'XAUUSD', revised: false, ...restBar('XAU/USD', T0 + TF) },
      { symbol: 'XAUUSD', revised: false, ...restBar('XAU/USD', T0 + 2 * TF) },
      { symbol: 'XAUUSD', revised: false, tsMs: T0 + 3 * TF, open: 2000, high: 2000, low: 2000, close: 2000 },
    ]);
    expect(feed!.counts.gapFills).toBe(1);
    expect(logs.find((l) => l.event === 'td_gap_fill')).toMatchObject({ level: 'warn', details: { bars: 2 } });
  });

  it('close() stops the stream and the pending REST confirmations: no bar after it resolves', async () => {
    const clock = new TestClock(T0 + 5000);
    const f = newFeed(clock, { restConfirmDelayMs: 100 });
    const bars = await start(f, ['XAUUSD'], T0);
    sendBar('XAU/USD', T0, { open: 1, high: 1, low: 1, close: 1 });
    await pause(30);
    clock.t = T0 + TF;
    await waitFor(() => bars.length === 1, 'the 12:00 bar');
    await f.close();
    await waitFor(() => mock.wsClientCount() === 0, 'the socket to close');
    const requests = mock.timeSeriesRequests().length;
    sendBar('XAU/USD', T0 + TF, { open: 2, high: 2, low: 2, close: 2 });
    clock.t = T0 + 3 * TF;
    await pause(200);
    expect(bars).toHaveLength(1);
    expect(mock.timeSeriesRequests()).toHaveLength(requests);
  });

  it('a throw from onBar is logged as an error and the later bars still come', async () => {
    const clock = new TestClock(T0 + 5000);
    const seen: number[] = [];
    await newFeed(clock).start(['XAUUSD'], T0 - 3 * TF, (b) => {
      seen.push(b.tsMs);
      if (seen.length === 1) throw new Error('consumer failed');
    });
    expect(seen).toEqual([T0 - 3 * TF, T0 - 2 * TF, T0 - TF]);
    expect(logs.find((l) => l.event === 'td_feed_task_failed')).toMatchObject({
      level: 'error',
      symbol: 'XAUUSD',
      details: { error_id: 'UNKNOWN', message: 'consumer failed' },
    });
  });

  it('a missing key rejects start with CORE_ENV_MISSING before any request', async () => {
    const clock = new TestClock(T0);
    const f = createTwelveDataLegFeed(tdTestConfig(mock), {
      timeframe: '15m',
      deps: { now: clock.now, sleep: clock.sleep, env: {}, logger: quiet },
      log: { info: () => {}, warn: () => {}, error: () => {} },
    });
    feed = f;
    const err = (await f.start(['XAUUSD'], T0 - TF, () => {}).catch((e: unknown) => e)) as PtError;
    expect(err).toBeInstanceOf(PtError);
    expect(err.id).toBe('CORE_ENV_MISSING');
    expect(mock.requests).toHaveLength(0);
  });
});
