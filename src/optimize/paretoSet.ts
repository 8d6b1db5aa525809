// The Pareto set of trials on (Sharpe ↑, MaxDD ↓) (SPEC §6 output).

export interface ParetoInput {
  sharpe: number;
  maxDd: number;
}

/**
 * Indices of the trials no other trial dominates: j dominates i when sharpe_j ≥ sharpe_i and
 * maxDd_j ≤ maxDd_i with one strict. Trials with a non-finite Sharpe or MaxDD are left out. Sorted by
 * Sharpe descending; of exact duplicates only the first index is kept.
 */
export function paretoSet(trials: readonly ParetoInput[]): number[] {
  const idx = trials
    .map((t, i) => ({ ...t, i }))
    .filter((t) => Number.isFinite(t.sharpe) && Number.isFinite(t.maxDd))
    .sort((a, b) => b.sharpe - a.sharpe || a.maxDd - b.maxDd || a.i - b.i);
  const out: number[] = [];
  let bestDd = Infinity;
  let last: { sharpe: number; maxDd: number } | undefined;
  for (const t of idx) {
    if (last && t.sharpe === last.sharpe && t.maxDd === last.maxDd) continue;
    // Sorted by Sharpe desc (ties: lower DD first), t is undominated iff its DD beats every DD seen.
    if (t.maxDd < bestDd) {
      out.push(t.i);
      bestDd = t.maxDd;
      last = t;
    }
  }
  return out;
}
