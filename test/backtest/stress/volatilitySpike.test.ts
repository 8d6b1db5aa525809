import { describe, expect, it } from 'vitest';
import { trueRangeAtr, volatilitySpike } from '../../../src/backtest/stress/index.js';
import { fingerprint, pairFixture } from './stressFixtures.js';

describe('volatilitySpike', () => {
  it('leaves the input untouched and is deterministic by seed', async () => {
    const pair = await pairFixture();
    const before = fingerprint(pair);
    const x = volatilitySpike(pair, { k: 2, seed: 7 });
    const y = volatilitySpike(pair, { k: 2, seed: 7 });
    const z = volatilitySpike(pair, { k: 2, seed: 8 });
    expect(fingerprint(pair)).toEqual(before);
    expect(fingerprint(x)).toEqual(fingerprint(y));
    expect(fingerprint(x)).not.toEqual(fingerprint(z));
    expect(x.a.close).not.toBe(pair.a.close);
  });

  it('keeps OHLC consistent and prices positive, even with a huge k', async () => {
    const pair = await pairFixture();
    for (const k of [1.5, 2, 200]) {
      const s = volatilitySpike(pair, { k, seed: 1 });
      for (const leg of [s.a, s.b]) {
        for (let i = 0; i < s.length; i++) {
          expect(leg.low[i]!).toBeGreaterThan(0);
          expect(leg.high[i]!).toBeGreaterThanOrEqual(Math.max(leg.open[i]!, leg.close[i]!));
          expect(leg.low[i]!).toBeLessThanOrEqual(Math.min(leg.open[i]!, leg.close[i]!));
        }
      }
    }
  });

  it('adds noise of std (k − 1)·ATR14 to the closes, opens kept', async () => {
    const pair = await pairFixture();
    const k = 1.5;
    const s = volatilitySpike(pair, { k, seed: 3 });
    const atr = trueRangeAtr(pair.a.high, pair.a.low, pair.a.close, 14);
    let ss = 0,
      n = 0;
    for (let i = 0; i < pair.length; i++) {
      expect(s.a.open[i]).toBe(pair.a.open[i]);
      if (i < 13) {
        expect(s.a.close[i]).toBe(pair.a.close[i]);
        continue;
      }
      ss += ((s.a.close[i]! - pair.a.close[i]!) / ((k - 1) * atr[i]!)) ** 2;
      n++;
    }
    expect(Math.sqrt(ss / n)).toBeGreaterThan(0.95);
    expect(Math.sqrt(ss / n)).toBeLessThan(1.05);
  });

  it('with k = 1 changes nothing; with windows only bars inside them change', async () => {
    const pair = await pairFixture();
    expect(fingerprint(volatilitySpike(pair, { k: 1, seed: 1 }))).toEqual(fingerprint(pair));
    const windows = [
      { start: 100, end: 200 },
      { start: 1000, end: 1100 },
    ];
    const s = volatilitySpike(pair, { k: 2, seed: 1, windows });
    for (let i = 0; i < pair.length; i++) {
      const inside = (i >= 100 && i < 200) || (i >= 1000 && i < 1100);
      if (inside) expect(s.b.close[i]).not.toBe(pair.b.close[i]);
      else
        expect([s.a.close[i], s.b.close[i], s.a.high[i], s.b.low[i]]).toEqual([
          pair.a.close[i],
          pair.b.close[i],
          pair.a.high[i],
          pair.b.low[i],
        ]);
    }
    expect(() => volatilitySpike(pair, { k: 2, seed: 1, windows: [{ start: 200, end: 100 }] })).toThrow(RangeError);
  });
});
