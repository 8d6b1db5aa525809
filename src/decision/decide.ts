// The one SPEC §7 entry/exit decision of a pair at the close of a bar, shared by the backtest and `pt live`.
import { FLAT, spreadSideName, type SpreadSide, type SpreadSideName } from '../model/spreadSide.js';

export type DecisionAction = 'open' | 'close' | 'hold' | 'flatten' | 'none';
export type DecisionSide = SpreadSideName;

/** What decide reads of one closed bar; nothing after it. */
export interface DecisionBar {
  tsMs: number;
  /** The signal z (z, or z_ema with `signal_z: ema`). */
  z: number;
  /** Side of an AI1 event that starts at this bar in the §3.1 machine, FLAT when none. */
  eventStart: SpreadSide;
  /** AI1 output at t; NaN when there is no prediction (fails θ1). */
  returnProb: number;
  /** AI2 output at t; NaN when there is no prediction (fails θ2, never triggers the risk stop). */
  riskScore: number;
  /** Both legs in session and not a holiday at the instant the order would go out. */
  tradable: boolean;
  /** Either leg's bar was filled by DQ (SPEC §1.4): it feeds the windows but is never traded. */
  filled: boolean;
}

export interface DecisionParams {
  zEntry: number;
  zExit: number;
  /** M: a position is closed once its elapsed bars exceed M (SPEC §7 `elapsed_bars > M`). */
  maxHoldingBars: number;
  thetaSpeed: number;
  theta1: number;
  theta2: number;
  thetaStop: number;
  /** false: rule-only, θ1/θ2 are not applied. */
  useTheta: boolean;
  /** Close when risk_score ≥ θ_stop. */
  riskStop: boolean;
}

/** The ops flags and DD policy as decide sees them (already merged portfolio + pair). */
export interface OpsState {
  allowEntries: boolean;
  flatten: boolean;
  leverageScale: number;
  /** A hard halt (pt ops): a held position stays as it is whatever exit falls due; only a flatten closes it. Never set by the backtest. */
  holdExits?: boolean;
}

/** Per-pair decision state, updated in place by decideInto. */
export interface PairDecisionState {
  position: SpreadSide;
  /** tsMs of the bar the position was decided at (NaN when flat). */
  entryTsMs: number;
  /** Bars elapsed since the entry bar (0 on the entry bar). */
  barsHeld: number;
  /** z at the entry decision (NaN when flat). */
  entryZ: number;
  /** An exit that fell due on a DQ-filled bar, taken at the next real bar ('' when none). */
  pendingExit: string;
}

export interface Decision {
  action: DecisionAction;
  /** Position after the decision for open/hold; the side being closed for close/flatten; FLAT for none. */
  side: DecisionSide;
  /** '' for none/hold; entry: 'entry'; exits: 'z_exit' | 'max_holding' | 'risk_stop' | 'flatten'; a hold with an exit due: 'exit_waits_for_real_bar' (filled bar), 'exit_waits_for_open_market' or 'exit_held_by_hard_halt'. */
  reason: string;
  /** Every SPEC §7 entry condition but θ1/θ2 holds (flat, an event start, tradable, a real bar, entries allowed). */
  candidate: boolean;
  passTheta1: boolean;
  passTheta2: boolean;
  /** A candidate refused by θ1 or θ2 ("やらない勇気"). */
  rejectedByAi: boolean;
}

export function newPairDecisionState(): PairDecisionState {
  return { position: FLAT, entryTsMs: Number.NaN, barsHeld: 0, entryZ: Number.NaN, pendingExit: '' };
}

export function newDecision(): Decision {
  return {
    action: 'none',
    side: 'FLAT',
    reason: '',
    candidate: false,
    passTheta1: false,
    passTheta2: false,
    rejectedByAi: false,
  };
}

/**
 * SPEC §7 at the close of `bar`, updating `state` and writing `out` in place (no allocation, for
 * the backtest's hot loop). Choices:
 * - Entry only where an AI1 event starts (SPEC §7): the model only ever saw event-start rows, so no
 *   other bar is scored for entry. The side is the event's (SpreadSide: z > 0 sells the spread).
 * - Exits are checked before entries, and a pair that exits on a bar does not re-enter on that bar
 *   (as in the SPEC §3.2 baseline rule): the close and a new open would share one fill price.
 * - Exit order of reasons: flatten (ops/DD), then an exit deferred from a filled bar, then
 *   |z| ≤ z_exit, then elapsed bars > M, then the risk stop. Only the reason differs.
 * - barsHeld counts bars since the entry bar; it is incremented before the exit check, so the
 *   time exit fires on bar entry + M + 1 (`elapsed_bars > M`).
 * - A DQ-filled bar is never traded: no entry, and an exit due on it waits for the next real bar,
 *   where it is taken whatever z then is (the reason it fell due for is kept). The same for a bar
 *   whose close is outside the session (weekly close, daily break, holiday, early close): the exit
 *   waits for the first bar that closes with the market open, as a real order would.
 * - A candidate requires the bar to be tradable, real, and entries allowed, so the filter rates count
 *   only bars where the model could have made the difference (src/backtest/kpis/filterRates.ts).
 * - With useTheta false, passTheta1/passTheta2 are true and nothing is rejected by the model.
 * - An 'open' is a request: a caller that cannot size it calls `cancelOpen` so the state is flat again.
 */
export function decideInto(
  state: PairDecisionState,
  bar: DecisionBar,
  params: DecisionParams,
  ops: OpsState,
  out: Decision,
): Decision {
  out.candidate = false;
  out.passTheta1 = false;
  out.passTheta2 = false;
  out.rejectedByAi = false;
  out.reason = '';

  if (state.position !== FLAT) {
    state.barsHeld += 1;
    const side = spreadSideName(state.position);
    let reason = '';
    if (ops.flatten) reason = 'flatten';
    else if (state.pendingExit !== '') reason = state.pendingExit;
    else if (Math.abs(bar.z) <= params.zExit) reason = 'z_exit';
    else if (state.barsHeld > params.maxHoldingBars) reason = 'max_holding';
    else if (params.riskStop && bar.riskScore >= params.thetaStop) reason = 'risk_stop';
    out.side = side;
    if (reason === '') {
      out.action = 'hold';
      return out;
    }
    if (ops.holdExits === true && reason !== 'flatten') {
      // Not pendingExit: once the halt lifts the exit is judged afresh on that bar.
      out.action = 'hold';
      out.reason = 'exit_held_by_hard_halt';
      return out;
    }
    if (bar.filled || !bar.tradable) {
      // No order goes out on a filled bar or into a closed market: the exit waits (SPEC §1.4, §7).
      state.pendingExit = reason;
      out.action = 'hold';
      out.reason = bar.filled ? 'exit_waits_for_real_bar' : 'exit_waits_for_open_market';
      return out;
    }
    out.action = reason === 'flatten' ? 'flatten' : 'close';
    out.reason = reason;
    cancelOpen(state);
    return out;
  }

  out.action = 'none';
  out.side = 'FLAT';
  if (ops.flatten || !ops.allowEntries || !bar.tradable || bar.filled || bar.eventStart === FLAT) return out;
  out.candidate = true;
  if (params.useTheta) {
    out.passTheta1 = bar.returnProb > params.theta1;
    out.passTheta2 = bar.riskScore < params.theta2;
    if (!out.passTheta1 || !out.passTheta2) {
      out.rejectedByAi = true;
      return out;
    }
  } else {
    out.passTheta1 = true;
    out.passTheta2 = true;
  }
  state.position = bar.eventStart;
  state.entryTsMs = bar.tsMs;
  state.barsHeld = 0;
  state.entryZ = bar.z;
  state.pendingExit = '';
  out.action = 'open';
  out.side = spreadSideName(state.position);
  out.reason = 'entry';
  return out;
}

/**
 * decideInto would answer 'none' with no candidate, no reason and no state change whatever the
 * bar's scores, gates and ops: the pair is flat and no event starts (the first test of its flat branch).
 */
export function decideIsIdle(state: PairDecisionState, eventStart: SpreadSide): boolean {
  return state.position === FLAT && eventStart === FLAT;
}

/** A Decision with the pair's state after it. */
export interface DecisionWithState extends Decision {
  state: PairDecisionState;
}

/** decideInto on a copy: `state` is left as it was, the new state is `result.state` (tools, tests). */
export function decide(
  state: PairDecisionState,
  bar: DecisionBar,
  params: DecisionParams,
  ops: OpsState,
): DecisionWithState {
  const next = { ...state };
  const decision = decideInto(next, bar, params, ops, newDecision());
  return { ...decision, state: next };
}

/** The pair is flat again: after an exit, or an 'open' the caller could not size (SPEC §7 skip). */
export function cancelOpen(state: PairDecisionState): void {
  state.position = FLAT;
  state.entryTsMs = Number.NaN;
  state.barsHeld = 0;
  state.entryZ = Number.NaN;
  state.pendingExit = '';
}
