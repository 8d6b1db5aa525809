// Drawdown of an equity path: equity / running peak − 1 (≤ 0), per point.
export function drawdownSeries(equity: ArrayLike<number>): number[] {
  const out: number[] = [];
  let peak = -Infinity;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i] as number;
    if (!Number.isFinite(e)) { out.push(Number.NaN); continue; }
    if (e > peak) peak = e;
    out.push(peak > 0 ? e / peak - 1 : 0);
  }
  return out;
}
