// What the TPE sampler is told about one finished trial, and how trials rank.

export type Direction = 'maximize' | 'minimize';

export interface TrialOutcome {
  /** The objective; ignored for ranking when the trial is infeasible (it may be NaN then). */
  value: number;
  /** False when a hard constraint is violated (SPEC §6: MaxDD ≤ 0.12, trades/yr ≥ 150). */
  feasible: boolean;
  /** How far outside the constraints (> 0, summed over the violated ones); infeasible trials rank by it. */
  violation?: number;
}

export interface TpeTrial {
  /** 0-based order in which the sampler was told the trial. */
  readonly number: number;
  readonly params: Readonly<Record<string, number>>;
  readonly value: number;
  readonly feasible: boolean;
  /** 0 when feasible; +∞ when infeasible and no violation was given. */
  readonly violation: number;
}

/**
 * True when `a` ranks before `b`: feasible before infeasible; feasible by value in the direction;
 * infeasible by smaller violation. Ties keep trial order (the earlier trial stays best).
 */
export function ranksBefore(a: TpeTrial, b: TpeTrial, direction: Direction): boolean {
  if (a.feasible !== b.feasible) return a.feasible;
  if (a.feasible) return direction === 'maximize' ? a.value > b.value : a.value < b.value;
  return a.violation < b.violation;
}

/** The best trial by `ranksBefore`: the best feasible one, or the least-violating when none is feasible. */
export function bestTrial(trials: readonly TpeTrial[], direction: Direction): TpeTrial | undefined {
  let best: TpeTrial | undefined;
  for (const t of trials) if (best === undefined || ranksBefore(t, best, direction)) best = t;
  return best;
}
