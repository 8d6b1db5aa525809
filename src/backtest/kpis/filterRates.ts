// Halt rate, θ1/θ2 pass rates and AI2 false-stop rate from counts the backtest engine keeps.

/**
 * Entry candidates: bars passing every SPEC §7 entry condition except the model thresholds (AI1
 * event with |z| ≥ z_entry, not speed-excluded, in session, not a holiday, state allows entries).
 */
export interface FilterCounts {
  /** All entry candidates. */
  candidates: number;
  /** Candidates with return_prob > θ1 (regardless of θ2). */
  passTheta1: number;
  /** Candidates with risk_score < θ2 (regardless of θ1). */
  passTheta2: number;
  /** Candidates rejected by the AI filter: failing θ1 or θ2 (or both). */
  rejectedByAi: number;
}

/** Exits by `risk_score ≥ θ_stop`, and how many of them would have reverted. */
export interface StopCounts {
  /** Positions closed by the AI2 risk stop. */
  riskStops: number;
  /**
   * Of those, positions that, held on from the stop under the remaining exit rules, would have
   * reached |z| ≤ z_exit before `elapsed_bars > M` — the stop gave up a reversion.
   */
  wouldHaveReverted: number;
}

export interface FilterRates {
  haltRate: number;
  theta1PassRate: number;
  theta2PassRate: number;
}

function checkCount(name: string, value: number, max?: number): void {
  if (!Number.isInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  if (max !== undefined && value > max) throw new RangeError(`${name} (${value}) exceeds ${max}`);
}

/** Each rate is a share of all candidates; NaN with no candidates (a rate of nothing is undefined). */
export function filterRates(c: FilterCounts): FilterRates {
  checkCount('candidates', c.candidates);
  checkCount('passTheta1', c.passTheta1, c.candidates);
  checkCount('passTheta2', c.passTheta2, c.candidates);
  checkCount('rejectedByAi', c.rejectedByAi, c.candidates);
  if (c.candidates === 0) return { haltRate: Number.NaN, theta1PassRate: Number.NaN, theta2PassRate: Number.NaN };
  return {
    haltRate: c.rejectedByAi / c.candidates,
    theta1PassRate: c.passTheta1 / c.candidates,
    theta2PassRate: c.passTheta2 / c.candidates,
  };
}

/** wouldHaveReverted / riskStops; NaN with no risk stops. */
export function falseStopRate(s: StopCounts): number {
  checkCount('riskStops', s.riskStops);
  checkCount('wouldHaveReverted', s.wouldHaveReverted, s.riskStops);
  return s.riskStops === 0 ? Number.NaN : s.wouldHaveReverted / s.riskStops;
}
