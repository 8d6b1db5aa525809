// A retrain step is tried 1 + retries times, each failure reported, and its first success returned.
import { describe, expect, it } from 'vitest';
import { withRetry, type StepFailure } from '../../src/retrain/withRetry.js';

describe('withRetry', () => {
  it('returns the first success after failed tries, reporting each', async () => {
    const seen: StepFailure[] = [];
    let calls = 0;
    const r = await withRetry(
      'train',
      2,
      () => (++calls < 3 ? Promise.reject(new Error(`try ${calls}`)) : Promise.resolve('ok')),
      (f) => seen.push(f),
    );
    expect(r).toBe('ok');
    expect(calls).toBe(3);
    expect(seen.map((f) => [f.step, f.attempt, f.tries, (f.error as Error).message])).toEqual([
      ['train', 1, 3, 'try 1'],
      ['train', 2, 3, 'try 2'],
    ]);
  });

  it('throws the last error after 1 + retries tries', async () => {
    let calls = 0;
    await expect(withRetry('dq', 1, () => Promise.reject(new Error(`boom ${++calls}`)))).rejects.toThrow('boom 2');
    expect(calls).toBe(2);
  });

  it('tries once with no retries', async () => {
    let calls = 0;
    await expect(withRetry('ingest', 0, () => Promise.reject(new Error(String(++calls))))).rejects.toThrow('1');
  });
});
