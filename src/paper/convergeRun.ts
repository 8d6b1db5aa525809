// One convergence run of a pair, as the EA's PtConverge: orders that move both legs from the broker's lots
// to the target, leg A first, with retries, partial fills, and the unwind of an entry whose other leg fails.
import { roundDelta, round8 } from './roundLots.js';

/** Order sends per leg and phase before the phase fails. */
export const MAX_SENDS = 5;

export type RunOutcome = 'running' | 'done' | 'abandoned' | 'naked' | 'incomplete';

export interface PlannedOrder {
  leg: 'A' | 'B';
  side: 'BUY' | 'SELL';
  /** > 0, whole steps. */
  lots: number;
  /** Closes lots of the leg's open positions (hedging account) rather than opening a new one. */
  reduce: boolean;
}

/** Trade server retcodes (MQL5's TRADE_RETCODE_*) the run tells apart. */
export const RETCODE = { PLACED: 10008, DONE: 10009, DONE_PARTIAL: 10010 } as const;

/** Retcodes worth sending again at once: the request was fine, the moment was not. */
const RETRIABLE = new Set([10004, 10012, 10020, 10021, 10024, 10028, 10029, 10031]);
const FILLED = new Set<number>([RETCODE.PLACED, RETCODE.DONE, RETCODE.DONE_PARTIAL]);

export type Legs = [a: number, b: number];

export class ConvergeRun {
  /** The broker's signed lots per leg, as the run moves them. */
  readonly cur: Legs;
  readonly target: Legs;
  /** Where a failed entry goes back to: a clean start (both legs open or both flat), else flat. */
  readonly unwind: Legs;
  /**
   * The target without the run's entry (an entry given up before it is sent still carries out its exits): a leg
   * goes toward its target only where that reduces or closes it (a flip closes), else stays; flat when one leg
   * would be left open alone.
   */
  readonly exit: Legs;
  /** The run adds exposure on some leg (open, flip, resize up). */
  readonly entry: boolean;
  unwinding = false;
  outcome: RunOutcome = 'running';
  /** The leg whose phase failed first. */
  failedLeg: 0 | 1 | undefined;
  private phase = 0;
  private sends = 0;

  constructor(
    start: Legs,
    target: Legs,
    private readonly steps: Legs,
  ) {
    this.cur = [start[0], start[1]];
    this.target = [target[0], target[1]];
    this.entry = [0, 1].some((leg) => addsExposure(start[leg]!, target[leg]!, steps[leg]!));
    const clean = this.near(start[0], 0, 0) === this.near(start[1], 0, 1);
    this.unwind = clean ? [start[0], start[1]] : [0, 0];
    const exit = [0, 1].map((leg) => exitLots(start[leg]!, target[leg]!)) as Legs;
    this.exit = this.near(exit[0], 0, 0) === this.near(exit[1], 0, 1) ? exit : [0, 0];
  }

  /** Both legs within half a step of the target: no run needed. */
  atTarget(): boolean {
    return this.near(this.cur[0], this.target[0], 0) && this.near(this.cur[1], this.target[1], 1);
  }

  /** The next order to send; undefined when the run is over (`outcome` says how). */
  next(): PlannedOrder | undefined {
    while (this.outcome === 'running') {
      if (this.phase >= 2) {
        this.finish();
        break;
      }
      const leg = this.phase as 0 | 1;
      const goal = this.unwinding ? this.unwind[leg] : this.target[leg];
      const delta = roundDelta(goal - this.cur[leg], this.steps[leg]);
      if (delta === 0) {
        this.phase++;
        this.sends = 0;
        continue;
      }
      if (this.sends >= MAX_SENDS) {
        this.failPhase(leg);
        continue;
      }
      const sign = delta > 0 ? 1 : -1;
      const reduce = Math.sign(this.cur[leg]) !== 0 && Math.sign(this.cur[leg]) !== sign;
      // A flip closes what is open first, then opens the rest as a new position.
      const lots =
        reduce && Math.abs(delta) > Math.abs(this.cur[leg]) ? round8(Math.abs(this.cur[leg])) : Math.abs(delta);
      return { leg: leg === 0 ? 'A' : 'B', side: sign > 0 ? 'BUY' : 'SELL', lots, reduce };
    }
    return undefined;
  }

  /** The broker's answer to `order`: its retcode and the lots it filled (0 when none). */
  onResult(order: PlannedOrder, retcode: number, filled: number): void {
    const leg = order.leg === 'A' ? 0 : 1;
    this.sends++;
    const done = Math.max(0, Math.min(filled, order.lots));
    if (done > 0) this.cur[leg] = round8(this.cur[leg] + (order.side === 'BUY' ? done : -done));
    if (FILLED.has(retcode) || RETRIABLE.has(retcode)) return; // next() asks for the remainder
    this.failPhase(leg);
  }

  /** Exactly one leg open: the state a run must never leave behind. */
  naked(): boolean {
    return !this.near(this.cur[0], 0, 0) !== !this.near(this.cur[1], 0, 1);
  }

  private near(a: number, b: number, leg: 0 | 1): boolean {
    return Math.abs(a - b) < this.steps[leg] * 0.5;
  }

  private failPhase(leg: 0 | 1): void {
    this.failedLeg ??= leg;
    if (this.entry && !this.unwinding) {
      this.unwinding = true;
      this.phase = 0;
      this.sends = 0;
      return;
    }
    this.outcome = this.naked() ? 'naked' : 'incomplete';
  }

  private finish(): void {
    if (!this.unwinding) this.outcome = 'done';
    else this.outcome = this.naked() ? 'naked' : 'abandoned';
  }
}

/** A leg's lots without the exposure a move to `target` would add: the target where it reduces or closes the leg. */
function exitLots(cur: number, target: number): number {
  if (Math.sign(target) !== Math.sign(cur)) return 0;
  return Math.abs(target) < Math.abs(cur) ? target : cur;
}

/** A leg gains exposure: it flips sign, or grows by half a step or more. */
function addsExposure(cur: number, target: number, step: number): boolean {
  const flips = Math.sign(target) !== 0 && Math.sign(cur) !== 0 && Math.sign(target) !== Math.sign(cur);
  return flips || Math.abs(target) > Math.abs(cur) + step * 0.5;
}
