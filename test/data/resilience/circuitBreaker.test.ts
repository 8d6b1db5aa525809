// Circuit breaker on a fake clock: opening, fast failure, half-open trial, closing and re-opening.
import { describe, expect, it } from 'vitest';
import { PtError } from '../../../src/core/ptError.js';
import { metrics } from '../../../src/observability/metrics.js';
import { CircuitBreaker, CircuitBreakerRegistry } from '../../../src/data/resilience/circuitBreaker.js';
import { FakeClock } from './fakeClock.js';

async function gauge(source: string, timeframe: string): Promise<number | undefined> {
  return (await metrics.circuitOpen.get()).values.find(
    (v) => v.labels.source === source && v.labels.timeframe === timeframe,
  )?.value;
}

const boom = async (): Promise<never> => {
  throw new Error('boom');
};
const ok = async () => 'ok';

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures, fails fast while open, half-opens after the wait, closes on a good trial', async () => {
    const clock = new FakeClock();
    const cb = new CircuitBreaker({
      source: 'unit_a',
      timeframe: '1h',
      openThresholdErrors: 5,
      halfOpenAfterMs: 120_000,
      now: clock.now,
    });
    expect(await gauge('unit_a', '1h')).toBe(0);
    for (let i = 0; i < 4; i++) await expect(cb.execute(boom)).rejects.toThrow('boom');
    expect(cb.state()).toBe('closed');
    await expect(cb.execute(boom)).rejects.toThrow('boom');
    expect(cb.state()).toBe('open');
    expect(await gauge('unit_a', '1h')).toBe(1);

    let called = false;
    const err = (await cb
      .execute(async () => {
        called = true;
        return 1;
      })
      .catch((e: unknown) => e)) as PtError;
    expect(called).toBe(false);
    expect(err).toBeInstanceOf(PtError);
    expect(err.id).toBe('DATA_API_CIRCUIT');

    clock.advance(119_999);
    expect(cb.state()).toBe('open');
    clock.advance(1);
    expect(cb.state()).toBe('half_open');
    expect(await cb.execute(ok)).toBe('ok');
    expect(cb.state()).toBe('closed');
    expect(await gauge('unit_a', '1h')).toBe(0);
  });

  it('a failed trial re-opens for another full wait', async () => {
    const clock = new FakeClock();
    const cb = new CircuitBreaker({
      source: 'unit_b',
      timeframe: '4h',
      openThresholdErrors: 2,
      halfOpenAfterMs: 1000,
      now: clock.now,
    });
    await cb.execute(boom).catch(() => {});
    await cb.execute(boom).catch(() => {});
    clock.advance(1000);
    expect(cb.state()).toBe('half_open');
    await expect(cb.execute(boom)).rejects.toThrow('boom');
    expect(cb.state()).toBe('open');
    expect(await gauge('unit_b', '4h')).toBe(1);
    clock.advance(999);
    await expect(cb.execute(ok)).rejects.toMatchObject({ id: 'DATA_API_CIRCUIT' });
    clock.advance(1);
    expect(await cb.execute(ok)).toBe('ok');
  });

  it('lets only one trial through while half-open', async () => {
    const clock = new FakeClock();
    const cb = new CircuitBreaker({
      source: 'unit_c',
      timeframe: '1h',
      openThresholdErrors: 1,
      halfOpenAfterMs: 10,
      now: clock.now,
    });
    await cb.execute(boom).catch(() => {});
    clock.advance(10);
    let release!: () => void;
    const trial = cb.execute(
      () =>
        new Promise<string>((r) => {
          release = () => r('trial');
        }),
    );
    expect(cb.canAttempt()).toBe(false);
    await expect(cb.execute(ok)).rejects.toMatchObject({ id: 'DATA_API_CIRCUIT' });
    release();
    expect(await trial).toBe('trial');
    expect(cb.state()).toBe('closed');
  });

  it('a success resets the consecutive count', async () => {
    const cb = new CircuitBreaker({ source: 'unit_d', timeframe: '1h', openThresholdErrors: 3, halfOpenAfterMs: 10 });
    await cb.execute(boom).catch(() => {});
    await cb.execute(boom).catch(() => {});
    await cb.execute(ok);
    await cb.execute(boom).catch(() => {});
    await cb.execute(boom).catch(() => {});
    expect(cb.state()).toBe('closed');
    expect(cb.consecutiveFailures()).toBe(2);
  });

  it('the registry keeps one breaker per source × timeframe', () => {
    const reg = new CircuitBreakerRegistry({ openThresholdErrors: 1, halfOpenAfterMs: 10 });
    expect(reg.get('x', '1h')).toBe(reg.get('x', '1h'));
    expect(reg.get('x', '1h')).not.toBe(reg.get('x', '4h'));
    expect(reg.get('x', '1h')).not.toBe(reg.get('y', '1h'));
  });
});
