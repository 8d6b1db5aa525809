// The γ split of told trials into "below" (good, l(x)) and "above" (the rest, g(x)), as Optuna's
// optuna/samplers/_tpe/sampler.py _split_trials does for one objective with constraints.
import type { Direction, TpeTrial } from './tpeTrial.js';

/** Optuna's default_gamma: the number of "below" trials out of n. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * The best `nBelow` feasible trials go below; if fewer are feasible, the least-violating infeasible trials
 * fill the rest of "below". Everything else is "above". Both lists come back in trial order, because the
 * Parzen weights ramp with age. A feasible trial with a non-finite value ranks after every finite one.
 */
export function splitTrials(
  trials: readonly TpeTrial[],
  nBelow: number,
  direction: Direction,
): { below: TpeTrial[]; above: TpeTrial[] } {
  const sign = direction === 'maximize' ? -1 : 1;
  const key = (t: TpeTrial): number => (Number.isFinite(t.value) ? sign * t.value : Infinity);
  const feasible = trials.filter((t) => t.feasible).sort((a, b) => key(a) - key(b) || a.number - b.number);
  const infeasible = trials.filter((t) => !t.feasible).sort((a, b) => a.violation - b.violation || a.number - b.number);
  const ranked = [...feasible, ...infeasible];
  const cut = Math.max(0, Math.min(nBelow, ranked.length));
  const byNumber = (a: TpeTrial, b: TpeTrial): number => a.number - b.number;
  return { below: ranked.slice(0, cut).sort(byNumber), above: ranked.slice(cut).sort(byNumber) };
}
