// Token bucket on a fake clock: burst, refill, waits in call order, and sizing from rate_limits.
import { describe, expect, it } from 'vitest';
import { TokenBucket, tokenBucketFromRateLimits } from '../../../src/data/resilience/tokenBucket.js';
import { FakeClock } from './fakeClock.js';

describe('TokenBucket', () => {
  it('serves a full burst at once, then one token per 1/rate seconds', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ capacity: 10, refillPerSecond: 10, now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 10; i++) expect(await b.take()).toBe(0);
    expect(clock.sleeps).toEqual([]);
    expect(await b.take()).toBe(100);
    expect(await b.take()).toBe(100);
    expect(clock.sleeps).toEqual([100, 100]);
  });

  it('refills with time up to capacity only', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket({ capacity: 5, refillPerSecond: 2, now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 5; i++) expect(b.tryTake()).toBe(true);
    expect(b.tryTake()).toBe(false);
    clock.advance(500);
    expect(b.tryTake()).toBe(true);
    expect(b.tryTake()).toBe(false);
    clock.advance(60_000);
    expect(b.available()).toBe(5);
  });

  it('queues concurrent callers in call order when the clock stands still', async () => {
    const clock = new FakeClock();
    const sleeps: number[] = [];
    const b = new TokenBucket({
      capacity: 1,
      refillPerSecond: 4,
      now: clock.now,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    const waits = await Promise.all([b.take(), b.take(), b.take(), b.take()]);
    expect(waits).toEqual([0, 250, 500, 750]);
  });

  it('uses the stricter of rest_qps and credits_per_minute / 60', () => {
    expect(tokenBucketFromRateLimits({ rest_qps: 10, credits_per_minute: 610 }).refillPerSecond).toBe(10);
    const credits = tokenBucketFromRateLimits({ rest_qps: 10, credits_per_minute: 120 });
    expect(credits.refillPerSecond).toBe(2);
    expect(credits.capacity).toBe(2);
    expect(tokenBucketFromRateLimits({ rest_qps: 0.5 }).capacity).toBe(1);
  });

  it('rejects a bucket that could never refill', () => {
    expect(() => new TokenBucket({ capacity: 1, refillPerSecond: 0 })).toThrow(RangeError);
  });
});
