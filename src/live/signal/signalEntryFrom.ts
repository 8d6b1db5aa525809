// One pair's signal.json entry from the kernel's answer at a closed bar (SPEC §8, leg sides of SPEC §3.1).
import type { PairSpec } from '../../config/schemas/index.js';
import type { PairAction } from '../../decision/pairKernel.js';
import { spreadSideName } from '../../model/spreadSide.js';
import { signalId } from './signalId.js';
import type { SignalAction, SignalEntry, SignalLeg } from './signalTypes.js';

export interface SignalContext {
  shard: number;
  /** Bar length, ms (the timeframe's). */
  barMs: number;
  /** signals_policy position_scale in force at this bar. */
  positionScale: number;
  /** signals_policy.signal_ttl_bars: how many bars after its bar's close an open stays valid. */
  ttlBars: number;
}

/** NaN (and ±Infinity) is not JSON: an undefined feature or score is written as null. */
function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function leg(spec: PairSpec['leg_A'], signedLots: number): SignalLeg {
  return {
    symbol: spec.canonical_symbol,
    broker_symbol: spec.broker_symbol,
    side: signedLots >= 0 ? 'BUY' : 'SELL',
    lots: Math.abs(signedLots),
  };
}

/**
 * The entry of `pair` for the kernel's `action` at its bar. The kernel's 'none' becomes 'hold'; the
 * target comes from targetSide and the signed targetLotsA/B (+ BUY, − SELL), FLAT with no legs. The
 * reason is the kernel's, or its sizing refusal (skipReason) for an entry it could not size.
 * A non-flat target with a zero-lot leg is passed through as is: the schema check before the write
 * refuses it, rather than an EA receiving one leg of a pair.
 */
export function signalEntryFrom(action: PairAction, pair: PairSpec, ctx: SignalContext): SignalEntry {
  const kind: SignalAction = action.action === 'none' ? 'hold' : action.action;
  const flat = action.targetSide === 0;
  const closeMs = action.tsMs + ctx.barMs;
  return {
    signal_id: signalId(ctx.shard, pair.pair_id, action.tsMs, kind),
    pair_id: pair.pair_id,
    bar_ts: new Date(action.tsMs).toISOString(),
    action: kind,
    side: action.side,
    target: {
      side: spreadSideName(action.targetSide),
      legs: flat ? [] : [leg(pair.leg_A, action.targetLotsA), leg(pair.leg_B, action.targetLotsB)],
    },
    z: finiteOrNull(action.z),
    beta: finiteOrNull(action.beta),
    return_prob: finiteOrNull(action.returnProb),
    risk_score: finiteOrNull(action.riskScore),
    position_scale: ctx.positionScale,
    reason: action.reason || action.skipReason,
    expires_at: kind === 'open' ? new Date(closeMs + ctx.ttlBars * ctx.barMs).toISOString() : null,
  };
}
