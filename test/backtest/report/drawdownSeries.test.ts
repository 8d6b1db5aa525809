// Drawdown from a daily equity path: equity over its running peak, minus one.
import { describe, expect, it } from 'vitest';
import { drawdownSeries } from '../../../src/backtest/report/index.js';

describe('drawdownSeries', () => {
  it('is zero at new highs and the fall from the running peak otherwise', () => {
    // Peaks: 100, 120, 120, 120, 130, 130 → 0, 0, 90/120−1, 60/120−1, 0, 117/130−1.
    const dd = drawdownSeries([100, 120, 90, 60, 130, 117]);
    const expected = [0, 0, -0.25, -0.5, 0, -0.1];
    dd.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
    expect(Math.min(...dd)).toBeCloseTo(-0.5, 12);
  });

  it('keeps a gap for non-finite points and handles empty input', () => {
    const dd = drawdownSeries([100, Number.NaN, 80]);
    expect(dd[1]).toBeNaN();
    expect(dd[2]).toBeCloseTo(-0.2, 12);
    expect(drawdownSeries([])).toEqual([]);
  });
});
