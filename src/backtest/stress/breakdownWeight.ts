// SPEC §7 correlation-breakdown weight w = ρ_target / ρ_hist clipped to [0, 1].

/**
 * w = clip(ρ_target / ρ_hist, 0, 1). An undefined ratio (ρ_hist NaN, or 0/0) gives 1: the window
 * is left as it is, since its correlation is unknown or already at the target.
 */
export function breakdownWeight(rhoTarget: number, rhoHist: number): number {
  const w = rhoTarget / rhoHist;
  if (Number.isNaN(w)) return 1;
  return Math.min(1, Math.max(0, w));
}
