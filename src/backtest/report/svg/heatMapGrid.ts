// An SVG heat-map grid: labelled rows × columns of coloured cells, each with its value printed inside.
import { escapeHtml } from '../escapeHtml.js';
import { svgNumber } from './svgNumber.js';

export interface HeatCell {
  row: number;
  col: number;
  fill: string;
  text: string;
  textFill?: string;
  /** Extra attributes (name → value), escaped here; e.g. data-month. */
  attrs?: Record<string, string>;
  title?: string;
}

export interface HeatMapOptions {
  rowLabels: string[];
  colLabels: string[];
  cells: HeatCell[];
  cellWidth?: number;
  cellHeight?: number;
  labelWidth?: number;
  headerHeight?: number;
  ariaLabel?: string;
}

export function heatMapGrid(o: HeatMapOptions): string {
  const cw = o.cellWidth ?? 70;
  const ch = o.cellHeight ?? 30;
  const lw = o.labelWidth ?? 60;
  const hh = o.headerHeight ?? 24;
  const width = lw + cw * o.colLabels.length;
  const height = hh + ch * o.rowLabels.length;
  const p: string[] = [
    `<svg class="chart heatmap" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(o.ariaLabel ?? 'heat map')}">`,
  ];
  o.colLabels.forEach((c, i) => {
    p.push(
      `<text class="hm-col" x="${svgNumber(lw + cw * i + cw / 2)}" y="${svgNumber(hh - 8)}" text-anchor="middle">${escapeHtml(c)}</text>`,
    );
  });
  o.rowLabels.forEach((r, i) => {
    p.push(
      `<text class="hm-row" x="${svgNumber(lw - 8)}" y="${svgNumber(hh + ch * i + ch / 2)}" text-anchor="end" dominant-baseline="middle">${escapeHtml(r)}</text>`,
    );
  });
  for (const c of o.cells) {
    const x = lw + cw * c.col;
    const y = hh + ch * c.row;
    const attrs = Object.entries(c.attrs ?? {})
      .map(([k, v]) => ` ${k.replace(/[^a-z0-9-]/gi, '')}="${escapeHtml(v)}"`)
      .join('');
    p.push(`<g class="hm-cell"${attrs}>`);
    if (c.title !== undefined) p.push(`<title>${escapeHtml(c.title)}</title>`);
    p.push(
      `<rect x="${svgNumber(x + 1)}" y="${svgNumber(y + 1)}" width="${svgNumber(cw - 2)}" height="${svgNumber(ch - 2)}" rx="3" fill="${escapeHtml(c.fill)}"/>`,
    );
    p.push(
      `<text x="${svgNumber(x + cw / 2)}" y="${svgNumber(y + ch / 2)}" text-anchor="middle" dominant-baseline="middle" fill="${escapeHtml(c.textFill ?? '#222')}">${escapeHtml(c.text)}</text>`,
    );
    p.push('</g>');
  }
  p.push('</svg>');
  return p.join('');
}
