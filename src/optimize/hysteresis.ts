// SPEC §6 hysteresis: how far an optimiser's proposed θ may move the applied θ, and when it must hold.

export interface ThetaPair {
  theta1: number;
  theta2: number;
}

export interface HysteresisInput {
  /** The θ in force now: the version's latest applied record, else its params.yaml. */
  old: ThetaPair;
  /** The optimiser's chosen θ. */
  proposed: ThetaPair;
  /** Trades of the chosen θ over the OOS selection period. */
  oosTrades: number;
  /** core_policy.score_params.trades_min (per year; SPEC compares the OOS count with half of it). */
  tradesMin: number;
  /** 95% CI of the improvement of proposed over old (improvementCi); only its lower bound decides. */
  improvementCi: { lower: number; upper: number };
}

export interface HysteresisDecision {
  decision: 'apply' | 'hold';
  /** The θ in force after the decision: the blended step on apply, `old` on hold. */
  applied: ThetaPair;
  /** One line saying why, for the summary and the audit log. */
  reason: string;
}

/** SPEC §6: θ_applied = θ_old + clip(0.3·(θ_new − θ_old), −0.03, +0.03). */
export const BLEND_WEIGHT = 0.3;
export const MAX_STEP = 0.03;

/** θ are probabilities: 9 decimals keep every real move and drop float dust (0.676 not 0.6759999999999999). */
const round9 = (x: number) => Math.round(x * 1e9) / 1e9;

/** One coordinate's applied value and whether the ±0.03 clip bound it. */
export function stepToward(old: number, proposed: number): { value: number; clipped: boolean } {
  const raw = BLEND_WEIGHT * (proposed - old);
  // Compare on the rounded step so that a step of exactly 0.03 (0.3 × 0.1) is not reported as clipped.
  const clipped = Math.abs(round9(raw)) > MAX_STEP;
  const step = Math.min(MAX_STEP, Math.max(-MAX_STEP, raw));
  return { value: round9(old + step), clipped };
}

const isProb = (x: number) => Number.isFinite(x) && x >= 0 && x <= 1;
const fmt = (x: number) => String(round9(x));

function check(input: HysteresisInput): void {
  for (const [name, t] of [
    ['old', input.old],
    ['proposed', input.proposed],
  ] as const) {
    if (!isProb(t.theta1) || !isProb(t.theta2))
      throw new RangeError(`applyHysteresis: ${name} θ must be in [0, 1], got θ1=${t.theta1} θ2=${t.theta2}`);
  }
  if (!(Number.isInteger(input.oosTrades) && input.oosTrades >= 0))
    throw new RangeError(`applyHysteresis: oosTrades must be a non-negative integer, got ${input.oosTrades}`);
  if (!(Number.isFinite(input.tradesMin) && input.tradesMin >= 0))
    throw new RangeError(`applyHysteresis: tradesMin must be a non-negative number, got ${input.tradesMin}`);
}

/**
 * SPEC §6, in this order:
 * - hold when the OOS trades are fewer than trades_min/2 (strictly: exactly half is enough data);
 * - hold when the improvement CI's lower bound is negative (a lower bound of exactly 0 is not
 *   negative; a NaN bound, no finite resample, holds: nothing shows an improvement);
 * - hold when the proposed θ equals the old one (nothing to record);
 * - else apply: each θ moves 0.3 of the way to the proposal, at most 0.03.
 * Every hold reason that applies is named, joined by "; ".
 */
export function applyHysteresis(input: HysteresisInput): HysteresisDecision {
  check(input);
  const { old, proposed, oosTrades, tradesMin, improvementCi } = input;
  const holds: string[] = [];
  if (oosTrades < tradesMin / 2) holds.push(`OOS trades ${oosTrades} < trades_min/2 = ${fmt(tradesMin / 2)}`);
  const { lower, upper } = improvementCi;
  if (Number.isNaN(lower)) holds.push('improvement CI has no finite bound');
  else if (lower < 0) holds.push(`improvement 95% CI [${fmt(lower)}, ${fmt(upper)}] has a negative lower bound`);
  if (proposed.theta1 === old.theta1 && proposed.theta2 === old.theta2) holds.push('proposed θ equals the current θ');
  if (holds.length > 0) return { decision: 'hold', applied: { ...old }, reason: `hold: ${holds.join('; ')}` };
  const t1 = stepToward(old.theta1, proposed.theta1);
  const t2 = stepToward(old.theta2, proposed.theta2);
  const part = (name: string, o: number, p: number, s: { value: number; clipped: boolean }) =>
    `${name} ${fmt(o)} → ${fmt(s.value)} (proposed ${fmt(p)}${s.clipped ? `, step clipped to ±${MAX_STEP}` : ''})`;
  return {
    decision: 'apply',
    applied: { theta1: t1.value, theta2: t2.value },
    reason: `apply: ${part('θ1', old.theta1, proposed.theta1, t1)}, ${part('θ2', old.theta2, proposed.theta2, t2)}`,
  };
}
