// Which pairs' broker positions (account.json, the truth) differ from what the shard believes it holds.
import type { SpreadSide } from '../../model/spreadSide.js';
import type { AccountSnapshot } from './accountSnapshot.js';

/** A position by spread side and signed lots of each leg (+ long, − short). */
export interface BelievedPosition {
  side: SpreadSide;
  lotsA: number;
  lotsB: number;
}

/** The lot step of each leg of a pair (universe.yaml), which sets the tolerance. */
export interface PairLotSteps {
  lotStepA: number;
  lotStepB: number;
}

export interface ReconcileMismatch {
  pairId: string;
  believed: BelievedPosition;
  broker: BelievedPosition;
}

const FLAT_POSITION: BelievedPosition = { side: 0, lotsA: 0, lotsB: 0 };

/** Lots are equal when they differ by less than half a step: the broker rounds to steps, floats add noise. */
function sameLots(a: number, b: number, step: number): boolean {
  return Math.abs(a - b) < step / 2;
}

/**
 * The pairs of the shard (the keys of `lotSteps`) whose broker position differs from the believed
 * one in side or in either leg's lots. A pair missing from either side counts as flat; pairs of
 * other shards in account.json are ignored. Sorted by pair id.
 */
export function reconcile(
  believed: ReadonlyMap<string, BelievedPosition>,
  account: AccountSnapshot,
  lotSteps: ReadonlyMap<string, PairLotSteps>,
): ReconcileMismatch[] {
  const out: ReconcileMismatch[] = [];
  for (const pairId of [...lotSteps.keys()].sort()) {
    const steps = lotSteps.get(pairId)!;
    const mine = believed.get(pairId) ?? FLAT_POSITION;
    const held = account.positions.get(pairId);
    const broker: BelievedPosition = held ? { side: held.side, lotsA: held.lotsA, lotsB: held.lotsB } : FLAT_POSITION;
    const same =
      mine.side === broker.side &&
      sameLots(mine.lotsA, broker.lotsA, steps.lotStepA) &&
      sameLots(mine.lotsB, broker.lotsB, steps.lotStepB);
    if (!same) out.push({ pairId, believed: { ...mine }, broker: { ...broker } });
  }
  return out;
}
