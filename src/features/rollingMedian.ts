// Exact rolling median over the last `window` values: a sorted buffer plus a ring of arrival order.
// O(window) per update via binary search + copyWithin, which beats heaps for windows of a few hundred.

export class RollingMedian {
  readonly window: number;
  private readonly sorted: Float64Array;
  private readonly ring: Float64Array;
  private count = 0;
  private head = 0;

  constructor(window: number) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`invalid window ${window}`);
    this.window = window;
    this.sorted = new Float64Array(window);
    this.ring = new Float64Array(window);
  }

  get size(): number {
    return this.count;
  }

  /** True once `window` values are held. */
  get full(): boolean {
    return this.count === this.window;
  }

  /** Adds a value, evicting the oldest once full. NaN is rejected: callers skip undefined inputs. */
  push(value: number): void {
    if (Number.isNaN(value)) throw new RangeError('RollingMedian.push(NaN)');
    if (this.count === this.window) {
      const old = this.ring[this.head]!;
      this.removeSorted(old);
      this.ring[this.head] = value;
      this.head = (this.head + 1) % this.window;
      this.insertSorted(value, this.count - 1);
    } else {
      this.ring[(this.head + this.count) % this.window] = value;
      this.insertSorted(value, this.count);
      this.count++;
    }
  }

  /** Median of the held values (mean of the two middle ones for an even count); NaN when empty. */
  median(): number {
    const n = this.count;
    if (n === 0) return Number.NaN;
    const mid = n >> 1;
    return n % 2 === 1 ? this.sorted[mid]! : (this.sorted[mid - 1]! + this.sorted[mid]!) / 2;
  }

  clear(): void {
    this.count = 0;
    this.head = 0;
  }

  toState(): number[] {
    return [this.count, this.head, ...this.sorted, ...this.ring];
  }

  loadState(s: number[]): void {
    [this.count, this.head] = s as [number, number];
    this.sorted.set(s.slice(2, 2 + this.window));
    this.ring.set(s.slice(2 + this.window, 2 + 2 * this.window));
  }

  private lowerBound(value: number, n: number): number {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (this.sorted[m]! < value) lo = m + 1;
      else hi = m;
    }
    return lo;
  }

  private insertSorted(value: number, n: number): void {
    const at = this.lowerBound(value, n);
    this.sorted.copyWithin(at + 1, at, n);
    this.sorted[at] = value;
  }

  private removeSorted(value: number): void {
    const n = this.count;
    const at = this.lowerBound(value, n);
    this.sorted.copyWithin(at, at + 1, n);
  }
}
