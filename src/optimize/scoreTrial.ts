// The SPEC §6 objective of a θ trial and its hard constraints, from core_policy.objective.
import type { PtConfig } from '../config/schemas/index.js';
import type { TrialKpis } from './trialRunner.js';

export interface ObjectivePolicy {
  /** MaxDD above this is penalised and infeasible (0.12). */
  ddTarget: number;
  /** Trades per year below this are penalised and infeasible (150). */
  tradesMin: number;
  lambdaDd: number;
  lambdaTrades: number;
  lambdaStop: number;
  /** Recommended ceiling of the AI2 false-stop rate: reported, not a constraint (SPEC §6). */
  fpRateMax: number;
}

export function objectivePolicyFrom(config: Pick<PtConfig, 'core_policy'>): ObjectivePolicy {
  const o = config.core_policy.objective;
  return {
    ddTarget: o.dd_target,
    tradesMin: o.trades_min,
    lambdaDd: o.lambda_dd,
    lambdaTrades: o.lambda_trades,
    lambdaStop: o.lambda_stop,
    fpRateMax: o.fp_rate_max,
  };
}

export interface TrialScore {
  score: number;
  /** Both hard constraints hold (MaxDD ≤ dd_target, trades/yr ≥ trades_min). */
  feasible: boolean;
  /** The constraints that fail, e.g. `trades_per_year 31 < 150`; '' when feasible. */
  reason: string;
  /** FP_rate_AI2 > fp_rate_max (recommended, not binding). */
  fpRateAboveMax: boolean;
}

/** Shortest decimal of a KPI for a reason line: counts as integers, rates with 3 decimals. */
function show(x: number, decimals: number): string {
  return Number.isFinite(x) ? String(Number(x.toFixed(decimals))) : String(x);
}

/**
 * `score = AnnualizedReturn − λ_dd·max(0, MaxDD − dd_target) − λ_trades·max(0, trades_min − trades/yr)
 * − λ_stop·FP_rate_AI2` (SPEC §6). Choices: AnnualizedReturn is the compound annual return; a run
 * without risk stops has no false stop (FP rate NaN counts as 0); a KPI that is not finite makes the
 * trial infeasible with score −∞, never silently feasible. Constraints are never relaxed here.
 */
export function scoreTrial(
  kpis: Pick<TrialKpis, 'annualReturn' | 'maxDrawdown' | 'tradesPerYear' | 'fpRateAi2'>,
  policy: ObjectivePolicy,
): TrialScore {
  const fp = Number.isNaN(kpis.fpRateAi2) ? 0 : kpis.fpRateAi2;
  const reasons: string[] = [];
  if (!Number.isFinite(kpis.annualReturn)) reasons.push(`annual_return ${show(kpis.annualReturn, 4)}`);
  if (!(kpis.maxDrawdown <= policy.ddTarget)) reasons.push(`max_dd ${show(kpis.maxDrawdown, 3)} > ${policy.ddTarget}`);
  if (!(kpis.tradesPerYear >= policy.tradesMin))
    reasons.push(`trades_per_year ${show(kpis.tradesPerYear, 0)} < ${policy.tradesMin}`);
  const score =
    kpis.annualReturn -
    policy.lambdaDd * Math.max(0, kpis.maxDrawdown - policy.ddTarget) -
    policy.lambdaTrades * Math.max(0, policy.tradesMin - kpis.tradesPerYear) -
    policy.lambdaStop * fp;
  return {
    score: Number.isFinite(score) ? score : Number.NEGATIVE_INFINITY,
    feasible: reasons.length === 0 && Number.isFinite(score),
    reason: reasons.join('; '),
    fpRateAboveMax: fp > policy.fpRateMax,
  };
}
