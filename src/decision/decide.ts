// The one SPEC §7 entry/exit decision of a pair at the close of a bar, shared by the backtest and `pt live`.

/** +1 LONG_SPREAD (long A, short B), -1 SHORT_SPREAD (short A, long B), 0 flat. */
export type SpreadPosition = -1 | 0 | 1;
export type DecisionAction = 'open' | 'close' | 'hold' | 'flatten' | 'none';
export type DecisionSide = 'LONG_SPREAD' | 'SHORT_SPREAD' | 'FLAT';

/** What decide reads of one closed bar; nothing after it. */
export interface DecisionBar {
  tsMs: number;
  z: number;
  deltaZ: number;
  /** mean |delta_z| over the K bars ending at t; NaN when undefined (then not speed-excluded, as in SPEC §3.1 labels). */
  speedMean: number;
  /** Every SPEC §2 feature defined at t. */
  valid: boolean;
  /** AI1 output at t; NaN when there is no prediction (fails θ1). */
  returnProb: number;
  /** AI2 output at t; NaN when there is no prediction (fails θ2, never triggers the risk stop). */
  riskScore: number;
  /** Both legs in session and not a holiday at the instant the order would go out. */
  tradable: boolean;
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
}

/** Per-pair decision state, updated in place by decideInto. */
export interface PairDecisionState {
  position: SpreadPosition;
  /** tsMs of the bar the position was decided at (NaN when flat). */
  entryTsMs: number;
  /** Bars elapsed since the entry bar (0 on the entry bar). */
  barsHeld: number;
  /** z at the entry decision (NaN when flat). */
  entryZ: number;
}

export interface Decision {
  action: DecisionAction;
  /** Position after the decision for open/hold; the side being closed for close/flatten; FLAT for none. */
  side: DecisionSide;
  /** '' for none/hold; entry: 'entry'; exits: 'z_exit' | 'max_holding' | 'risk_stop' | 'flatten'. */
  reason: string;
  /** Every SPEC §7 entry condition but θ1/θ2 holds (flat, AI1 candidate, tradable, entries allowed). */
  candidate: boolean;
  passTheta1: boolean;
  passTheta2: boolean;
  /** A candidate refused by θ1 or θ2 ("やらない勇気"). */
  rejectedByAi: boolean;
}

export function newPairDecisionState(): PairDecisionState {
  return { position: 0, entryTsMs: Number.NaN, barsHeld: 0, entryZ: Number.NaN };
}

export function newDecision(): Decision {
  return { action: 'none', side: 'FLAT', reason: '', candidate: false, passTheta1: false, passTheta2: false, rejectedByAi: false };
}

export function sideName(position: SpreadPosition): DecisionSide {
  return position === 1 ? 'LONG_SPREAD' : position === -1 ? 'SHORT_SPREAD' : 'FLAT';
}

/** Whether t is an AI1 event start by SPEC §3.1 (candidate and not speed-excluded). NaN z is never one. */
export function isAi1Candidate(bar: DecisionBar, params: DecisionParams): boolean {
  return bar.valid && Math.abs(bar.z) >= params.zEntry && !(bar.speedMean > params.thetaSpeed);
}

/**
 * SPEC §7 at the close of `bar`, updating `state` and writing `out` in place (no allocation, for
 * the backtest's hot loop). Choices:
 * - Exits are checked before entries, and a pair that exits on a bar does not re-enter on that bar
 *   (as in the SPEC §3.2 baseline rule): the close and a new open would share one fill price.
 * - Exit order of reasons: flatten (ops/DD), then |z| ≤ z_exit, then elapsed bars > M, then the risk
 *   stop. Only the reason differs; all four close at the same price.
 * - barsHeld counts bars since the entry bar; it is incremented before the exit check, so the
 *   time exit fires on bar entry + M + 1 (`elapsed_bars > M`).
 * - Direction: z > 0 → SHORT_SPREAD (sell A, buy B), z < 0 → LONG_SPREAD, i.e. position = −sign(z).
 * - A candidate requires the bar to be tradable and entries allowed, so the filter rates count only
 *   bars where the model could have made the difference (src/backtest/kpis/filterRates.ts).
 * - With useTheta false, passTheta1/passTheta2 are true and nothing is rejected by the model.
 * - An 'open' is a request: a caller that cannot size it calls `cancelOpen` so the state is flat again.
 */
export function decideInto(state: PairDecisionState, bar: DecisionBar, params: DecisionParams, ops: OpsState, out: Decision): Decision {
  out.candidate = false;
  out.passTheta1 = false;
  out.passTheta2 = false;
  out.rejectedByAi = false;
  out.reason = '';

  if (state.position !== 0) {
    state.barsHeld += 1;
    const side = sideName(state.position);
    let reason = '';
    if (ops.flatten) reason = 'flatten';
    else if (Math.abs(bar.z) <= params.zExit) reason = 'z_exit';
    else if (state.barsHeld > params.maxHoldingBars) reason = 'max_holding';
    else if (params.riskStop && bar.riskScore >= params.thetaStop) reason = 'risk_stop';
    if (reason === '') {
      out.action = 'hold';
      out.side = side;
      return out;
    }
    out.action = reason === 'flatten' ? 'flatten' : 'close';
    out.side = side;
    out.reason = reason;
    state.position = 0;
    state.entryTsMs = Number.NaN;
    state.barsHeld = 0;
    state.entryZ = Number.NaN;
    return out;
  }

  out.action = 'none';
  out.side = 'FLAT';
  if (ops.flatten || !ops.allowEntries || !bar.tradable || !isAi1Candidate(bar, params)) return out;
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
  state.position = bar.z > 0 ? -1 : 1;
  state.entryTsMs = bar.tsMs;
  state.barsHeld = 0;
  state.entryZ = bar.z;
  out.action = 'open';
  out.side = sideName(state.position);
  out.reason = 'entry';
  return out;
}

/** A Decision with the pair's state after it. */
export interface DecisionWithState extends Decision {
  state: PairDecisionState;
}

/** decideInto on a copy: `state` is left as it was, the new state is `result.state` (live, tests, tools). */
export function decide(state: PairDecisionState, bar: DecisionBar, params: DecisionParams, ops: OpsState): DecisionWithState {
  const next = { ...state };
  const decision = decideInto(next, bar, params, ops, newDecision());
  return { ...decision, state: next };
}

/** Undo an 'open' the caller could not size (SPEC §7 skip): the pair is flat again. */
export function cancelOpen(state: PairDecisionState): void {
  state.position = 0;
  state.entryTsMs = Number.NaN;
  state.barsHeld = 0;
  state.entryZ = Number.NaN;
}
