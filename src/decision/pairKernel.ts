// The per-pair kernel of SPEC §7, one closed bar at a time: the §3.1 event machine, the session and
// filled-bar gates, the scores, decideInto and sizing. The backtest and `pt live` both drive it.
import type { PairSpec, PtConfig } from '../config/schemas/index.js';
import { F } from '../features/featureNames.js';
import {
  Ai1EventMachine,
  EVENT_NONE,
  type Ai1EventParams,
  type Ai1EventSnapshot,
  type EventOutcome,
} from '../labels/ai1EventMachine.js';
import { FLAT, legASign, legBSign, type SpreadSide } from '../model/spreadSide.js';
import {
  cancelOpen,
  decideInto,
  decideIsIdle,
  newPairDecisionState,
  type Decision,
  type DecisionBar,
  type DecisionParams,
  type OpsState,
  type PairDecisionState,
} from './decide.js';
import type { SessionGate } from './sessionGate.js';
import { sizePair } from './sizePair.js';

export interface KernelParams {
  decision: DecisionParams;
  /** K of the speed exclusion (core_policy.speed_lookback_bars). */
  speedLookbackBars: number;
  /** Which z the event machine and the exits read (features_policy.signal_z). */
  signalZ: 'raw' | 'ema';
  /** signals_policy.pair_notional_usd. */
  pairNotionalUsd: number;
  positionScale: number;
}

/** The kernel's parameters for a run: decision params (resolveDecisionParams), signal z and K, sizing from signals_policy. */
export function kernelParamsFrom(
  config: Pick<PtConfig, 'core_policy' | 'features_policy' | 'signals_policy'>,
  decision: DecisionParams,
  options: { signalZ?: 'raw' | 'ema'; speedLookbackBars?: number; positionScale?: number } = {},
): KernelParams {
  return {
    decision,
    speedLookbackBars: options.speedLookbackBars ?? config.core_policy.speed_lookback_bars,
    signalZ: options.signalZ ?? config.features_policy.signal_z,
    pairNotionalUsd: config.signals_policy.pair_notional_usd,
    positionScale: options.positionScale ?? 1,
  };
}

/** The event machine's parameters of a kernel (none of them is θ1/θ2). */
export function kernelEventParams(params: KernelParams): Ai1EventParams {
  const d = params.decision;
  return {
    zEntry: d.zEntry,
    zExit: d.zExit,
    maxHoldingBars: d.maxHoldingBars,
    speedLookbackBars: params.speedLookbackBars,
    thetaSpeed: d.thetaSpeed,
  };
}

/** The event machine's answer at every row of a pair's feature columns, in order (what observe would get bar by bar). */
export function eventColumns(
  params: Ai1EventParams,
  valid: Uint8Array,
  z: Float64Array,
  deltaZ: Float64Array,
  start: Int8Array,
  outcome: Uint8Array,
): void {
  const m = new Ai1EventMachine(params);
  for (let i = 0; i < z.length; i++) {
    start[i] = m.update(valid[i] === 1, z[i]!, deltaZ[i]!);
    outcome[i] = m.outcome;
  }
}

/**
 * What the kernel reads of one closed bar. Callers keep one object per pair and overwrite it every
 * bar (doubles in object fields are not boxed, arguments to a call may be: this is the hot loop).
 */
export interface KernelBar {
  /** Bar open time, UTC ms (the bar's key). */
  tsMs: number;
  /** When the order would go out: the bar's close. */
  closeMs: number;
  closeA: number;
  closeB: number;
  /** Either leg filled by DQ (quality `missing`). */
  filled: boolean;
  /** USD per unit of each leg's quote currency (1 when quoted in USD). */
  usdPerQuoteA: number;
  usdPerQuoteB: number;
  /** The features the kernel reads: the signal z (z, or z_ema with `signal_z: ema`), delta_z, beta; `valid` when every feature is defined. */
  z: number;
  deltaZ: number;
  beta: number;
  valid: boolean;
  /** The bar's scores, set between observe and decide; NaN when there are none. */
  returnProb: number;
  riskScore: number;
}

export function newKernelBar(): KernelBar {
  return {
    tsMs: 0,
    closeMs: 0,
    closeA: Number.NaN,
    closeB: Number.NaN,
    filled: false,
    usdPerQuoteA: 1,
    usdPerQuoteB: 1,
    z: Number.NaN,
    deltaZ: Number.NaN,
    beta: Number.NaN,
    valid: false,
    returnProb: Number.NaN,
    riskScore: Number.NaN,
  };
}

/** Copies the features the kernel reads from a feature row (FEATURE_NAMES order) into `bar` (pt live). */
export function setKernelFeatures(
  bar: KernelBar,
  row: Float64Array,
  valid: boolean,
  signalZ: 'raw' | 'ema',
): KernelBar {
  bar.z = row[signalZ === 'ema' ? F.z_ema : F.z]!;
  bar.deltaZ = row[F.delta_z]!;
  bar.beta = row[F.beta]!;
  bar.valid = valid;
  return bar;
}

/** The kernel's answer at one bar: the decision, the position the pair should hold now, and why. */
export interface PairAction extends Decision {
  tsMs: number;
  z: number;
  beta: number;
  returnProb: number;
  riskScore: number;
  eventOutcome: EventOutcome;
  tradable: boolean;
  filled: boolean;
  /** Target after this bar: FLAT with 0 lots, or the side and both legs' signed lots (+ long, − short). */
  targetSide: SpreadSide;
  targetLotsA: number;
  targetLotsB: number;
  /** An event start that decide opened but sizing refused ('invalid_beta' | 'ratio_out_of_tolerance'); '' otherwise. */
  skipReason: string;
}

export interface PairKernelSnapshot {
  version: 1;
  events: Ai1EventSnapshot;
  decision: PairDecisionState;
  target: [number, number, number];
}

/**
 * Two stages per bar, so that scoring can be whatever the caller has: `observe` (features → event
 * machine → gates), then `decide` (scores and ops → decision → sizing). `pt live` computes the row
 * with PairFeatureState.update (setKernelFeatures) and scores it through the Scorer port; the
 * backtest reads the columns computePairFeatures built with the same PairFeatureState, scored in one
 * batch by the same Scorer. Either way this class makes every decision.
 */
export class PairKernel {
  readonly events: Ai1EventMachine;
  readonly state: PairDecisionState = newPairDecisionState();
  readonly action: PairAction;
  private readonly bar: DecisionBar = {
    tsMs: 0,
    z: Number.NaN,
    eventStart: FLAT,
    returnProb: Number.NaN,
    riskScore: Number.NaN,
    tradable: false,
    filled: false,
  };

  constructor(
    readonly pair: PairSpec,
    readonly params: KernelParams,
    readonly gate: SessionGate,
  ) {
    this.events = new Ai1EventMachine(kernelEventParams(params));
    // A literal of every field (no spread), so the object keeps one fast shape with unboxed doubles.
    this.action = {
      action: 'none',
      side: 'FLAT',
      reason: '',
      candidate: false,
      passTheta1: false,
      passTheta2: false,
      rejectedByAi: false,
      tsMs: Number.NaN,
      z: Number.NaN,
      beta: Number.NaN,
      returnProb: Number.NaN,
      riskScore: Number.NaN,
      eventOutcome: EVENT_NONE,
      tradable: false,
      filled: false,
      targetSide: FLAT,
      targetLotsA: Number.NaN,
      targetLotsB: Number.NaN,
      skipReason: '',
    };
    this.action.targetLotsA = 0;
    this.action.targetLotsB = 0;
  }

  /** Stage 1: the bar's features → the event machine and the gates. */
  observe(bar: KernelBar): void {
    const start = this.events.update(bar.valid, bar.z, bar.deltaZ);
    this.observeEvent(bar, start, this.events.outcome);
  }

  /**
   * Stage 1 with the event machine's answer for this bar given: the machine reads only the
   * feature columns, never a decision, so a backtest runs it over a pair's columns once
   * (eventColumns) and feeds each bar's answer here; `this.events` is then left unused.
   */
  observeEvent(bar: KernelBar, eventStart: SpreadSide, outcome: EventOutcome): void {
    const a = this.action;
    a.tsMs = bar.tsMs;
    a.z = bar.z;
    a.beta = bar.beta;
    const b = this.bar;
    b.tsMs = bar.tsMs;
    b.z = bar.z;
    b.eventStart = eventStart;
    a.eventOutcome = outcome;
    b.filled = bar.filled;
    b.tradable = this.gate.isTradable(bar.closeMs);
    a.filled = b.filled;
    a.tradable = b.tradable;
  }

  /** Stage 2: the same bar with its scores, and the ops → the decision, sized. Returns `this.action`. */
  decide(bar: KernelBar, ops: OpsState): PairAction {
    const a = this.action;
    const b = this.bar;
    // Scores of a row whose features are not all defined are never used.
    b.returnProb = bar.valid ? bar.returnProb : Number.NaN;
    b.riskScore = bar.valid ? bar.riskScore : Number.NaN;
    a.returnProb = b.returnProb;
    a.riskScore = b.riskScore;
    a.skipReason = '';
    decideInto(this.state, b, this.params.decision, ops, a);
    if (a.action === 'open') {
      const size = sizePair({
        pair: this.pair,
        priceA: bar.closeA,
        priceB: bar.closeB,
        beta: bar.beta,
        pairNotionalUsd: this.params.pairNotionalUsd,
        positionScale: this.params.positionScale,
        leverageScale: ops.leverageScale,
        usdPerQuoteA: bar.usdPerQuoteA,
        usdPerQuoteB: bar.usdPerQuoteB,
      });
      if (size.ok) {
        const side = this.state.position;
        a.targetSide = side;
        a.targetLotsA = legASign(side) * size.lotsA;
        a.targetLotsB = legBSign(side, bar.beta) * size.lotsB;
      } else {
        cancelOpen(this.state);
        a.action = 'none';
        a.side = 'FLAT';
        a.reason = '';
        a.skipReason = size.reason;
      }
    } else if (a.action === 'close' || a.action === 'flatten') {
      a.targetSide = FLAT;
      a.targetLotsA = 0;
      a.targetLotsB = 0;
    }
    return a;
  }

  /**
   * Flat with no event starting at this bar: decide would answer 'none' with no candidate whatever
   * the scores and ops (decideIsIdle), so a backtest may skip observe and decide for it.
   */
  idleAt(eventStart: SpreadSide): boolean {
    return decideIsIdle(this.state, eventStart);
  }

  snapshot(): PairKernelSnapshot {
    const a = this.action;
    return {
      version: 1,
      events: this.events.snapshot(),
      decision: { ...this.state },
      target: [a.targetSide, a.targetLotsA, a.targetLotsB],
    };
  }

  restore(s: PairKernelSnapshot): void {
    if (s.version !== 1) throw new RangeError(`unknown PairKernel snapshot version ${String(s.version)}`);
    this.events.restore(s.events);
    Object.assign(this.state, s.decision);
    this.action.targetSide = s.target[0] as SpreadSide;
    this.action.targetLotsA = s.target[1];
    this.action.targetLotsB = s.target[2];
  }
}
