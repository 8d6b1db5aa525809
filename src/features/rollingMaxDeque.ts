// Trailing maximum over the last `window` bar indices: a monotonic deque in fixed typed-array rings.

/**
 * Maximum of the values pushed at indices `index - window + 1 .. index`, amortised O(1) per push.
 * Indices must strictly increase; gaps (indices never pushed) are allowed and simply hold no value.
 */
export class RollingMaxDeque {
  readonly window: number;
  private readonly indices: Int32Array;
  private readonly values: Float64Array;
  private head = 0;
  private size = 0;
  private lastIndex = -1;

  constructor(window: number) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`invalid window ${window}`);
    this.window = window;
    // Indices in the window are distinct, so at most `window` entries are ever held.
    this.indices = new Int32Array(window);
    this.values = new Float64Array(window);
  }

  /** Adds `value` at bar `index`, dropping entries that left the window or can never be the maximum. */
  push(index: number, value: number): void {
    if (Number.isNaN(value)) throw new RangeError('RollingMaxDeque.push(NaN)');
    if (!(index > this.lastIndex)) throw new RangeError(`RollingMaxDeque index ${index} after ${this.lastIndex}`);
    this.lastIndex = index;
    const cap = this.window;
    const oldest = index - cap;
    while (this.size > 0 && this.indices[this.head]! <= oldest) {
      this.head = this.head + 1 === cap ? 0 : this.head + 1;
      this.size--;
    }
    // A newer value at least as large outlives every older smaller one.
    // head < cap and size ≤ cap: one subtraction wraps a slot (no modulo: this is per bar).
    while (this.size > 0) {
      let back = this.head + this.size - 1;
      if (back >= cap) back -= cap;
      if (this.values[back]! > value) break;
      this.size--;
    }
    let slot = this.head + this.size;
    if (slot >= cap) slot -= cap;
    this.indices[slot] = index;
    this.values[slot] = value;
    this.size++;
  }

  /**
   * push(index, v) where v is the last value pushed, when no entry leaves the window at `index`:
   * the newest entry just moves to `index` (what push would do), so the maximum stays. Returns false
   * and changes nothing when an entry would leave the window (then call push).
   */
  pushRepeat(index: number): boolean {
    if (this.size === 0 || !(index > this.lastIndex) || this.indices[this.head]! <= index - this.window) return false;
    let back = this.head + this.size - 1;
    if (back >= this.window) back -= this.window;
    // The last pushed value is always the newest entry: push never drops it.
    this.indices[back] = index;
    this.lastIndex = index;
    return true;
  }

  /** Maximum over the window ending at the last pushed index; NaN before the first push. */
  max(): number {
    return this.size === 0 ? Number.NaN : this.values[this.head]!;
  }

  /** Forgets every value. */
  clear(): void {
    this.head = 0;
    this.size = 0;
    this.lastIndex = -1;
  }
}
