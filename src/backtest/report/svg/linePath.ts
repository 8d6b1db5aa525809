// The `d` attribute of a polyline through the scaled points; non-finite values break the line.
import { svgNumber } from './svgNumber.js';

export function linePath(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  x: (v: number) => number,
  y: (v: number) => number,
): string {
  const n = Math.min(xs.length, ys.length);
  const parts: string[] = [];
  let pen = false;
  for (let i = 0; i < n; i++) {
    const xv = xs[i] as number;
    const yv = ys[i] as number;
    if (!Number.isFinite(xv) || !Number.isFinite(yv)) {
      pen = false;
      continue;
    }
    parts.push(`${pen ? 'L' : 'M'}${svgNumber(x(xv))},${svgNumber(y(yv))}`);
    pen = true;
  }
  return parts.join(' ');
}
