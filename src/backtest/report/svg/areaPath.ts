// The `d` attribute of a closed area between the scaled points and a horizontal baseline.
import { svgNumber } from './svgNumber.js';

export function areaPath(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  x: (v: number) => number,
  y: (v: number) => number,
  baseline: number,
): string {
  const n = Math.min(xs.length, ys.length);
  const pts: string[] = [];
  let firstX: number | undefined;
  let lastX = 0;
  for (let i = 0; i < n; i++) {
    const xv = xs[i] as number;
    const yv = ys[i] as number;
    if (!Number.isFinite(xv) || !Number.isFinite(yv)) continue;
    const px = x(xv);
    if (firstX === undefined) firstX = px;
    lastX = px;
    pts.push(`L${svgNumber(px)},${svgNumber(y(yv))}`);
  }
  if (firstX === undefined) return '';
  const base = svgNumber(y(baseline));
  return `M${svgNumber(firstX)},${base} ${pts.join(' ')} L${svgNumber(lastX)},${base} Z`;
}
