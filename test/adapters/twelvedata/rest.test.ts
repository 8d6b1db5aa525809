// The twelvedata REST path against a real local HTTP server: paging, retries, timeouts, error bodies, key handling.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PtError } from '../../../src/core/ptError.js';
import { metrics } from '../../../src/observability/metrics.js';
import { createTwelveDataProvider } from '../../../src/adapters/twelvedata/index.js';
import type { DropNotice } from '../../../src/adapters/twelvedata/twelveDataProvider.js';
import {
  dayLimitReply,
  ERROR_BODIES,
  minuteLimitReply,
  MockTwelveData,
  NO_DATA_BODY,
} from '../../helpers/mockTwelveData.js';
import { KEY_ENV, TEST_KEY, TestClock, tdTestConfig, type TestOverrides } from './testConfig.js';

const H = 3_600_000;
const NOW = Date.UTC(2024, 2, 1, 12, 30);
let mock: MockTwelveData;
/** Every error a test saw and every log line written, checked at the end for the key. */
const seenErrors: unknown[] = [];
const logs: object[] = [];
/** What each fetchTimeSeries of the current test dropped. */
let drops: DropNotice[] = [];
const logger = {
  info: (o: object) => {
    logs.push(o);
  },
  warn: (o: object) => {
    logs.push(o);
  },
};

beforeAll(async () => {
  mock = await MockTwelveData.start(TEST_KEY);
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.requests.length = 0;
  mock.respond(undefined);
  mock.nowMs = NOW;
  mock.noDataStatus = 200;
  mock.metaExtra = {};
  mock.badBars.clear();
  mock.offGrid.clear();
  mock.credits = undefined;
  drops = [];
  mock.series = { price: (s, ts) => (s.startsWith('XAU') ? 2000 : 25) * (1 + 0.01 * Math.sin(ts / 3.6e7)) };
});

function provider(o: TestOverrides = {}, env: NodeJS.ProcessEnv = KEY_ENV, random = () => 0.5) {
  const clock = new TestClock(NOW);
  const p = createTwelveDataProvider(tdTestConfig(mock, o), {
    now: clock.now,
    sleep: clock.sleep,
    random,
    env,
    ingestRunId: 'run-42',
    logger,
    onDropped: (n) => drops.push(n),
  });
  return { p, clock };
}

/** Inside the FX/metals weekly close in northern winter (Fri 22:00 → Sun 22:00 UTC). */
function winterWeekend(ts: number): boolean {
  const d = new Date(ts);
  const dow = d.getUTCDay();
  const h = d.getUTCHours();
  return dow === 6 || (dow === 5 && h >= 22) || (dow === 0 && h < 22);
}

async function failure(promise: Promise<unknown>): Promise<PtError> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, 'expected the call to fail').toBeInstanceOf(PtError);
  seenErrors.push(e);
  return e as PtError;
}

async function metricValue(
  m: typeof metrics.retryTotal | typeof metrics.apiLatencyMs,
  timeframe: string,
): Promise<number> {
  const vals = (await m.get()).values.filter(
    (v) => v.labels.source === 'twelvedata' && v.labels.timeframe === timeframe,
  );
  // For the histogram, the _count sample; for counters, the one value.
  const count = vals.find((v) => (v as { metricName?: string }).metricName?.endsWith('_count')) ?? vals[0];
  return count?.value ?? 0;
}

describe('fetchTimeSeries paging', () => {
  it('covers a long range in several calls, stitched ascending without duplicates or holes', async () => {
    const saturday = (ts: number) => new Date(ts).getUTCDay() === 6;
    mock.series = { ...mock.series, isClosed: saturday };
    const { p } = provider({ pageSize: 100 });
    const start = Date.UTC(2024, 0, 1);
    const end = Date.UTC(2024, 1, 15);
    const latencyBefore = await metricValue(metrics.apiLatencyMs, '1h');

    const bars = await p.fetchTimeSeries('XAUUSD', '1h', start, end);

    const expected: number[] = [];
    // New Year's trade date (Dec 31 22:00 → Jan 1 22:00 UTC) and the weekly close are dropped.
    const newYear = (ts: number) => ts < Date.UTC(2024, 0, 1, 22);
    for (let ts = start; ts < end; ts += H) if (!saturday(ts) && !winterWeekend(ts) && !newYear(ts)) expected.push(ts);
    expect(bars.map((b) => b.ts_utc)).toEqual(expected);
    const reqs = mock.timeSeriesRequests();
    expect(reqs.length).toBe(Math.ceil((end - start) / (99 * H)));
    for (const r of reqs) {
      expect(r.query.get('symbol')).toBe('XAU/USD');
      expect(r.query.get('interval')).toBe('1h');
      expect(r.query.get('timezone')).toBe('UTC');
      expect(Number(r.query.get('outputsize'))).toBe(100);
      expect(r.query.get('apikey')).toBeNull();
      expect(r.apiKey).toBe(TEST_KEY);
    }
    // Windows share their boundary and the mock serves end_date inclusively, so every seam overlapped.
    for (let i = 1; i < reqs.length; i++)
      expect(reqs[i]!.query.get('start_date')).toBe(reqs[i - 1]!.query.get('end_date'));
    expect(
      bars.every(
        (b) =>
          b.source_id === 'twelvedata' && b.ingest_run_id === 'run-42' && b.symbol === 'XAUUSD' && b.volume === null,
      ),
    ).toBe(true);
    expect(bars[0]!.metadata.symbol_source).toBe('XAU/USD');
    expect(bars[0]!.metadata.provider_version).toBe('twelvedata-rest-v1');
    const seqs = bars.map((b) => b.metadata.ingest_seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!);
    expect((await metricValue(metrics.apiLatencyMs, '1h')) - latencyBefore).toBe(reqs.length);
  });

  it('the default page size asks for at most 5000 bars per call', async () => {
    const { p } = provider();
    const bars = await p.fetchTimeSeries('XAGUSD', '15m', Date.UTC(2023, 10, 1), Date.UTC(2024, 2, 1));
    const reqs = mock.timeSeriesRequests();
    expect(reqs.length).toBeGreaterThan(1);
    for (const r of reqs) {
      expect(Number(r.query.get('outputsize'))).toBeLessThanOrEqual(5000);
      expect(r.query.get('interval')).toBe('15min');
    }
    // Every slot is served; the ones inside the weekly close or on a holiday are dropped and counted:
    // 17 weekends of 48 h, one of them 49 h (US DST ends on Sunday 2023-11-05).
    expect(drops).toHaveLength(1);
    const d = drops[0]!;
    expect(d.droppedWeeklyClose).toBe(17 * 192 + 4);
    expect(d.droppedHoliday).toBeGreaterThan(0);
    expect(bars.length + d.droppedWeeklyClose + d.droppedHoliday).toBe(
      (Date.UTC(2024, 2, 1) - Date.UTC(2023, 10, 1)) / 900_000,
    );
  });

  it('never returns the still-forming bar and never asks beyond it', async () => {
    const { p } = provider();
    const bars = await p.fetchTimeSeries('XAUUSD', '1h', NOW - 6 * H, NOW + 6 * H);
    expect(bars.at(-1)!.ts_utc).toBe(Date.UTC(2024, 2, 1, 11));
    for (const b of bars) expect(b.ts_utc + H).toBeLessThanOrEqual(NOW);
  });

  it('limit keeps the earliest bars and stops paging early', async () => {
    const { p } = provider({ pageSize: 50 });
    const start = Date.UTC(2024, 0, 2);
    const bars = await p.fetchTimeSeries('XAUUSD', '1h', start, Date.UTC(2024, 1, 1), 60);
    expect(bars).toHaveLength(60);
    expect(bars[0]!.ts_utc).toBe(start);
    expect(mock.timeSeriesRequests()).toHaveLength(2);
  });

  it('paces calls with the token bucket from rate_limits', async () => {
    const { p, clock } = provider({ pageSize: 10, restQps: 2 });
    await p.fetchTimeSeries('XAUUSD', '1h', Date.UTC(2024, 1, 1), Date.UTC(2024, 1, 1) + 45 * H);
    expect(mock.timeSeriesRequests()).toHaveLength(5);
    // A burst of two, then one call per 500 ms.
    expect(clock.sleeps).toEqual([500, 500, 500]);
  });

  it('an empty range ("No data is available") is an empty result, not an error', async () => {
    mock.series = { ...mock.series, isClosed: () => true };
    const { p } = provider();
    expect(await p.fetchTimeSeries('XAUUSD', '4h', Date.UTC(2024, 0, 6), Date.UTC(2024, 0, 7))).toEqual([]);
  });
});

describe('retries and backoff', () => {
  it('HTTP 429 twice then success: waits 1 s, 2 s and counts the retries', async () => {
    // A 429 that names no credit window and leaves credits: the ordinary backoff.
    const other = { code: 429, message: 'Too many requests', status: 'error' };
    mock.enqueue({ status: 429, body: other }, { status: 429, body: other });
    const { p, clock } = provider();
    const before = await metricValue(metrics.retryTotal, '1h');
    const bars = await p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW);
    expect(bars).toHaveLength(4);
    expect(clock.sleeps).toEqual([1000, 2000]);
    expect(mock.timeSeriesRequests()).toHaveLength(3);
    expect((await metricValue(metrics.retryTotal, '1h')) - before).toBe(2);
  });

  it('honours Retry-After on 429', async () => {
    mock.enqueue({ status: 429, headers: { 'Retry-After': '7' }, body: ERROR_BODIES[429] });
    const { p, clock } = provider();
    await p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW);
    expect(clock.sleeps).toEqual([7000]);
  });

  it('HTTP 500 eight times then success: waits grow with jitter and stop at the 60 s cap', async () => {
    for (let i = 0; i < 8; i++) mock.enqueue({ status: 500, body: '<html>Internal Server Error</html>' });
    const { p, clock } = provider({ retryMax: 8 }, KEY_ENV, () => 0.9);
    const bars = await p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW);
    expect(bars).toHaveLength(4);
    expect(clock.sleeps).toHaveLength(8);
    expect(clock.sleeps.slice(0, 6)).toEqual([1160, 2320, 4640, 9280, 18_560, 37_120]);
    for (let i = 1; i < 7; i++) expect(clock.sleeps[i]!).toBeGreaterThan(clock.sleeps[i - 1]!);
    expect(clock.sleeps.slice(6)).toEqual([60_000, 60_000]);
  });

  it('HTTP 500 beyond retry_max fails with DATA_API_HTTP after retry_max + 1 attempts', async () => {
    mock.respond(() => ({ status: 503, body: 'upstream unavailable' }));
    const { p, clock } = provider({ retryMax: 3 });
    const err = await failure(p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW));
    expect(err.id).toBe('DATA_API_HTTP');
    expect(err.details).toMatchObject({ status: 503, retryable: true, attempts: 4 });
    expect(mock.timeSeriesRequests()).toHaveLength(4);
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
  });

  it('a server that never answers is a DATA_API_TIMEOUT after the configured timeout, retried', async () => {
    mock.respond(() => ({ hang: true }));
    const { p, clock } = provider({ retryMax: 1, timeoutSeconds: 0.15 });
    const t0 = performance.now();
    const err = await failure(p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW));
    const elapsed = performance.now() - t0;
    expect(err.id).toBe('DATA_API_TIMEOUT');
    expect(err.details.retryable).toBe(true);
    expect(mock.timeSeriesRequests()).toHaveLength(2);
    expect(clock.sleeps).toHaveLength(1);
    // two attempts of 150 ms each really waited (a lower bound: no wall-clock ceiling in the unit suite)
    expect(elapsed).toBeGreaterThanOrEqual(290);
  });

  it('a refused connection is a retryable network DATA_API_HTTP', async () => {
    const dead = await MockTwelveData.start(TEST_KEY);
    const urls = { baseUrl: dead.baseUrl, wsUrl: dead.wsUrl };
    await dead.close();
    const clock = new TestClock(NOW);
    const p = createTwelveDataProvider(tdTestConfig(urls, { retryMax: 2 }), {
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      env: KEY_ENV,
      logger,
    });
    const err = await failure(p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW));
    expect(err.id).toBe('DATA_API_HTTP');
    expect(err.details).toMatchObject({ network: true, retryable: true, attempts: 3 });
  });
});

describe('error bodies and non-retryable failures', () => {
  it('malformed JSON is DATA_API_MALFORMED and is not retried', async () => {
    mock.enqueue({ status: 200, body: '{"meta":{"symbol":"XAU/USD"},"values":[{"datetime":' });
    const { p, clock } = provider();
    const err = await failure(p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW));
    expect(err.id).toBe('DATA_API_MALFORMED');
    expect(mock.timeSeriesRequests()).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('valid JSON of the wrong shape is DATA_API_MALFORMED', async () => {
    mock.enqueue({
      status: 200,
      body: {
        status: 'ok',
        meta: { symbol: 'XAU/USD' },
        values: [{ datetime: '2024-03-01 09:00:00', open: 'n/a', high: '1', low: '1', close: '1' }],
      },
    });
    const { p } = provider();
    expect((await failure(p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW))).id).toBe('DATA_API_MALFORMED');
  });

  it('{"status":"error","code":401} with HTTP 200 is DATA_API_PROVIDER and not retried', async () => {
    const { p, clock } = provider({}, { TWELVEDATA_API_KEY: 'wrong-key-000' });
    const err = await failure(p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW));
    expect(err.id).toBe('DATA_API_PROVIDER');
    expect(err.details).toMatchObject({ providerCode: 401, retryable: false, attempts: 1 });
    expect(err.message).toContain('apikey** parameter is incorrect');
    expect(clock.sleeps).toEqual([]);
    expect(err.message).not.toContain('wrong-key-000');
  });

  it('{"status":"error","code":429} with HTTP 200 is retried after the minute window, then succeeds', async () => {
    mock.enqueue({ status: 200, body: ERROR_BODIES[429] });
    const { p, clock } = provider();
    expect(await p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW)).toHaveLength(4);
    // NOW is 12:30:00.000: the next window opens at 12:31:00, plus the 1 s margin.
    expect(clock.sleeps).toEqual([61_000]);
  });

  it('{"status":"error","code":500} is retried; when it persists the error is DATA_API_PROVIDER', async () => {
    mock.respond(() => ({ status: 200, body: ERROR_BODIES[500] }));
    const { p } = provider({ retryMax: 2 });
    const err = await failure(p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW));
    expect(err.id).toBe('DATA_API_PROVIDER');
    expect(err.details).toMatchObject({ providerCode: 500, retryable: true, attempts: 3 });
  });

  it.each([400, 401, 404])('HTTP %i is DATA_API_HTTP and not retried', async (status) => {
    mock.enqueue({ status, body: ERROR_BODIES[status as 400 | 401 | 404] });
    const { p, clock } = provider();
    const err = await failure(p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW));
    expect(err.id).toBe('DATA_API_HTTP');
    expect(err.details).toMatchObject({ status, providerCode: status, retryable: false });
    expect(mock.timeSeriesRequests()).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });
});

describe('TwelveData edge cases (issue 14)', () => {
  const FRI = Date.UTC(2024, 2, 8); // Friday 2024-03-08 00:00 UTC, US DST from Sunday 03-10
  const MON_END = Date.UTC(2024, 2, 12);

  it('weekend bars are served but dropped and counted (weekly close Fri 22:00 → Sun 21:00 UTC here)', async () => {
    mock.nowMs = Date.UTC(2024, 2, 20);
    const clock = new TestClock(Date.UTC(2024, 2, 20));
    const p = createTwelveDataProvider(tdTestConfig(mock), {
      now: clock.now,
      sleep: clock.sleep,
      env: KEY_ENV,
      logger,
      onDropped: (n) => drops.push(n),
    });
    const bars = await p.fetchTimeSeries('XAUUSD', '1h', FRI, MON_END);
    // 96 slots served; Fri 22:00 EST → Sun 17:00 EDT (21:00 UTC) is 47 bars.
    expect(drops).toEqual([
      { symbol: 'XAUUSD', timeframe: '1h', droppedInvalid: 0, droppedWeeklyClose: 47, droppedHoliday: 0 },
    ]);
    expect(bars).toHaveLength(96 - 47);
    expect(bars.some((b) => b.ts_utc === Date.UTC(2024, 2, 8, 21))).toBe(true);
    expect(bars.some((b) => b.ts_utc === Date.UTC(2024, 2, 8, 22))).toBe(false);
    expect(bars.some((b) => b.ts_utc === Date.UTC(2024, 2, 10, 20))).toBe(false);
    expect(bars.some((b) => b.ts_utc === Date.UTC(2024, 2, 10, 21))).toBe(true);
  });

  it('limit counts kept bars only: a range opening in the weekly close still returns limit bars', async () => {
    const { p } = provider({ pageSize: 50 });
    // Friday 2024-02-02 22:00 UTC is 17:00 New York: closed until Sunday 22:00 UTC.
    const bars = await p.fetchTimeSeries('XAUUSD', '1h', Date.UTC(2024, 1, 2, 22), Date.UTC(2024, 1, 10), 30);
    expect(bars).toHaveLength(30);
    expect(bars[0]!.ts_utc).toBe(Date.UTC(2024, 1, 4, 22));
    expect(mock.timeSeriesRequests()).toHaveLength(2);
  });

  it('a 400 "No data is available" page among good pages is an empty page; the other pages are kept', async () => {
    mock.noDataStatus = 400;
    // The middle window (Jan 10 → Jan 14) has no bars at all.
    const hole = (ts: number) => ts >= Date.UTC(2024, 0, 10) && ts <= Date.UTC(2024, 0, 14);
    mock.series = { ...mock.series, isClosed: hole };
    const { p } = provider({ pageSize: 97 });
    const start = Date.UTC(2024, 0, 6);
    const bars = await p.fetchTimeSeries('EURUSD', '1h', start, start + 3 * 96 * H);
    const reqs = mock.timeSeriesRequests();
    expect(reqs).toHaveLength(3);
    expect(bars.length).toBeGreaterThan(0);
    expect(bars.some((b) => b.ts_utc < Date.UTC(2024, 0, 10))).toBe(true);
    expect(bars.some((b) => b.ts_utc > Date.UTC(2024, 0, 14))).toBe(true);
    expect(bars.some((b) => hole(b.ts_utc))).toBe(false);
  });

  it('the same no-data body with HTTP 400 for a whole range is 0 bars, not an error', async () => {
    mock.noDataStatus = 400;
    mock.enqueue({ status: 400, body: NO_DATA_BODY });
    const { p } = provider();
    expect(await p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW)).toEqual([]);
  });

  it('a per-minute 429 with credit headers waits for the next minute window, not the short backoff', async () => {
    mock.enqueue(minuteLimitReply(27, 8), minuteLimitReply(9, 8));
    const clock = new TestClock(Date.UTC(2024, 2, 1, 12, 30, 12, 500));
    const p = createTwelveDataProvider(tdTestConfig(mock), {
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      env: KEY_ENV,
      logger,
    });
    const bars = await p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW);
    expect(bars).toHaveLength(4);
    // 12:30:12.5 → 12:31:01, then 12:31:01 → 12:32:01: the window boundary plus 1 s, each time.
    expect(clock.sleeps).toEqual([48_500, 60_000]);
    expect(clock.t).toBe(Date.UTC(2024, 2, 1, 12, 32, 1));
    expect(mock.timeSeriesRequests()).toHaveLength(3);
  });

  it('a per-minute 429 with Retry-After waits what the server said', async () => {
    mock.enqueue(minuteLimitReply(27, 8, { 'Retry-After': '5' }));
    const { p, clock } = provider();
    await p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW);
    expect(clock.sleeps).toEqual([5000]);
  });

  it('a 429 with api-credits-left 0 and no minute wording is a minute limit too', async () => {
    mock.enqueue({
      status: 429,
      headers: { 'api-credits-used': '8', 'api-credits-left': '0' },
      body: { code: 429, message: 'Too many requests', status: 'error' },
    });
    const { p, clock } = provider();
    await p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW);
    expect(clock.sleeps).toEqual([61_000]);
  });

  it('api-credits-left 0 on a good answer makes the next call wait for the next minute window', async () => {
    mock.credits = { used: 8, left: 0 };
    const { p, clock } = provider({ pageSize: 10 });
    await p.fetchTimeSeries('XAUUSD', '1h', NOW - 12 * H, NOW);
    expect(mock.timeSeriesRequests()).toHaveLength(2);
    expect(clock.sleeps).toEqual([61_000]);
  });

  it('a per-day 429 stops at once with DATA_API_QUOTA, and later calls fail without a request', async () => {
    mock.enqueue(dayLimitReply(800));
    const { p, clock } = provider({ retryMax: 5 });
    const err = await failure(p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW));
    expect(err.id).toBe('DATA_API_QUOTA');
    expect(err.message).toContain('daily API credits are spent');
    expect(err.message).toContain('800 API credits per day');
    expect(err.message).toContain('2024-03-02T00:00:00.000Z');
    expect(err.details).toMatchObject({ retryable: false, creditsLeft: 0, creditsUsed: 800, rateLimit: 'day' });
    expect(mock.timeSeriesRequests()).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    const again = await failure(p.fetchTimeSeries('XAGUSD', '1h', NOW - 5 * H, NOW));
    expect(again.id).toBe('DATA_API_QUOTA');
    expect(mock.timeSeriesRequests()).toHaveLength(1);
  });

  it("a provider's long message is quoted whole up to 400 characters, never cut inside a word or URL", async () => {
    const message =
      'You have run out of API credits for the day. 810 API credits were used, with the current limit being 800. ' +
      'Wait for tomorrow or consider switching to a higher tier plan at https://twelvedata.com/pricing';
    const reply = dayLimitReply(800);
    mock.enqueue({ ...reply, body: { ...(reply.body as object), message } });
    const { p } = provider({ retryMax: 5 });
    const err = await failure(p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW));
    expect(err.id).toBe('DATA_API_QUOTA');
    expect(err.message).toContain('https://twelvedata.com/pricing');
  });

  it('a bar with inconsistent OHLC is dropped and counted; the rest of the symbol is kept', async () => {
    mock.badBars.add(NOW - 3 * H - 30 * 60_000);
    const { p } = provider();
    const bars = await p.fetchTimeSeries('XAUUSD', '1h', NOW - 6.5 * H, NOW);
    expect(bars.map((b) => b.ts_utc)).not.toContain(NOW - 3.5 * H);
    expect(bars).toHaveLength(5);
    expect(drops[0]).toMatchObject({ droppedInvalid: 1, droppedWeeklyClose: 0, droppedHoliday: 0 });
  });

  it('meta.interval other than the one asked is DATA_API_MALFORMED', async () => {
    mock.metaExtra = { interval: '1day' };
    const { p } = provider();
    const err = await failure(p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW));
    expect(err.id).toBe('DATA_API_MALFORMED');
    expect(err.message).toContain('answer has interval "1day", but 1h was asked');
  });

  it('meta.exchange_timezone: UTC and the leg zone pass, another zone is DATA_API_MALFORMED', async () => {
    mock.metaExtra = { exchange_timezone: 'UTC' };
    expect(await provider().p.fetchTimeSeries('EURUSD', '1h', NOW - 5 * H, NOW)).toHaveLength(4);
    // universe.yaml gives XAUUSD's leg America/New_York.
    mock.metaExtra = { exchange_timezone: 'America/New_York' };
    expect(await provider().p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW)).toHaveLength(4);
    const err = await failure(provider().p.fetchTimeSeries('EURUSD', '1h', NOW - 5 * H, NOW));
    expect(err.id).toBe('DATA_API_MALFORMED');
    expect(err.message).toContain('exchange_timezone "America/New_York", expected UTC for EUR/USD');
  });

  it('a datetime off the UTC grid of the timeframe is DATA_API_MALFORMED', async () => {
    mock.offGrid.set(NOW - 2.5 * H, 5 * 60_000);
    const { p } = provider();
    const err = await failure(p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW));
    expect(err.id).toBe('DATA_API_MALFORMED');
    expect(err.message).toContain('2024-03-01 10:05:00 is not on the UTC 1h grid');
  });
});

describe('the API key', () => {
  it('a missing key is CORE_ENV_MISSING naming the variable, before any request', async () => {
    const { p } = provider({}, {});
    const err = await failure(p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW));
    expect(err.id).toBe('CORE_ENV_MISSING');
    expect(err.message).toContain('TWELVEDATA_API_KEY is not set');
    expect(mock.requests).toHaveLength(0);
    // Building the provider and non-network calls do not need the key.
    expect((await p.listSymbols()).map((s) => s.sourceSymbol)).toContain('XAU/USD');
  });

  it('is redacted when the server echoes it in an error body', async () => {
    mock.enqueue({
      status: 500,
      body: `upstream failure for /time_series?apikey=${TEST_KEY}&symbol=XAU/USD (key ${TEST_KEY})`,
    });
    const { p } = provider({ retryMax: 0 });
    const err = await failure(p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW));
    expect(err.message).toContain('apikey=***');
    expect(err.message).not.toContain(TEST_KEY);
  });

  it('never appears in any error message, details, cause or log line seen in this file', () => {
    expect(logs.some((l) => (l as { event?: string }).event === 'api_retry')).toBe(true);
    expect(JSON.stringify(logs)).not.toContain(TEST_KEY);
    expect(seenErrors.length).toBeGreaterThanOrEqual(10);
    for (const e of seenErrors as PtError[]) {
      const text = [
        e.message,
        JSON.stringify(e.details),
        String((e as { cause?: unknown }).cause ?? ''),
        e.stack ?? '',
      ].join('\n');
      expect(text).not.toContain(TEST_KEY);
    }
  });
});

describe('healthCheck', () => {
  it('is ok against a healthy server and down, with the error id, on a bad key', async () => {
    expect((await provider().p.healthCheck()).status).toBe('ok');
    const down = await provider({}, { TWELVEDATA_API_KEY: 'bad-key-123' }).p.healthCheck();
    expect(down.status).toBe('down');
    expect(down.details.error_id).toBe('DATA_API_PROVIDER');
  });
});
