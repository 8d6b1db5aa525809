// Drawdown from a daily equity path: equity over its running peak, minus one.
import { describe, expect, it } from 'vitest';
import { drawdownSeries, renderBacktestReport } from '../../../src/backtest/report/index.js';
import { drawdownPath, maxDrawdown } from '../../../src/backtest/kpis/index.js';
import { loadSample } from './reportTestData.js';

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

describe('one drawdown for the KPI, bt_daily_equity and the report', () => {
  it("the report's deepest drawdown equals MaxDD on a curve that falls below the capital before it ever rises", () => {
    const capital = 100;
    const equity = [90, 95, 120, 100, 110];
    // from the capital: 0.10, 0.05, then from 120: 1/6
    expect(maxDrawdown(equity, capital)).toBeCloseTo(1 / 6, 12);
    const series = drawdownSeries(equity, capital);
    expect(series[0]).toBeCloseTo(-0.1, 12);
    expect(-Math.min(...series)).toBe(maxDrawdown(equity, capital));
    expect(Array.from(drawdownPath(equity, capital))).toEqual(series.map((d) => Math.abs(d)));
    const html = renderBacktestReport({
      ...loadSample(),
      initialCapitalUsd: capital,
      dailyEquity: { dayMs: equity.map((_, i) => Date.UTC(2024, 0, 2 + i)), equity },
    });
    expect(html).toContain('Deepest: -16.67%');
  });
});
