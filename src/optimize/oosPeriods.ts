// The OOS period of a θ search and its split (issue 16): the first to the last bar with an AI2
// prediction (AI2 predicts every bar of a walk-forward step), the last HOLDOUT_SHARE of it held out
// from θ selection; and the trial inputs restricted to one period.
import { PtError } from '../core/ptError.js';
import type { TrialPair } from './trialRunner.js';

/** Share of the OOS period, at its end, held out from θ selection. */
export const HOLDOUT_SHARE = 0.2;

export interface Period {
  from: number;
  to: number;
}

/** Selection (θ is chosen here) and holdout (the chosen θ's final test), UTC ms, inclusive. */
export function oosPeriods(pairs: readonly TrialPair[], where: string): { selection: Period; holdout: Period } {
  let from = Infinity;
  let to = -Infinity;
  for (const p of pairs)
    for (let i = 0; i < p.riskScore.length; i++)
      if (!Number.isNaN(p.riskScore[i]!)) {
        from = Math.min(from, p.pair.ts[i]!);
        to = Math.max(to, p.pair.ts[i]!);
      }
  if (!(to > from))
    throw new PtError('BT_OPT_NOOOS', `${where}: no OOS prediction falls on the chosen pairs' bars`, {
      source: 'optimize',
      exitCode: 2,
    });
  const cut = from + (1 - HOLDOUT_SHARE) * (to - from);
  return { selection: { from, to: cut - 1 }, holdout: { from: cut, to } };
}

/** The pairs with every prediction outside `period` set to NaN (a trial then cannot enter there). */
export function trialPairsIn(pairs: readonly TrialPair[], period: Period): TrialPair[] {
  const mask = (values: Float64Array, ts: Float64Array) =>
    values.map((v, i) => (ts[i]! >= period.from && ts[i]! <= period.to ? v : Number.NaN));
  return pairs.map((p) => ({
    ...p,
    returnProb: mask(p.returnProb, p.pair.ts),
    riskScore: mask(p.riskScore, p.pair.ts),
  }));
}

/** The predictions of one kind inside `period`, over every pair (the quantile grid's source). */
export function predictionsIn(pairs: readonly TrialPair[], period: Period, kind: 'returnProb' | 'riskScore'): number[] {
  const out: number[] = [];
  for (const p of pairs) {
    const v = p[kind];
    for (let i = 0; i < v.length; i++)
      if (!Number.isNaN(v[i]!) && p.pair.ts[i]! >= period.from && p.pair.ts[i]! <= period.to) out.push(v[i]!);
  }
  return out;
}
