import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sparkline } from '../../src/monitor/sparkline.js';

describe('sparkline', () => {
  it('scales the series between its min (▁) and max (█) — hand-computed', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    // (v - 10) / 20 * 7 rounded: 0, 3.5→4, 7.
    expect(sparkline([10, 20, 30], 3)).toBe('▁▅█');
  });

  it('right-aligns a short series, keeps only the newest values of a long one, blanks non-finite ones', () => {
    expect(sparkline([1, 2], 5)).toBe('   ▁█');
    expect(sparkline([9, 9, 9, 0, 7], 2)).toBe('▁█');
    expect(sparkline([1, Number.NaN, 3], 3)).toBe('▁ █');
  });

  it('puts a flat series in the middle, and is empty for width 0', () => {
    expect(sparkline([5, 5, 5], 3)).toBe('▄▄▄');
    expect(sparkline([], 4)).toBe('    ');
    expect(sparkline([1, 2], 0)).toBe('');
  });

  it('is always `width` characters of blocks or spaces, the max a █ and the min a ▁', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 60 }),
        fc.integer({ min: 1, max: 80 }),
        (values, width) => {
          const s = [...sparkline(values, width)];
          expect(s).toHaveLength(width);
          expect(s.every((c) => '▁▂▃▄▅▆▇█ '.includes(c))).toBe(true);
          const tail = values.slice(-width);
          const lo = Math.min(...tail);
          const hi = Math.max(...tail);
          const offset = width - tail.length;
          if (hi > lo) {
            expect(s[offset + tail.indexOf(hi)]).toBe('█');
            expect(s[offset + tail.indexOf(lo)]).toBe('▁');
          }
        },
      ),
    );
  });
});
