// The twelvedata REST path against a real local HTTP server: paging, retries, timeouts, error bodies, key handling.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PtError } from '../../../src/core/ptError.js';
import { metrics } from '../../../src/observability/metrics.js';
import { createTwelveDataProvider } from '../../../src/adapters/twelvedata/index.js';
import { ERROR_BODIES, MockTwelveData } from '../../helpers/mockTwelveData.js';
import { KEY_ENV, TEST_KEY, TestClock, tdTestConfig, type TestOverrides } from './testConfig.js';

const H = 3_600_000;
const NOW = Date.UTC(2024, 2, 1, 12, 30);
let mock: MockTwelveData;
/** Every error a test saw and every log line written, checked at the end for the key. */
const seenErrors: unknown[] = [];
const logs: object[] = [];
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
  });
  return { p, clock };
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
    for (let ts = start; ts < end; ts += H) if (!saturday(ts)) expected.push(ts);
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
    expect(bars.length).toBe((Date.UTC(2024, 2, 1) - Date.UTC(2023, 10, 1)) / 900_000);
  });

  it('never returns the still-forming bar and never asks beyond it', async () => {
    const { p } = provider();
    const bars = await p.fetchTimeSeries('XAUUSD', '1h', NOW - 6 * H, NOW + 6 * H);
    expect(bars.at(-1)!.ts_utc).toBe(Date.UTC(2024, 2, 1, 11));
    for (const b of bars) expect(b.ts_utc + H).toBeLessThanOrEqual(NOW);
  });

  it('limit keeps the earliest bars and stops paging early', async () => {
    const { p } = provider({ pageSize: 50 });
    const start = Date.UTC(2024, 0, 1);
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
    mock.enqueue({ status: 429, body: ERROR_BODIES[429] }, { status: 429, body: ERROR_BODIES[429] });
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

  it('{"status":"error","code":429} with HTTP 200 is retried, then succeeds', async () => {
    mock.enqueue({ status: 200, body: ERROR_BODIES[429] });
    const { p, clock } = provider();
    expect(await p.fetchTimeSeries('XAUUSD', '1h', NOW - 5 * H, NOW)).toHaveLength(4);
    expect(clock.sleeps).toEqual([1000]);
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
