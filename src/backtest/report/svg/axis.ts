// SVG axes with tick marks, labels and light grid lines, for a left (y) or bottom (x) axis.
import { escapeHtml } from '../escapeHtml.js';
import { svgNumber } from './svgNumber.js';

export interface AxisTick {
  value: number;
  label: string;
}

export interface AxisOptions {
  orient: 'left' | 'bottom';
  scale: (v: number) => number;
  ticks: AxisTick[];
  /** x of a left axis or y of a bottom axis. */
  at: number;
  /** Extent of grid lines across the plot: [x0, x1] for a left axis, [y0, y1] for a bottom axis. */
  grid?: readonly [number, number];
}

export function axis(o: AxisOptions): string {
  const parts: string[] = [`<g class="axis axis-${o.orient}">`];
  const at = svgNumber(o.at);
  for (const t of o.ticks) {
    const p = svgNumber(o.scale(t.value));
    const label = escapeHtml(t.label);
    if (o.orient === 'left') {
      if (o.grid)
        parts.push(
          `<line class="grid" x1="${svgNumber(o.grid[0])}" x2="${svgNumber(o.grid[1])}" y1="${p}" y2="${p}"/>`,
        );
      parts.push(`<line class="tick" x1="${svgNumber(o.at - 5)}" x2="${at}" y1="${p}" y2="${p}"/>`);
      parts.push(
        `<text x="${svgNumber(o.at - 8)}" y="${p}" text-anchor="end" dominant-baseline="middle">${label}</text>`,
      );
    } else {
      if (o.grid)
        parts.push(
          `<line class="grid" x1="${p}" x2="${p}" y1="${svgNumber(o.grid[0])}" y2="${svgNumber(o.grid[1])}"/>`,
        );
      parts.push(`<line class="tick" x1="${p}" x2="${p}" y1="${at}" y2="${svgNumber(o.at + 5)}"/>`);
      parts.push(`<text x="${p}" y="${svgNumber(o.at + 18)}" text-anchor="middle">${label}</text>`);
    }
  }
  parts.push('</g>');
  return parts.join('');
}
