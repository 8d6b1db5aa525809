// A complete SVG time-series chart (line or area) with time x-axis, nice y-axis, grid and frame.
import { escapeHtml } from '../escapeHtml.js';
import { areaPath } from './areaPath.js';
import { axis } from './axis.js';
import { linearScale, niceDomain } from './linearScale.js';
import { linePath } from './linePath.js';
import { svgNumber } from './svgNumber.js';
import { timeScale } from './timeScale.js';

export interface ChartMargin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export const DEFAULT_MARGIN: ChartMargin = { top: 10, right: 20, bottom: 30, left: 80 };

export interface TimeSeriesChartOptions {
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  kind: 'line' | 'area';
  width?: number;
  height?: number;
  margin?: ChartMargin;
  /** Fixed y domain; by default the nice extent of the finite values. */
  yDomain?: readonly [number, number];
  /** Area baseline (default 0). */
  baseline?: number;
  yFormat?: (v: number) => string;
  className?: string;
  ariaLabel?: string;
}

function finiteExtent(ys: ArrayLike<number>): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < ys.length; i++) {
    const v = ys[i] as number;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** The scales a chart of these options uses (exported so tests can check the maths). */
export function chartScales(o: TimeSeriesChartOptions): {
  x: (v: number) => number;
  y: (v: number) => number;
  yDomain: [number, number];
  xDomain: [number, number];
} {
  const width = o.width ?? 1000;
  const height = o.height ?? 300;
  const m = o.margin ?? DEFAULT_MARGIN;
  const xExt = finiteExtent(o.xs) ?? [0, 1];
  const yExt = finiteExtent(o.ys) ?? [0, 1];
  const yDomain: [number, number] = o.yDomain ? [o.yDomain[0], o.yDomain[1]] : niceDomain(yExt[0], yExt[1]);
  return {
    x: timeScale(xExt, [m.left, width - m.right]),
    y: linearScale(yDomain, [height - m.bottom, m.top]),
    yDomain,
    xDomain: xExt,
  };
}

export function timeSeriesChart(o: TimeSeriesChartOptions): string {
  const width = o.width ?? 1000;
  const height = o.height ?? 300;
  const m = o.margin ?? DEFAULT_MARGIN;
  const { yDomain, xDomain } = chartScales(o);
  const x = timeScale(xDomain, [m.left, width - m.right]);
  const y = linearScale(yDomain, [height - m.bottom, m.top]);
  const fmt = o.yFormat ?? ((v: number) => String(v));
  const yTicks = y.ticks(5).map((v) => ({ value: v, label: fmt(v) }));
  const xTicks = x.ticks(8).map((t) => ({ value: t.ms, label: t.label }));
  const plotTop = m.top;
  const plotBottom = height - m.bottom;
  const p: string[] = [
    `<svg class="chart ${escapeHtml(o.className ?? '')}" viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMidYMid meet" role="img" aria-label="${escapeHtml(o.ariaLabel ?? 'chart')}">`,
    axis({ orient: 'left', scale: y, ticks: yTicks, at: m.left, grid: [m.left, width - m.right] }),
    axis({ orient: 'bottom', scale: x, ticks: xTicks, at: plotBottom, grid: [plotTop, plotBottom] }),
  ];
  if (o.kind === 'area') {
    p.push(`<path class="area" d="${areaPath(o.xs, o.ys, x, y, o.baseline ?? 0)}"/>`);
  }
  p.push(`<path class="line" fill="none" d="${linePath(o.xs, o.ys, x, y)}"/>`);
  p.push(
    `<rect class="frame" x="${svgNumber(m.left)}" y="${svgNumber(plotTop)}" width="${svgNumber(width - m.left - m.right)}" height="${svgNumber(plotBottom - plotTop)}" fill="none"/>`,
  );
  p.push('</svg>');
  return p.join('');
}
