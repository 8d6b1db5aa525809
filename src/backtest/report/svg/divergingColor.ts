// A diverging colour scale: red below zero, white at zero, green above, saturating at ±`extent`.
const NEG: readonly [number, number, number] = [198, 40, 40];
const MID: readonly [number, number, number] = [255, 255, 255];
const POS: readonly [number, number, number] = [46, 125, 50];

/** `rgb(r,g,b)` for `value` on a symmetric scale; non-finite values are grey. */
export function divergingColor(value: number, extent: number): string {
  if (!Number.isFinite(value)) return 'rgb(224,224,224)';
  const t = extent > 0 ? Math.max(-1, Math.min(1, value / extent)) : 0;
  const end = t < 0 ? NEG : POS;
  const a = Math.abs(t);
  const c = MID.map((m, i) => Math.round(m + (end[i]! - m) * a));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** Dark text on pale cells, white text on saturated ones. */
export function textColorFor(value: number, extent: number): string {
  return Number.isFinite(value) && extent > 0 && Math.abs(value / extent) > 0.6 ? '#fff' : '#222';
}
