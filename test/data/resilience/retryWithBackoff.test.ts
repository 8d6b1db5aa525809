// Backoff schedule, retry classification, Retry-After and the retry metric.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PtError } from '../../../src/core/ptError.js';
import { metrics } from '../../../src/observability/metrics.js';
import { backoffDelayMs, parseRetryAfter, retryWithBackoff } from '../../../src/data/resilience/retryWithBackoff.js';
import { FakeClock } from './fakeClock.js';

const retryable = (msg = 'HTTP 500') => new PtError('DATA_API_HTTP', msg, { details: { retryable: true } });
const fatal = () => new PtError('DATA_API_PROVIDER', 'error 401', { details: { retryable: false } });

async function retryCount(labels: { source: string; timeframe: string }): Promise<number> {
  const v = (await metrics.retryTotal.get()).values.find(
    (x) => x.labels.source === labels.source && x.labels.timeframe === labels.timeframe,
  );
  return v?.value ?? 0;
}

describe('backoffDelayMs', () => {
  it('doubles from 1 s and is capped at 60 s (no jitter at random = 0.5)', () => {
    const d = Array.from({ length: 9 }, (_, i) => backoffDelayMs(i, 1000, 60_000, () => 0.5));
    expect(d).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it('jitter stays within ±20 % and never exceeds the cap', () => {
    expect(backoffDelayMs(2, 1000, 60_000, () => 0)).toBe(3200);
    expect(backoffDelayMs(2, 1000, 60_000, () => 0.999999)).toBe(4800);
    expect(backoffDelayMs(10, 1000, 60_000, () => 0.999999)).toBe(60_000);
  });

  it('successive waits strictly grow until the cap, whatever the jitter draws', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 0.999999, noNaN: true }), { minLength: 6, maxLength: 6 }), (rs) => {
        const d = rs.map((r, i) => backoffDelayMs(i, 1000, 60_000, () => r));
        for (let i = 1; i < d.length; i++) expect(d[i]!).toBeGreaterThan(d[i - 1]!);
        for (const x of d) expect(x).toBeLessThanOrEqual(60_000);
      }),
    );
  });
});

describe('retryWithBackoff', () => {
  it('retries retryable failures with growing sleeps, then returns, counting data_retry_total', async () => {
    const clock = new FakeClock();
    const labels = { source: 'unit', timeframe: '1h' };
    const before = await retryCount(labels);
    let calls = 0;
    const out = await retryWithBackoff(
      async () => {
        calls++;
        if (calls <= 3) throw retryable();
        return 'ok';
      },
      { retryMax: 5, baseMs: 1000, maxMs: 60_000, sleep: clock.sleep, random: () => 0.5, labels },
    );
    expect(out).toBe('ok');
    expect(calls).toBe(4);
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
    expect((await retryCount(labels)) - before).toBe(3);
  });

  it('does not retry a non-retryable failure', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const err = await retryWithBackoff(
      async () => {
        calls++;
        throw fatal();
      },
      { retryMax: 5, baseMs: 1000, maxMs: 60_000, sleep: clock.sleep },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PtError);
    expect((err as PtError).id).toBe('DATA_API_PROVIDER');
    expect((err as PtError).details.attempts).toBe(1);
    expect(calls).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('does not retry errors that are not PtErrors marked retryable', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff(
        async () => {
          calls++;
          throw new TypeError('bug');
        },
        { retryMax: 3, baseMs: 1, maxMs: 1, sleep: async () => {} },
      ),
    ).rejects.toThrow('bug');
    expect(calls).toBe(1);
  });

  it('gives up after retry_max retries and rethrows the last error with the attempt count', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const err = await retryWithBackoff(
      async () => {
        calls++;
        throw retryable(`HTTP 50${calls}`);
      },
      { retryMax: 3, baseMs: 1000, maxMs: 60_000, sleep: clock.sleep, random: () => 0.5 },
    ).catch((e: unknown) => e as PtError);
    expect(calls).toBe(4);
    expect(err.message).toBe('HTTP 504');
    expect(err.details.attempts).toBe(4);
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
  });

  it('waits at least the Retry-After the server asked for', async () => {
    const clock = new FakeClock();
    let calls = 0;
    await retryWithBackoff(
      async () => {
        calls++;
        if (calls === 1)
          throw new PtError('DATA_API_HTTP', 'HTTP 429', { details: { retryable: true, retryAfterMs: 7000 } });
        if (calls === 2)
          throw new PtError('DATA_API_HTTP', 'HTTP 429', { details: { retryable: true, retryAfterMs: 100 } });
        return 1;
      },
      { retryMax: 5, baseMs: 1000, maxMs: 60_000, sleep: clock.sleep, random: () => 0.5 },
    );
    // A Retry-After shorter than the backoff does not shorten it.
    expect(clock.sleeps).toEqual([7000, 2000]);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.UTC(2024, 2, 1, 12);
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
