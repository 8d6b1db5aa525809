import { describe, expect, it } from 'vitest';
import { gapShock } from '../../../src/backtest/stress/index.js';
import { fingerprint, pairFixture } from './stressFixtures.js';

describe('gapShock', () => {
  it('shifts leg A by exactly x% from the bar on and nowhere before; B untouched', async () => {
    const pair = await pairFixture();
    const before = fingerprint(pair);
    const at = 1234;
    for (const percent of [0.5, 1, 2, -0.5, -1, -2]) {
      const s = gapShock(pair, { atIndex: at, percent });
      for (let t = 0; t < pair.length; t++) {
        for (const f of ['open', 'high', 'low', 'close'] as const) {
          if (t < at) expect(s.a[f][t]).toBe(pair.a[f][t]);
          else expect(s.a[f][t]! / pair.a[f][t]! - 1).toBeCloseTo(percent / 100, 12);
          expect(s.b[f][t]).toBe(pair.b[f][t]);
        }
      }
    }
    expect(fingerprint(pair)).toEqual(before);
    expect(() => gapShock(pair, { atIndex: pair.length, percent: 1 })).toThrow(RangeError);
    expect(() => gapShock(pair, { atIndex: 0, percent: -100 })).toThrow(RangeError);
  });
});
