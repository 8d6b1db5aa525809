// AI2 false stops: risk stops after which the position would still have reverted (SPEC §7 false-stop rate).
import type { DecisionParams } from '../decision/decide.js';
import type { PairRun } from './pairRun.js';

export interface RiskStop {
  run: PairRun;
  /** Bar of the stop decision and the bars held at it. */
  bar: number;
  barsHeld: number;
}

/**
 * A stop at bar s with h bars held "would have reverted" when some later bar s+j still inside the
 * holding limit (h + j ≤ M) has |z| ≤ z_exit. This reads bars after the stop on purpose: it is
 * scored after the run and never feeds a decision.
 */
export function countRevertedStops(
  stops: readonly RiskStop[],
  params: Pick<DecisionParams, 'zExit' | 'maxHoldingBars'>,
): number {
  let reverted = 0;
  for (const s of stops) {
    const z = s.run.z;
    for (let j = 1; s.barsHeld + j <= params.maxHoldingBars && s.bar + j < s.run.n; j++) {
      if (Math.abs(z[s.bar + j]!) <= params.zExit) {
        reverted++;
        break;
      }
    }
  }
  return reverted;
}
