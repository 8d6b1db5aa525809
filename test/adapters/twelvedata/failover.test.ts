// twelvedata behind the FailoverProvider: circuit opens on repeated failures, a backup serves, the primary returns after half-open; conflicts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Timeframe } from '../../../src/core/time.js';
import type { CanonicalBar } from '../../../src/model/bar.js';
import type { MarketDataProvider } from '../../../src/ports/marketDataProvider.js';
import { metrics } from '../../../src/observability/metrics.js';
import { createTwelveDataProvider } from '../../../src/adapters/twelvedata/index.js';
import { failoverFromConfig, markConflicts } from '../../../src/data/resilience/failoverProvider.js';
import { MockTwelveData } from '../../helpers/mockTwelveData.js';
import { KEY_ENV, TEST_KEY, TestClock, tdTestConfig } from './testConfig.js';

const H = 3_600_000;
const quiet = { info: () => {}, warn: () => {} };
const NOW = Date.UTC(2024, 2, 1, 12, 30);
let mock: MockTwelveData;

beforeAll(async () => {
  mock = await MockTwelveData.start(TEST_KEY);
  mock.nowMs = NOW;
});
afterAll(async () => {
  await mock.close();
});

/** A second source: the same hours at a fixed price, so its bars are told apart by source_id. */
class BackupProvider implements MarketDataProvider {
  readonly id = 'csv';
  calls = 0;
  constructor(private readonly price: (ts: number) => number) {}
  async fetchTimeSeries(symbol: string, timeframe: Timeframe, startMs: number, endMs: number): Promise<CanonicalBar[]> {
    this.calls++;
    const out: CanonicalBar[] = [];
    for (let ts = Math.ceil(startMs / H) * H; ts < endMs && ts + H <= NOW; ts += H) {
      const c = this.price(ts);
      out.push({
        ts_utc: ts,
        symbol,
        timeframe,
        open: c,
        high: c,
        low: c,
        close: c,
        volume: null,
        quality_flag: 'ok',
        source_id: this.id,
        ingest_run_id: 'backup',
        metadata: { ingest_seq: ts },
      });
    }
    return out;
  }
  async streamBars() {
    return { close: async () => {} };
  }
  async listSymbols() {
    return [];
  }
  capabilities() {
    return { timeframes: ['15m', '1h', '4h'] as Timeframe[], assets: [], maxBarsPerRequest: 1e6, streaming: false };
  }
  rateLimit() {
    return { restQps: 100 };
  }
  async healthCheck() {
    return { status: 'ok' as const, details: {} };
  }
}

async function circuitGauge(): Promise<number | undefined> {
  return (await metrics.circuitOpen.get()).values.find(
    (v) => v.labels.source === 'twelvedata' && v.labels.timeframe === '1h',
  )?.value;
}

describe('failover over twelvedata', () => {
  it('opens the circuit after repeated failures, serves from the backup, and returns to twelvedata after half-open', async () => {
    const config = tdTestConfig(mock, { retryMax: 1, openThresholdErrors: 3, halfOpenAfterSeconds: 120 });
    const clock = new TestClock(NOW);
    const td = createTwelveDataProvider(config, {
      now: clock.now,
      sleep: async () => {},
      random: () => 0.5,
      env: KEY_ENV,
      logger: quiet,
    });
    const backup = new BackupProvider(() => 2000);
    const f = failoverFromConfig(config, [backup, td], { now: clock.now });
    expect(f.sources()).toEqual(['twelvedata', 'csv']);
    const range = [NOW - 6 * H, NOW] as const;

    mock.requests.length = 0;
    mock.respond(() => ({ status: 502, body: 'bad gateway' }));
    for (let i = 0; i < 3; i++) {
      const bars = await f.fetchTimeSeries('XAUUSD', '1h', ...range);
      expect(bars[0]!.source_id).toBe('csv');
    }
    // Each failed fetch is one request plus one retry.
    expect(mock.timeSeriesRequests()).toHaveLength(6);
    expect(f.breaker('twelvedata', '1h').state()).toBe('open');
    expect(await circuitGauge()).toBe(1);

    // Open: twelvedata is not even asked, although it would now answer.
    mock.respond(undefined);
    expect((await f.fetchTimeSeries('XAUUSD', '1h', ...range))[0]!.source_id).toBe('csv');
    expect(mock.timeSeriesRequests()).toHaveLength(6);
    expect(backup.calls).toBe(4);

    clock.t += 120_000;
    const back = await f.fetchTimeSeries('XAUUSD', '1h', ...range);
    expect(back[0]!.source_id).toBe('twelvedata');
    expect(back).toHaveLength(5);
    expect(mock.timeSeriesRequests()).toHaveLength(7);
    expect(f.breaker('twelvedata', '1h').state()).toBe('closed');
    expect(await circuitGauge()).toBe(0);
    expect(backup.calls).toBe(4);
  });

  it('marks twelvedata bars that disagree with a second source beyond conflict_diff_thresh', async () => {
    const config = tdTestConfig(mock);
    const td = createTwelveDataProvider(config, { now: () => NOW, env: KEY_ENV, logger: quiet });
    mock.respond(undefined);
    const primary = await td.fetchTimeSeries('XAUUSD', '1h', NOW - 6 * H, NOW);
    const byTs = new Map(primary.map((b) => [b.ts_utc, b.close]));
    const moved = new Set([primary[1]!.ts_utc, primary[4]!.ts_utc]);
    // The backup agrees within 0.1 % except on two hours, where it is 0.5 % off.
    const secondary = await new BackupProvider((ts) => byTs.get(ts)! * (moved.has(ts) ? 1.005 : 1.001)).fetchTimeSeries(
      'XAUUSD',
      '1h',
      NOW - 6 * H,
      NOW,
    );
    const r = markConflicts(primary, secondary, config.pipeline_policy.conflict_diff_thresh);
    expect(r.conflicts).toBe(2);
    expect(r.bars.filter((b) => b.quality_flag === 'conflict').map((b) => b.ts_utc)).toEqual([...moved]);
    expect(primary.every((b) => b.quality_flag === 'ok')).toBe(true);
  });
});
