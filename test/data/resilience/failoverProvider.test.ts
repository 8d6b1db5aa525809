// FailoverProvider with in-test providers (priority order, circuit skipping, return to primary) and markConflicts.
import { describe, expect, it } from 'vitest';
import { PtError } from '../../../src/core/ptError.js';
import type { Timeframe } from '../../../src/core/time.js';
import type { CanonicalBar } from '../../../src/model/bar.js';
import type { MarketDataProvider } from '../../../src/ports/marketDataProvider.js';
import { FailoverProvider, markConflicts } from '../../../src/data/resilience/failoverProvider.js';
import { FakeClock } from './fakeClock.js';

function bar(source: string, ts: number, close: number, symbol = 'XAUUSD'): CanonicalBar {
  return {
    ts_utc: ts,
    symbol,
    timeframe: '1h',
    open: close,
    high: close,
    low: close,
    close,
    volume: null,
    quality_flag: 'ok',
    source_id: source,
    ingest_run_id: 'run',
    metadata: { ingest_seq: ts },
  };
}

class ScriptedProvider implements MarketDataProvider {
  calls = 0;
  failing = false;
  constructor(
    readonly id: string,
    private readonly timeframes: Timeframe[] = ['15m', '1h', '4h'],
  ) {}
  async fetchTimeSeries(symbol: string, timeframe: Timeframe, startMs: number): Promise<CanonicalBar[]> {
    this.calls++;
    if (this.failing) throw new PtError('DATA_API_HTTP', `${this.id} HTTP 503`, { details: { retryable: true } });
    return [bar(this.id, startMs, 100)];
  }
  async streamBars(): Promise<{ close(): Promise<void> }> {
    return { close: async () => {} };
  }
  async listSymbols() {
    return [{ symbol: 'XAUUSD', sourceSymbol: 'XAUUSD' }];
  }
  capabilities() {
    return { timeframes: this.timeframes, assets: [], maxBarsPerRequest: 10, streaming: false };
  }
  rateLimit() {
    return { restQps: 1 };
  }
  async healthCheck() {
    return { status: this.failing ? ('down' as const) : ('ok' as const), details: {} };
  }
}

describe('FailoverProvider', () => {
  it('tries sources by priority, skips an open circuit without calling it, and returns to the primary after a good trial', async () => {
    const clock = new FakeClock();
    const primary = new ScriptedProvider('prim');
    const backup = new ScriptedProvider('back');
    // Given out of order on purpose: priority decides.
    const f = new FailoverProvider(
      [
        { provider: backup, priority: 2 },
        { provider: primary, priority: 1 },
      ],
      { openThresholdErrors: 3, halfOpenAfterMs: 60_000, now: clock.now },
    );
    expect(f.sources()).toEqual(['prim', 'back']);

    expect((await f.fetchTimeSeries('XAUUSD', '1h', 0, 1))[0]!.source_id).toBe('prim');
    primary.failing = true;
    for (let i = 0; i < 3; i++) expect((await f.fetchTimeSeries('XAUUSD', '1h', 0, 1))[0]!.source_id).toBe('back');
    expect(primary.calls).toBe(4);
    expect(f.breaker('prim', '1h').state()).toBe('open');

    primary.failing = false;
    expect((await f.fetchTimeSeries('XAUUSD', '1h', 0, 1))[0]!.source_id).toBe('back');
    expect(primary.calls).toBe(4);
    // The breaker is per timeframe: 4h still goes to the primary.
    expect((await f.fetchTimeSeries('XAUUSD', '4h', 0, 1))[0]!.source_id).toBe('prim');

    clock.advance(60_000);
    expect((await f.fetchTimeSeries('XAUUSD', '1h', 0, 1))[0]!.source_id).toBe('prim');
    expect(f.breaker('prim', '1h').state()).toBe('closed');
    expect(f.lastServedBy.get('1h')).toBe('prim');
  });

  it('raises DATA_API_EXHAUSTED naming each source when all fail', async () => {
    const a = new ScriptedProvider('aaa');
    const b = new ScriptedProvider('bbb');
    a.failing = b.failing = true;
    const f = new FailoverProvider(
      [
        { provider: a, priority: 1 },
        { provider: b, priority: 2 },
      ],
      { openThresholdErrors: 5, halfOpenAfterMs: 1000 },
    );
    const err = (await f.fetchTimeSeries('XAUUSD', '1h', 0, 1).catch((e: unknown) => e)) as PtError;
    expect(err).toBeInstanceOf(PtError);
    expect(err.id).toBe('DATA_API_EXHAUSTED');
    expect(err.message).toContain('aaa: DATA_API_HTTP');
    expect(err.message).toContain('bbb: DATA_API_HTTP');
  });

  it('skips a source that does not serve the timeframe', async () => {
    const a = new ScriptedProvider('only4h', ['4h']);
    const b = new ScriptedProvider('all');
    const f = new FailoverProvider(
      [
        { provider: a, priority: 1 },
        { provider: b, priority: 2 },
      ],
      { openThresholdErrors: 5, halfOpenAfterMs: 1000 },
    );
    expect((await f.fetchTimeSeries('XAUUSD', '1h', 0, 1))[0]!.source_id).toBe('all');
    expect(a.calls).toBe(0);
  });

  it('health is degraded while the primary is down and a backup is up', async () => {
    const a = new ScriptedProvider('aaa');
    const b = new ScriptedProvider('bbb');
    a.failing = true;
    const f = new FailoverProvider(
      [
        { provider: a, priority: 1 },
        { provider: b, priority: 2 },
      ],
      { openThresholdErrors: 5, halfOpenAfterMs: 1000 },
    );
    expect((await f.healthCheck()).status).toBe('degraded');
    b.failing = true;
    expect((await f.healthCheck()).status).toBe('down');
  });
});

describe('markConflicts', () => {
  it('flags primary bars whose close differs by more than the threshold, without touching the inputs', () => {
    const primary = [
      bar('p', 1, 2000),
      bar('p', 2, 2000),
      bar('p', 3, 2000),
      bar('p', 4, 2000),
      bar('p', 5, 25, 'XAGUSD'),
    ];
    const secondary = [
      bar('s', 1, 2000.5), // 0.025 %: agrees
      bar('s', 2, 2006.01), // 0.3005 %: conflict
      bar('s', 3, 2006), // exactly 0.3 %: not beyond the threshold
      // ts 4 absent in the secondary: nothing to compare
      bar('s', 5, 25, 'XAUUSD'), // other symbol at ts 5: not the same key
    ];
    const snapshot = JSON.stringify(primary);
    const r = markConflicts(primary, secondary, 0.003);
    expect(r.conflicts).toBe(1);
    expect(r.conflictKeys).toEqual(['XAUUSD|1h|2']);
    expect(r.bars.map((b) => b.quality_flag)).toEqual(['ok', 'conflict', 'ok', 'ok', 'ok']);
    expect(r.bars).not.toBe(primary);
    expect(r.bars[1]).not.toBe(primary[1]);
    expect(JSON.stringify(primary)).toBe(snapshot);
  });
});
