// The price stream against a real local WebSocket server: ticks → closed bars, heartbeats, reconnects.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalBar } from '../../../src/model/bar.js';
import type { BarStream } from '../../../src/ports/marketDataProvider.js';
import { PtError } from '../../../src/core/ptError.js';
import { metrics } from '../../../src/observability/metrics.js';
import { createTwelveDataProvider } from '../../../src/adapters/twelvedata/index.js';
import { MockTwelveData, waitFor } from '../../helpers/mockTwelveData.js';
import { KEY_ENV, TEST_KEY, TestClock, tdTestConfig } from './testConfig.js';

const T0 = Date.UTC(2024, 2, 1, 12, 0);
const sec = (ms: number) => Math.floor(ms / 1000);
const MIN = 60_000;
const quiet = { info: () => {}, warn: () => {} };
let mock: MockTwelveData;
let stream: BarStream | undefined;

beforeAll(async () => {
  mock = await MockTwelveData.start(TEST_KEY);
});
afterEach(async () => {
  await stream?.close();
  stream = undefined;
});
afterAll(async () => {
  await mock.close();
});

async function reconnects(): Promise<number> {
  return (await metrics.wsReconnectsTotal.get()).values.find((v) => v.labels.source === 'twelvedata')?.value ?? 0;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('streamBars', () => {
  it('subscribes, builds 15m bars from price events, keeps the forming bar across a reconnect, and emits bars once closed', async () => {
    const clock = new TestClock(T0 + 5000);
    const p = createTwelveDataProvider(tdTestConfig(mock), {
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      env: KEY_ENV,
      logger: quiet,
      ingestRunId: 'live-1',
      stream: { heartbeatMs: 30, flushEveryMs: 10, closeGraceMs: 0, idleTimeoutMs: 5000 },
    });
    const bars: CanonicalBar[] = [];
    const before = await reconnects();
    stream = await p.streamBars(['XAUUSD', 'XAGUSD'], '15m', (b) => bars.push(b));

    await waitFor(() => mock.subscriptions().length === 1, 'the subscribe action');
    expect(mock.subscriptions()[0]).toEqual({ action: 'subscribe', params: { symbols: 'XAU/USD,XAG/USD' } });
    expect(mock.wsKeys).toEqual([TEST_KEY]);

    mock.sendPrice('XAU/USD', sec(T0 + 5000), 2000);
    mock.sendPrice('XAU/USD', sec(T0 + 3 * MIN), 2005.5);
    mock.sendPrice('XAU/USD', sec(T0 + 7 * MIN), 1995.25);
    mock.sendPrice('XAG/USD', sec(T0 + 8 * MIN), 24.5);
    mock.sendPrice('XAU/USD', sec(T0 + 14 * MIN + 59_000), 2001);
    await pause(60);
    expect(bars, 'no bar may be emitted before it has closed').toHaveLength(0);

    // The first tick of the next bar closes the 12:00 XAU/USD bar.
    clock.t = T0 + 15 * MIN + 1000;
    mock.sendPrice('XAU/USD', sec(T0 + 15 * MIN + 1000), 2003);
    await waitFor(() => bars.length >= 1, 'the 12:00 XAU/USD bar');
    expect(bars[0]).toMatchObject({
      ts_utc: T0,
      symbol: 'XAUUSD',
      timeframe: '15m',
      open: 2000,
      high: 2005.5,
      low: 1995.25,
      close: 2001,
      volume: null,
      source_id: 'twelvedata',
      ingest_run_id: 'live-1',
      quality_flag: 'ok',
    });
    expect(bars[0]!.metadata).toMatchObject({ symbol_source: 'XAU/USD', provider_version: 'twelvedata-ws-v1' });
    expect(bars[0]!.metadata.checksum).toMatch(/^[0-9a-f]{16}$/);
    // XAG/USD's 12:00 bar closed by the clock (12:15:01 > 12:15) on the flush timer.
    await waitFor(() => bars.some((b) => b.symbol === 'XAGUSD'), 'the 12:00 XAG/USD bar');
    expect(bars.find((b) => b.symbol === 'XAGUSD')).toMatchObject({
      ts_utc: T0,
      open: 24.5,
      high: 24.5,
      low: 24.5,
      close: 24.5,
    });

    await waitFor(() => mock.wsReceived.some((m) => m.action === 'heartbeat'), 'a heartbeat action');

    // The server drops the socket: the stream reconnects with backoff and subscribes again.
    const sleepsBefore = clock.sleeps.length;
    mock.dropWsClients();
    await waitFor(() => mock.subscriptions().length === 2 && mock.wsClientCount() === 1, 'the re-subscription');
    expect((await reconnects()) - before).toBe(1);
    expect(clock.sleeps.length - sleepsBefore).toBe(1);
    expect(clock.sleeps.at(-1)).toBe(1000);
    expect(mock.wsKeys).toEqual([TEST_KEY, TEST_KEY]);

    // Ticks after the reconnect continue the 12:15 bar opened before it.
    mock.sendPrice('XAU/USD', sec(T0 + 20 * MIN), 2010);
    mock.sendPrice('XAU/USD', sec(T0 + 25 * MIN), 2007);
    await pause(40);
    expect(bars.filter((b) => b.symbol === 'XAUUSD')).toHaveLength(1);
    clock.t = T0 + 30 * MIN;
    await waitFor(() => bars.filter((b) => b.symbol === 'XAUUSD').length === 2, 'the 12:15 bar on the timer');
    expect(bars.filter((b) => b.symbol === 'XAUUSD')[1]).toMatchObject({
      ts_utc: T0 + 15 * MIN,
      open: 2003,
      high: 2010,
      low: 2003,
      close: 2007,
    });
    const seqs = bars.map((b) => b.metadata.ingest_seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!);

    // A late tick for an emitted bar changes nothing.
    mock.sendPrice('XAU/USD', sec(T0 + 10 * MIN), 1);
    await pause(30);
    expect(bars).toHaveLength(3);

    await stream.close();
    stream = undefined;
    await waitFor(() => mock.wsClientCount() === 0, 'the socket to close');
  });

  it('drops and reopens a connection that stops answering heartbeats', async () => {
    const clock = new TestClock(T0);
    const p = createTwelveDataProvider(tdTestConfig(mock), {
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      env: KEY_ENV,
      logger: quiet,
      stream: { heartbeatMs: 20, flushEveryMs: 10, idleTimeoutMs: 120 },
    });
    const subsBefore = mock.subscriptions().length;
    mock.answerHeartbeats = false;
    try {
      stream = await p.streamBars(['XAUUSD'], '1h', () => {});
      await waitFor(() => mock.subscriptions().length >= subsBefore + 2, 'a reconnect after silence');
    } finally {
      mock.answerHeartbeats = true;
    }
  });

  it('a missing key is CORE_ENV_MISSING naming the variable, and nothing connects', async () => {
    const p = createTwelveDataProvider(tdTestConfig(mock), { env: {}, logger: quiet });
    const keysBefore = mock.wsKeys.length;
    const err = (await p.streamBars(['XAUUSD'], '1h', () => {}).catch((e: unknown) => e)) as PtError;
    expect(err).toBeInstanceOf(PtError);
    expect(err.id).toBe('CORE_ENV_MISSING');
    expect(err.message).toContain('TWELVEDATA_API_KEY');
    expect(mock.wsKeys.length).toBe(keysBefore);
  });

  it('a stream that cannot connect fails with DATA_WS_CONNFAIL without the key in the message', async () => {
    const dead = await MockTwelveData.start(TEST_KEY);
    const urls = { baseUrl: dead.baseUrl, wsUrl: dead.wsUrl };
    await dead.close();
    const clock = new TestClock(T0);
    const p = createTwelveDataProvider(tdTestConfig(urls, { retryMax: 2 }), {
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      env: KEY_ENV,
      logger: quiet,
    });
    const err = (await p.streamBars(['XAUUSD'], '1h', () => {}).catch((e: unknown) => e)) as PtError;
    expect(err).toBeInstanceOf(PtError);
    expect(err.id).toBe('DATA_WS_CONNFAIL');
    expect(clock.sleeps).toEqual([1000, 2000]);
    expect(err.message).not.toContain(TEST_KEY);
  });
});
