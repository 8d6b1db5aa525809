// Formats a coordinate for SVG output: at most two decimals, no trailing zeros, no "-0".
export function svgNumber(v: number): string {
  const r = Math.round(v * 100) / 100;
  return String(r === 0 ? 0 : r);
}
