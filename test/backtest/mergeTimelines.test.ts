// mergeTimelines (the backtest's and pt live's one merge) against a naive union: the times are the
// sorted distinct union, each step lists exactly the pairs with a bar there in input order, and each
// pair is visited once per bar, in order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeTimelines } from '../../src/backtest/mergeTimelines.js';

const timeline = fc
  .uniqueArray(fc.integer({ min: 0, max: 200 }), { maxLength: 60 })
  .map((v) => Float64Array.from(v.sort((a, b) => a - b)));

describe('mergeTimelines', () => {
  it('equals the naive union, step by step', () => {
    fc.assert(
      fc.property(fc.array(timeline, { minLength: 1, maxLength: 6 }), (lines) => {
        const m = mergeTimelines(lines);
        const union = [...new Set(lines.flatMap((l) => Array.from(l)))].sort((a, b) => a - b);
        expect(Array.from(m.times)).toEqual(union);
        const visits = lines.map(() => [] as number[]);
        union.forEach((t, k) => {
          const who = Array.from(m.who.subarray(m.start[k]!, m.start[k + 1]!));
          expect(who).toEqual(lines.flatMap((l, j) => (l.includes(t) ? [j] : [])));
          for (const j of who) visits[j]!.push(t);
        });
        lines.forEach((l, j) => expect(visits[j]).toEqual(Array.from(l)));
      }),
    );
  });

  it('a hand case: two pairs, one with a gap', () => {
    const m = mergeTimelines([Float64Array.of(1, 2, 3), Float64Array.of(2, 4)]);
    expect(Array.from(m.times)).toEqual([1, 2, 3, 4]);
    expect(Array.from(m.start)).toEqual([0, 1, 3, 4, 5]);
    expect(Array.from(m.who.subarray(0, 5))).toEqual([0, 0, 1, 0, 1]);
  });
});
