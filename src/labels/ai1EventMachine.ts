// The SPEC §3.1 AI1 event machine in its causal, streaming form: one bar in, "does an event start here" out.
import { FLAT, spreadSideForZ, type SpreadSide } from '../model/spreadSide.js';

/** What the machine made of the last bar it saw. */
export const EVENT_NONE = 0; // not a candidate (invalid row, or |z| < z_entry)
export const EVENT_STARTED = 1;
export const EVENT_SUPPRESSED = 2; // a candidate in the active event's direction
export const EVENT_SPEED_EXCLUDED = 3;
export type EventOutcome =
  | typeof EVENT_NONE
  | typeof EVENT_STARTED
  | typeof EVENT_SUPPRESSED
  | typeof EVENT_SPEED_EXCLUDED;
export const EVENT_OUTCOME_NAMES = ['none', 'event_start', 'suppressed', 'speed_excluded'] as const;

export interface Ai1EventParams {
  zEntry: number;
  zExit: number;
  /** M: an event ends after M bars without |z| ≤ z_exit. */
  maxHoldingBars: number;
  /** K: bars of |delta_z| averaged for the speed exclusion. */
  speedLookbackBars: number;
  thetaSpeed: number;
}

export interface Ai1EventSnapshot {
  version: 1;
  row: number;
  activeSide: number;
  activeStart: number;
  activeEnded: boolean;
  speed: number[];
  speedNext: number;
  speedCount: number;
}

/**
 * Feed every row of the aligned series in order (valid or not: offsets are rows, as in the batch
 * pseudo-code). At row t it knows only whether `|z| ≤ z_exit` was hit in `(t0, t]`, yet it decides
 * exactly what SPEC §3.1's batch loop decides: the batch ends an event at its first hit (or t0 + M)
 * and treats it as active through that bar, and so does this machine, one bar at a time. The
 * label's y needs later bars and is not its business (see buildAi1Events).
 *
 * `update` returns the side of an event that starts at this row (LONG_SPREAD / SHORT_SPREAD), or
 * FLAT; `outcome` says why. O(K) per bar, no allocation.
 */
export class Ai1EventMachine {
  outcome: EventOutcome = EVENT_NONE;
  /** mean |delta_z| of the last K rows; NaN before K rows (then never speed-excluded, as in the batch). */
  speedMean = Number.NaN;
  private row = -1;
  private activeSide: SpreadSide = FLAT;
  private activeStart = -1;
  /** The active event hit z_exit or reached M at an earlier row: it is over from the next row on. */
  private activeEnded = false;
  private readonly speed: Float64Array;
  private speedNext = 0;
  private speedCount = 0;

  constructor(readonly params: Ai1EventParams) {
    const k = params.speedLookbackBars;
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`speedLookbackBars must be a positive integer, got ${k}`);
    if (!Number.isInteger(params.maxHoldingBars) || params.maxHoldingBars < 1)
      throw new RangeError(`maxHoldingBars must be a positive integer, got ${params.maxHoldingBars}`);
    this.speed = new Float64Array(k);
  }

  /** Side of the event in force after the last row (FLAT when none). */
  get active(): SpreadSide {
    return this.activeEnded ? FLAT : this.activeSide;
  }

  update(valid: boolean, z: number, deltaZ: number): SpreadSide {
    const p = this.params;
    this.row++;
    const t = this.row;
    this.pushSpeed(Math.abs(deltaZ));
    if (this.activeSide !== FLAT && this.activeEnded) this.activeSide = FLAT;
    this.outcome = EVENT_NONE;
    let started: SpreadSide = FLAT;
    // Written as !(>=) so that a NaN z is never a candidate.
    if (valid && Math.abs(z) >= p.zEntry) {
      const side = spreadSideForZ(z);
      if (this.activeSide === side) {
        this.outcome = EVENT_SUPPRESSED;
      } else {
        // SPEC §3.1: an opposite candidate closes the active event (its label stays its own).
        this.activeSide = FLAT;
        if (this.speedMean > p.thetaSpeed) {
          this.outcome = EVENT_SPEED_EXCLUDED;
        } else {
          this.outcome = EVENT_STARTED;
          this.activeSide = side;
          this.activeStart = t;
          this.activeEnded = false;
          started = side;
        }
      }
    }
    // The active event's own window: it ends at its first |z| ≤ z_exit in (t0, t0+M], or at t0 + M.
    if (
      this.activeSide !== FLAT &&
      t > this.activeStart &&
      (Math.abs(z) <= p.zExit || t - this.activeStart >= p.maxHoldingBars)
    ) {
      this.activeEnded = true;
    }
    return started;
  }

  private pushSpeed(absDeltaZ: number): void {
    const k = this.speed.length;
    this.speed[this.speedNext] = absDeltaZ;
    this.speedNext = this.speedNext + 1 === k ? 0 : this.speedNext + 1;
    if (this.speedCount < k) this.speedCount++;
    this.updateSpeedMean();
  }

  private updateSpeedMean(): void {
    const k = this.speed.length;
    if (this.speedCount < k) {
      this.speedMean = Number.NaN;
      return;
    }
    // Oldest to newest, so the sum is bit-identical to a left-to-right batch sum over the window.
    let sum = 0;
    for (let i = 0, j = this.speedNext; i < k; i++, j = j + 1 === k ? 0 : j + 1) sum += this.speed[j]!;
    this.speedMean = sum / k;
  }

  snapshot(): Ai1EventSnapshot {
    return {
      version: 1,
      row: this.row,
      activeSide: this.activeSide,
      activeStart: this.activeStart,
      activeEnded: this.activeEnded,
      speed: Array.from(this.speed),
      speedNext: this.speedNext,
      speedCount: this.speedCount,
    };
  }

  restore(s: Ai1EventSnapshot): void {
    if (s.version !== 1 || s.speed.length !== this.speed.length)
      throw new RangeError('Ai1EventMachine snapshot does not fit these parameters');
    this.row = s.row;
    this.activeSide = s.activeSide as SpreadSide;
    this.activeStart = s.activeStart;
    this.activeEnded = s.activeEnded;
    this.speed.set(s.speed);
    this.speedNext = s.speedNext;
    this.speedCount = s.speedCount;
    this.updateSpeedMean();
  }
}
