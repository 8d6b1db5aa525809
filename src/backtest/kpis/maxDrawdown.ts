// Drawdown: the fall of equity from its running peak as a fraction of that peak — the one definition
// the KPIs, bt_daily_equity and the report all use.

/**
 * `(P_t − E_t) / P_t` at each point (≥ 0), P_t the running peak. `startEquity` (the initial capital)
 * is the first peak, so a curve that falls below the capital before it ever rises is in drawdown from
 * its first point. A non-finite point gives NaN there and does not move the peak.
 */
export function drawdownPath(equity: ArrayLike<number>, startEquity?: number): Float64Array {
  const out = new Float64Array(equity.length);
  let peak = startEquity ?? Number.NEGATIVE_INFINITY;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (!Number.isFinite(e)) {
      out[i] = Number.NaN;
      continue;
    }
    if (e > peak) peak = e;
    out[i] = peak > 0 ? (peak - e) / peak : 0;
  }
  return out;
}

/** max_t of drawdownPath: 0 for a curve that never falls. */
export function maxDrawdown(equity: ArrayLike<number>, startEquity?: number): number {
  let worst = 0;
  for (const dd of drawdownPath(equity, startEquity)) if (dd > worst) worst = dd;
  return worst;
}

/** MaxDD of the curve 1·Π(1 + r) built from simple returns (for bootstrap resamples). */
export function maxDrawdownOfReturns(returns: ArrayLike<number>): number {
  let e = 1;
  let peak = 1;
  let worst = 0;
  for (let i = 0; i < returns.length; i++) {
    e *= 1 + returns[i]!;
    if (e > peak) peak = e;
    else {
      const dd = (peak - e) / peak;
      if (dd > worst) worst = dd;
    }
  }
  return worst;
}
