// The hand-written SVG plotting module: scale maths, ticks, paths, heat-map grid and colour scale.
import { describe, expect, it } from 'vitest';
import {
  areaPath,
  axis,
  chartScales,
  divergingColor,
  heatMapGrid,
  linearScale,
  linePath,
  niceDomain,
  niceStep,
  timeScale,
  timeSeriesChart,
} from '../../../src/backtest/report/index.js';
import { day } from './reportTestData.js';

describe('linearScale', () => {
  it('maps the domain ends onto the range ends, inverted ranges included', () => {
    const s = linearScale([100, 110], [270, 10]);
    expect(s(100)).toBe(270);
    expect(s(110)).toBe(10);
    expect(s(105)).toBe(140);
    expect(linearScale([0, 1], [0, 10])(0.25)).toBe(2.5);
  });

  it('puts a zero-width domain in the middle of the range', () => {
    expect(linearScale([5, 5], [0, 100])(5)).toBe(50);
  });

  it('gives 1/2/5 × 10^k ticks inside the domain', () => {
    expect(niceStep(0, 10, 5)).toBe(2);
    expect(niceStep(0, 1, 5)).toBe(0.2);
    expect(linearScale([0, 10], [0, 1]).ticks(5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(linearScale([-0.12, 0], [0, 1]).ticks(5)).toEqual([-0.12, -0.1, -0.08, -0.06, -0.04, -0.02, 0]);
    expect(linearScale([0.3, 0.7], [0, 1]).ticks(4)).toEqual([0.3, 0.4, 0.5, 0.6, 0.7]);
  });

  it('widens a domain to nice bounds and pads a flat one', () => {
    expect(niceDomain(99_906, 151_000)).toEqual([90_000, 160_000]);
    expect(niceDomain(5, 5)).toEqual([4.95, 5.05]);
    expect(niceDomain(0, 0)).toEqual([-1, 1]);
  });
});

describe('timeScale', () => {
  it('maps times linearly and ticks on month starts', () => {
    const s = timeScale([day('2024-01-01'), day('2024-12-31')], [0, 365]);
    expect(s(day('2024-01-01'))).toBe(0);
    expect(s(day('2024-12-31'))).toBe(365);
    const ticks = s.ticks(8);
    expect(ticks.length).toBeGreaterThan(2);
    expect(ticks.length).toBeLessThanOrEqual(8);
    for (const t of ticks) expect(new Date(t.ms).getUTCDate()).toBe(1);
    expect(ticks[0]).toEqual({ ms: day('2024-01-01'), label: '2024' });
    expect(ticks.map((t) => t.label)).toContain('Jul 2024');
  });

  it('ticks on days for a span under two months', () => {
    const ticks = timeScale([day('2024-03-01'), day('2024-03-08')], [0, 100]).ticks(8);
    expect(ticks.map((t) => t.label)).toEqual(['Mar 1', 'Mar 2', 'Mar 3', 'Mar 4', 'Mar 5', 'Mar 6', 'Mar 7', 'Mar 8']);
  });
});

describe('paths', () => {
  it('draws a line through the scaled points and breaks it at non-finite values', () => {
    const x = (v: number): number => v * 10;
    const y = (v: number): number => 100 - v;
    expect(linePath([0, 1, 2], [0, 50, 25], x, y)).toBe('M0,100 L10,50 L20,75');
    expect(linePath([0, 1, 2, 3], [1, Number.NaN, 2, 3], x, y)).toBe('M0,99 M20,98 L30,97');
    expect(linePath([0, 1 / 3], [0, 0], x, y)).toBe('M0,100 L3.33,100');
  });

  it('closes an area down to the baseline', () => {
    const x = (v: number): number => v * 10;
    const y = (v: number): number => 100 - v;
    expect(areaPath([0, 1, 2], [0, -5, -2], x, y, 0)).toBe('M0,100 L0,100 L10,105 L20,102 L20,100 Z');
    expect(areaPath([], [], x, y, 0)).toBe('');
  });

  it('places a known equity curve at the expected pixels in a full chart', () => {
    // 600×300 chart, margins 10/20/30/80: x spans 80…580, y spans 270 (bottom) … 10 (top).
    // Equity 100, 110, 105 has the nice domain [100, 110] (step 2), so 100 → 270, 110 → 10, 105 → 140;
    // three consecutive days put x at 80, 330 and 580.
    const xs = [day('2024-01-01'), day('2024-01-02'), day('2024-01-03')];
    const opts = { xs, ys: [100, 110, 105], kind: 'line' as const, width: 600, height: 300 };
    expect(chartScales(opts).yDomain).toEqual([100, 110]);
    const svg = timeSeriesChart(opts);
    expect(svg).toContain('<path class="line" fill="none" d="M80,270 L330,10 L580,140"/>');
    expect(svg).toContain('viewBox="0 0 600 300"');
    // y ticks 100…110 step 2 at y = 270 − 52·k (260 px over five steps).
    for (const [k, v] of [100, 102, 104, 106, 108, 110].entries()) {
      expect(svg).toContain(
        `<text x="72" y="${270 - 52 * k}" text-anchor="end" dominant-baseline="middle">${v}</text>`,
      );
    }
  });
});

describe('axis, heat-map grid and colour scale', () => {
  it('renders escaped tick labels at the scaled positions', () => {
    const svg = axis({ orient: 'bottom', scale: (v) => v * 2, ticks: [{ value: 5, label: '<5>' }], at: 50 });
    expect(svg).toContain('<line class="tick" x1="10" x2="10" y1="50" y2="55"/>');
    expect(svg).toContain('>&lt;5&gt;</text>');
  });

  it('lays out a grid of cells with labels', () => {
    const svg = heatMapGrid({
      rowLabels: ['r0', 'r1'],
      colLabels: ['a', 'b', 'c'],
      cellWidth: 10,
      cellHeight: 10,
      labelWidth: 20,
      headerHeight: 5,
      cells: [{ row: 1, col: 2, fill: 'red', text: 'x', attrs: { 'data-k': 'v"' } }],
    });
    expect(svg).toContain('viewBox="0 0 50 25"');
    expect(svg).toContain(
      '<g class="hm-cell" data-k="v&quot;"><rect x="41" y="16" width="8" height="8" rx="3" fill="red"/>',
    );
    expect(svg.match(/<rect /g)).toHaveLength(1);
  });

  it('colours negatives red, positives green, zero white, and saturates at the extent', () => {
    expect(divergingColor(0, 1)).toBe('rgb(255,255,255)');
    expect(divergingColor(1, 1)).toBe('rgb(46,125,50)');
    expect(divergingColor(-2, 1)).toBe('rgb(198,40,40)');
    expect(divergingColor(Number.NaN, 1)).toBe('rgb(224,224,224)');
    const [r, g] = divergingColor(0.5, 1).match(/\d+/g)!.map(Number);
    expect(g!).toBeGreaterThan(r!);
  });
});
