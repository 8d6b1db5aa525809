// A plain x/y plot frame: nice linear scales, both axes with grid lines and axis titles (with units).
import { escapeHtml } from '../../../backtest/report/escapeHtml.js';
import { axis, type AxisTick } from '../../../backtest/report/svg/axis.js';
import { linearScale, niceDomain, type LinearScale } from '../../../backtest/report/svg/linearScale.js';
import { svgNumber } from '../../../backtest/report/svg/svgNumber.js';

export interface PlotFrameOptions {
  width: number;
  height: number;
  /** Data extents; widened to nice round ticks. */
  x: readonly [number, number];
  y: readonly [number, number];
  xTitle: string;
  yTitle: string;
  xLabel: (v: number) => string;
  yLabel: (v: number) => string;
}

export interface PlotFrame {
  x: LinearScale;
  y: LinearScale;
  /** Plot area in pixels. */
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Axes, grid lines and titles, to go first in the SVG. */
  svg: string;
}

const MARGIN = { left: 64, right: 18, top: 14, bottom: 46 };

function finiteExtent(e: readonly [number, number]): [number, number] {
  return Number.isFinite(e[0]) && Number.isFinite(e[1]) ? [e[0], e[1]] : [0, 1];
}

export function plotFrame(o: PlotFrameOptions): PlotFrame {
  const left = MARGIN.left;
  const right = o.width - MARGIN.right;
  const top = MARGIN.top;
  const bottom = o.height - MARGIN.bottom;
  const x = linearScale(niceDomain(...finiteExtent(o.x), 6), [left, right]);
  const y = linearScale(niceDomain(...finiteExtent(o.y), 5), [bottom, top]);
  const ticks = (s: LinearScale, n: number, f: (v: number) => string): AxisTick[] =>
    s.ticks(n).map((value) => ({ value, label: f(value) }));
  const svg = [
    axis({ orient: 'left', scale: y, ticks: ticks(y, 5, o.yLabel), at: left, grid: [left, right] }),
    axis({ orient: 'bottom', scale: x, ticks: ticks(x, 6, o.xLabel), at: bottom, grid: [top, bottom] }),
    `<rect class="frame" x="${left}" y="${top}" width="${svgNumber(right - left)}" height="${svgNumber(bottom - top)}" fill="none"/>`,
    `<text class="axis-title" x="${svgNumber((left + right) / 2)}" y="${svgNumber(o.height - 6)}" text-anchor="middle">${escapeHtml(o.xTitle)}</text>`,
    `<text class="axis-title" transform="translate(14 ${svgNumber((top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeHtml(o.yTitle)}</text>`,
  ].join('');
  return { x, y, left, right, top, bottom, svg };
}

/** [min, max] of the finite values, or [NaN, NaN] when none. */
export function extentOf(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values)
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  return lo <= hi ? [lo, hi] : [NaN, NaN];
}
