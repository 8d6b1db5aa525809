// A fixed ring of the last daily values: trailing maximum and the std of day-to-day changes (DD policy windows).
import { sampleStdOfFirst } from '../core/sampleStats.js';

/** The last `capacity` values pushed, oldest first overwritten; O(capacity) queries, once a day. */
export class TrailingDays {
  private readonly values: Float64Array;
  /** Scratch for stdOfChanges, so the daily σ allocates nothing. */
  private readonly changes: Float64Array;
  private next = 0;
  count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`TrailingDays capacity must be a positive integer, got ${capacity}`);
    this.values = new Float64Array(capacity);
    this.changes = new Float64Array(capacity);
  }

  push(value: number): void {
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** The i-th oldest value held (0 ≤ i < count). */
  at(i: number): number {
    const start = (this.next - this.count + this.capacity) % this.capacity;
    return this.values[(start + i) % this.capacity]!;
  }

  /**
   * Would pushing `value` leave the non-zero changes (stdOfChanges(true)) as they are? Yes when the
   * new change is 0 and the change leaving the window (between the two oldest, once full) is 0.
   */
  pushKeepsNonZeroChanges(value: number): boolean {
    if (this.count === 0) return false;
    const cap = this.capacity;
    const newest = this.values[this.next === 0 ? cap - 1 : this.next - 1]!;
    if (value - newest !== 0) return false;
    if (this.count < cap) return true;
    // Full: `next` is the oldest slot, the one pushing overwrites.
    const oldest = this.values[this.next]!;
    const second = this.values[this.next + 1 === cap ? 0 : this.next + 1]!;
    return second - oldest === 0;
  }

  /** Maximum of the last `n` values (all held when fewer); -Infinity when empty. */
  maxOfLast(n: number): number {
    let m = Number.NEGATIVE_INFINITY;
    for (let i = Math.max(0, this.count - n); i < this.count; i++) m = Math.max(m, this.at(i));
    return m;
  }

  /**
   * Sample std (ddof = 1) of the changes between consecutive values, and how many changes it used.
   * With `nonZeroOnly`, unchanged days are left out (a pair without a position has no P&L to measure).
   * NaN under two changes.
   */
  stdOfChanges(nonZeroOnly = false): { std: number; changes: number } {
    const cap = this.capacity;
    let k = 0;
    // Oldest to newest without a modulo per value (the DD policy asks this for every pair every day).
    let j = (this.next - this.count + cap) % cap;
    let prev = this.values[j]!;
    for (let i = 1; i < this.count; i++) {
      j = j + 1 === cap ? 0 : j + 1;
      const v = this.values[j]!;
      const d = v - prev;
      prev = v;
      if (nonZeroOnly && d === 0) continue;
      this.changes[k++] = d;
    }
    return { std: k < 2 ? Number.NaN : sampleStdOfFirst(this.changes, k), changes: k };
  }
}
