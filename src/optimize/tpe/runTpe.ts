// The TPE loop: seed the sampler with already-evaluated trials (the grid), then ask/evaluate/tell until
// the budget is spent or `patience` trials in a row have not improved on the best.
import { PtError } from '../../core/ptError.js';
import type { TpeSampler } from './tpeSampler.js';
import { type TpeTrial, type TrialOutcome, ranksBefore } from './tpeTrial.js';

export interface EvaluatedTrial {
  params: Readonly<Record<string, number>>;
  outcome: TrialOutcome;
}

export interface RunTpeOptions {
  /** Most TPE trials to run (the initial trials are not counted). */
  trials: number;
  /** Stop after this many TPE trials in a row without a new best. Default 15 (issue 16). */
  patience?: number;
  /** Run at least this many TPE trials before patience may stop the run (core_policy tpe.min_trials). Default 0. */
  minTrials?: number;
  /** Trials evaluated before TPE starts, e.g. the grid; they count as told trials (and towards nStartup). */
  initial?: readonly EvaluatedTrial[];
  /** Called after each TPE trial, for progress. */
  onTrial?: (trial: TpeTrial, done: number, improved: boolean) => void;
}

export interface RunTpeResult {
  /** Every told trial: the initial ones first, then TPE's. */
  trials: readonly TpeTrial[];
  best: TpeTrial | undefined;
  /** TPE trials run (asked and told). */
  tpeTrials: number;
  /** Objective calls; fewer than tpeTrials when TPE proposed a point already evaluated. */
  evaluations: number;
  stoppedEarly: boolean;
}

/**
 * Runs TPE over `objective`. A proposal equal to an already-evaluated point is not evaluated again (the
 * backtest is deterministic): its earlier outcome is told again, as Optuna would see a repeated trial,
 * and it counts as a trial without improvement. "Improvement" is a new best by `ranksBefore`: a better
 * feasible value, the first feasible trial, or (while none is feasible) a smaller violation.
 */
export function runTpe(
  objective: (params: Readonly<Record<string, number>>) => TrialOutcome,
  sampler: TpeSampler,
  options: RunTpeOptions,
): RunTpeResult {
  const patience = options.patience ?? 15;
  if (!(options.trials >= 0) || !(patience >= 1)) {
    throw new PtError('CORE_CONFIG_INVALID', `TPE needs trials ≥ 0 and patience ≥ 1`, { source: 'optimize' });
  }
  const seen = new Map<string, TrialOutcome>();
  const keyOf = (params: Readonly<Record<string, number>>): string =>
    sampler.space.map((p) => params[p.name]).join(',');
  for (const t of options.initial ?? []) {
    sampler.tell(t.params, t.outcome);
    seen.set(keyOf(t.params), t.outcome);
  }
  let best = sampler.best();
  let sinceImprovement = 0;
  let evaluations = 0;
  let tpeTrials = 0;
  const minTrials = options.minTrials ?? 0;
  while (tpeTrials < options.trials && (sinceImprovement < patience || tpeTrials < minTrials)) {
    const params = sampler.ask();
    const key = keyOf(params);
    let outcome = seen.get(key);
    if (outcome === undefined) {
      outcome = objective(params);
      evaluations++;
      seen.set(key, outcome);
    }
    const trial = sampler.tell(params, outcome);
    tpeTrials++;
    const improved = best === undefined || ranksBefore(trial, best, sampler.direction);
    if (improved) {
      best = trial;
      sinceImprovement = 0;
    } else {
      sinceImprovement++;
    }
    options.onTrial?.(trial, tpeTrials, improved);
  }
  return {
    trials: sampler.trials,
    best,
    tpeTrials,
    evaluations,
    stoppedEarly: tpeTrials < options.trials,
  };
}
