// The price stream's edge cases (issue 14) against the local mock: millisecond timestamps, string
// prices, late and far-future ticks, a silent symbol re-synced over REST, and no bar handed out
// before its close time by the injected clock.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CanonicalBar } from '../../../src/model/bar.js';
import type { TwelveDataPriceStream } from '../../../src/adapters/twelvedata/priceStream.js';
import { createTwelveDataProvider, type TwelveDataDeps } from '../../../src/adapters/twelvedata/index.js';
import { MockTwelveData, waitFor } from '../../helpers/mockTwelveData.js';
import { KEY_ENV, TEST_KEY, TestClock, tdTestConfig } from './testConfig.js';

const T0 = Date.UTC(2024, 2, 1, 12, 0); // a Friday noon: the market is open
const MIN = 60_000;
const sec = (ms: number) => Math.floor(ms / 1000);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
let mock: MockTwelveData;
let stream: TwelveDataPriceStream | undefined;
let debug: Array<{ event?: string; symbol?: string; details?: Record<string, unknown> }> = [];
let warn: Array<{ event?: string; symbol?: string }> = [];

beforeAll(async () => {
  mock = await MockTwelveData.start(TEST_KEY);
});
beforeEach(() => {
  debug = [];
  warn = [];
  mock.silent.clear();
  mock.requests.length = 0;
});
afterEach(async () => {
  await stream?.close();
  stream = undefined;
});
afterAll(async () => {
  await mock.close();
});

/** Opens XAUUSD+XAGUSD 15m on a fixed clock; each bar is recorded with the clock at hand-out. */
async function open(clock: TestClock, streamOpts: TwelveDataDeps['stream'] = {}) {
  const p = createTwelveDataProvider(tdTestConfig(mock), {
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    env: KEY_ENV,
    logger: {
      debug: (o: object) => debug.push(o),
      info: () => {},
      warn: (o: object) => warn.push(o),
    },
    stream: { heartbeatMs: 30, flushEveryMs: 10, closeGraceMs: 0, idleTimeoutMs: 5000, ...streamOpts },
  });
  const bars: Array<CanonicalBar & { at: number }> = [];
  stream = (await p.streamBars(['XAUUSD', 'XAGUSD'], '15m', (b) =>
    bars.push({ ...b, at: clock.t }),
  )) as TwelveDataPriceStream;
  await waitFor(() => mock.subscriptions().length > 0 && mock.wsClientCount() === 1, 'the subscription');
  return bars;
}

describe('price stream edge cases', () => {
  it('reads millisecond timestamps and string prices, counts and logs bad prices and late ticks, and goes on', async () => {
    const clock = new TestClock(T0 + 5000);
    const bars = await open(clock);
    mock.sendPrice('XAU/USD', sec(T0 + 1 * MIN), 2000, { millis: true });
    mock.sendPrice('XAU/USD', sec(T0 + 5 * MIN), 0, { priceText: '2010.50' });
    mock.sendPrice('XAU/USD', sec(T0 + 9 * MIN), 1990, { millis: true });
    // Sent last: once it is logged, every earlier tick has been read (one socket, in order), so moving
    // the clock cannot close the bar before a tick arrives on a loaded machine.
    mock.sendPrice('XAU/USD', sec(T0 + 6 * MIN), 0, { priceText: 'n/a' });
    await waitFor(() => debug.some((d) => d.event === 'ws_tick_bad_price'), 'the bad price log');
    clock.t = T0 + 15 * MIN + 2000;
    mock.sendPrice('XAU/USD', sec(T0 + 15 * MIN + 1000), 1995, { millis: true });
    await waitFor(() => bars.length === 1, 'the 12:00 bar');
    expect(bars[0]).toMatchObject({ ts_utc: T0, open: 2000, high: 2010.5, low: 1990, close: 1990 });

    // A tick of the bar already handed out: counted, logged at debug, nothing changes.
    mock.sendPrice('XAU/USD', sec(T0 + 10 * MIN), 1);
    await waitFor(() => debug.some((d) => d.event === 'ws_tick_late'), 'the late tick log');
    expect(stream!.counts).toMatchObject({ badPrice: 1, late: 1, future: 0, badTimestamp: 0 });
    expect(debug.find((d) => d.event === 'ws_tick_bad_price')).toMatchObject({
      symbol: 'XAUUSD',
      details: { value: 'n/a' },
    });

    // The symbol is not frozen: the next bar closes as usual.
    mock.sendPrice('XAU/USD', sec(T0 + 20 * MIN), 2001);
    mock.sendPrice('XAU/USD', sec(T0 + 21 * MIN), 0, { priceText: 'n/a' });
    await waitFor(() => stream!.counts.badPrice === 2, 'the 2001 tick read');
    clock.t = T0 + 30 * MIN;
    await waitFor(() => bars.filter((b) => b.symbol === 'XAUUSD').length === 2, 'the 12:15 bar');
    expect(bars.find((b) => b.ts_utc === T0 + 15 * MIN && b.symbol === 'XAUUSD')).toMatchObject({
      open: 1995,
      high: 2001,
      low: 1995,
      close: 2001,
    });
  });

  it('refuses an absurd far-future timestamp with a debug line, and the symbol keeps working', async () => {
    const clock = new TestClock(T0 + 5000);
    const bars = await open(clock);
    mock.sendPrice('XAU/USD', sec(T0 + MIN), 2000);
    // Milliseconds sent as if they were scaled twice: year ~54000.
    mock.sendRaw({ event: 'price', symbol: 'XAU/USD', timestamp: (T0 + 2 * MIN) * 1000, price: 2100 });
    await waitFor(() => debug.some((d) => d.event === 'ws_tick_future'), 'the future tick log');
    // Seconds divided once too often: 1970, a bar long closed: late, not an ancient bar.
    mock.sendRaw({ event: 'price', symbol: 'XAG/USD', timestamp: sec(T0) / 1000, price: 25 });
    await waitFor(() => debug.some((d) => d.event === 'ws_tick_late'), 'the 1970 tick as late');
    clock.t = T0 + 15 * MIN + 1000;
    mock.sendPrice('XAU/USD', sec(T0 + 15 * MIN + 500), 2002);
    await waitFor(() => bars.length === 1, 'the 12:00 bar');
    expect(bars[0]).toMatchObject({ ts_utc: T0, high: 2000, close: 2000 });
    expect(stream!.counts).toMatchObject({ future: 1, late: 1 });
    expect(bars.every((b) => b.ts_utc >= T0)).toBe(true);
  });

  it('never hands out a bar before ts + timeframe <= now, even when a tick is stamped in the next bar', async () => {
    const clock = new TestClock(T0 + 14 * MIN);
    const bars = await open(clock);
    mock.sendPrice('XAU/USD', sec(T0 + MIN), 2000);
    // The server's clock runs 35 s ahead of ours: its tick belongs to 12:15, ours says 12:14:30.
    clock.t = T0 + 14 * MIN + 30_000;
    mock.sendPrice('XAU/USD', sec(T0 + 15 * MIN + 5000), 2004);
    await pause(80);
    expect(bars, 'the 12:00 bar is still open by the clock').toHaveLength(0);
    clock.t = T0 + 15 * MIN;
    await waitFor(() => bars.length === 1, 'the 12:00 bar at its close time');
    expect(bars[0]).toMatchObject({ ts_utc: T0, close: 2000 });
    // The 12:15 bar holds the early tick and stays open until 12:30.
    clock.t = T0 + 29 * MIN;
    await pause(60);
    expect(bars).toHaveLength(1);
    clock.t = T0 + 30 * MIN;
    await waitFor(() => bars.length === 2, 'the 12:15 bar');
    expect(bars[1]).toMatchObject({ ts_utc: T0 + 15 * MIN, open: 2004 });
    for (const b of bars) expect(b.ts_utc + 15 * MIN).toBeLessThanOrEqual(b.at);
  });

  it('a symbol silent for 2 timeframes on a live connection is re-synced over REST', async () => {
    const clock = new TestClock(T0 + 5000);
    mock.silent.add('XAG/USD');
    const bars = await open(clock);
    for (let m = 1; m <= 31; m += 5) {
      clock.t = T0 + m * MIN;
      mock.sendPrice('XAU/USD', sec(T0 + m * MIN), 2000 + m);
      mock.sendPrice('XAG/USD', sec(T0 + m * MIN), 25);
      await pause(15);
    }
    clock.t = T0 + 31 * MIN;
    await waitFor(() => bars.some((b) => b.symbol === 'XAGUSD'), 'the re-synced XAG/USD bars');
    const reqs = mock.timeSeriesRequests();
    expect(reqs.map((r) => r.query.get('symbol'))).toEqual(['XAG/USD']);
    expect(reqs[0]!.query.get('interval')).toBe('15min');
    const xag = bars.filter((b) => b.symbol === 'XAGUSD');
    // 12:30 - 3 bars .. 12:30: the closed bars 11:45, 12:00 and 12:15 from REST.
    expect(xag.map((b) => b.ts_utc)).toEqual([T0 - 15 * MIN, T0, T0 + 15 * MIN]);
    expect(xag.every((b) => b.metadata.provider_version === 'twelvedata-rest-v1')).toBe(true);
    expect(warn.some((w) => w.event === 'ws_stall_resync' && w.symbol === 'XAGUSD')).toBe(true);
    expect(stream!.counts.resyncs).toBe(1);
    // XAU/USD kept ticking: no re-sync for it.
    expect(warn.some((w) => w.event === 'ws_stall_resync' && w.symbol === 'XAUUSD')).toBe(false);
    // The next stall check counts from the re-sync: no second request right away.
    await pause(60);
    expect(mock.timeSeriesRequests()).toHaveLength(1);
  });
});
