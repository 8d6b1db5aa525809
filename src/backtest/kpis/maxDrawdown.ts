// Maximum drawdown: the largest peak-to-trough fall of equity as a fraction of the peak.

/**
 * max_t (P_t − E_t) / P_t with P_t the running peak. `startEquity` (the initial capital) is the first
 * peak, so a loss on the first day is a drawdown. 0 for a curve that never falls.
 */
export function maxDrawdown(equity: ArrayLike<number>, startEquity?: number): number {
  let peak = startEquity ?? Number.NEGATIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (e > peak) peak = e;
    else if (peak > 0) {
      const dd = (peak - e) / peak;
      if (dd > worst) worst = dd;
    }
  }
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
