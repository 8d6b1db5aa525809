// RollingMaxDeque against a naive O(L) scan of the same window.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RollingMaxDeque } from '../../src/features/rollingMaxDeque.js';

describe('RollingMaxDeque', () => {
  it('equals the naive maximum over indices t-L+1..t after every push, with gaps in the indices', () => {
    const step = fc.record({
      gap: fc.oneof(
        { weight: 4, arbitrary: fc.constant(1) },
        { weight: 1, arbitrary: fc.integer({ min: 2, max: 12 }) },
      ),
      // Small integers give many ties; doubles give everything else.
      value: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(step, { maxLength: 300, size: 'max' }), (window, steps) => {
        const deque = new RollingMaxDeque(window);
        const pushed: { index: number; value: number }[] = [];
        let index = -1;
        for (const { gap, value } of steps) {
          index += gap;
          deque.push(index, value);
          pushed.push({ index, value });
          let naive = -Infinity;
          for (const p of pushed) if (p.index > index - window && p.value > naive) naive = p.value;
          // === because a tie between 0 and -0 may keep either.
          expect(deque.max() === naive, `max at ${index}: ${deque.max()} vs ${naive}`).toBe(true);
        }
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it('pushRepeat leaves the deque as push of the last value would, or does nothing and says so', () => {
    const step = fc.record({
      gap: fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 6 }) }),
      repeat: fc.boolean(),
      value: fc.integer({ min: -5, max: 5 }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(step, { maxLength: 200 }), (window, steps) => {
        const a = new RollingMaxDeque(window);
        const b = new RollingMaxDeque(window);
        let index = -1;
        let last = Number.NaN;
        for (const { gap, repeat, value } of steps) {
          index += gap;
          if (repeat && !Number.isNaN(last) && a.pushRepeat(index)) {
            b.push(index, last);
          } else {
            const v = repeat && !Number.isNaN(last) ? last : value;
            a.push(index, v);
            b.push(index, v);
            last = v;
          }
          expect(a.max()).toBe(b.max());
          // The same entries, so the same answers from here on.
          expect(a.pushRepeat(index)).toBe(false);
        }
      }),
      { seed: 11, numRuns: 500 },
    );
    // A repeat that would drop the oldest entry is refused.
    const d = new RollingMaxDeque(2);
    d.push(0, 5);
    d.push(1, 1);
    expect(d.pushRepeat(2)).toBe(false);
    expect(d.pushRepeat(1)).toBe(false);
  });

  it('is empty before the first push and after clear, and rejects NaN and non-increasing indices', () => {
    const deque = new RollingMaxDeque(3);
    expect(deque.max()).toBeNaN();
    deque.push(0, 1);
    expect(() => deque.push(0, 2)).toThrow(RangeError);
    expect(() => deque.push(1, Number.NaN)).toThrow(RangeError);
    deque.clear();
    expect(deque.max()).toBeNaN();
    expect(() => new RollingMaxDeque(0)).toThrow(RangeError);
  });
});
