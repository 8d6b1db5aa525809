// Rolling mean and sample variance (ddof = 1) over the last `window` values, updated in O(1).
// Sums are shifted by the first value (less cancellation) and recomputed exactly every
// `recomputeEvery` updates to bound floating-point drift (SPEC §2).

export class RollingMoments {
  readonly window: number;
  private readonly ring: Float64Array;
  private readonly recomputeEvery: number;
  private count = 0;
  private head = 0;
  private shift = Number.NaN;
  private sum = 0;
  private sumSq = 0;
  private sinceRecompute = 0;

  constructor(window: number, recomputeEvery = 2048) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`invalid window ${window}`);
    this.window = window;
    this.ring = new Float64Array(window);
    this.recomputeEvery = recomputeEvery;
  }

  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count === this.window;
  }

  push(value: number): void {
    if (Number.isNaN(this.shift)) this.shift = value;
    const x = value - this.shift;
    if (this.count === this.window) {
      const old = this.ring[this.head]! - this.shift;
      this.ring[this.head] = value;
      this.head = (this.head + 1) % this.window;
      this.sum += x - old;
      this.sumSq += x * x - old * old;
    } else {
      this.ring[(this.head + this.count) % this.window] = value;
      this.count++;
      this.sum += x;
      this.sumSq += x * x;
    }
    if (++this.sinceRecompute >= this.recomputeEvery) this.recompute();
  }

  mean(): number {
    return this.count === 0 ? Number.NaN : this.shift + this.sum / this.count;
  }

  /** Sample variance (ddof = 1); NaN below two values; never negative. */
  variance(): number {
    const n = this.count;
    if (n < 2) return Number.NaN;
    const v = (this.sumSq - (this.sum * this.sum) / n) / (n - 1);
    return v > 0 ? v : 0;
  }

  std(): number {
    return Math.sqrt(this.variance());
  }

  clear(): void {
    this.count = 0;
    this.head = 0;
    this.shift = Number.NaN;
    this.sum = 0;
    this.sumSq = 0;
    this.sinceRecompute = 0;
  }

  private recompute(): void {
    this.sinceRecompute = 0;
    // Re-centre on the current mean, then sum exactly from the ring.
    const n = this.count;
    let s = 0;
    for (let i = 0; i < n; i++) s += this.ring[(this.head + i) % this.window]!;
    this.shift = s / n;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const d = this.ring[(this.head + i) % this.window]! - this.shift;
      sum += d;
      sumSq += d * d;
    }
    this.sum = sum;
    this.sumSq = sumSq;
  }

  toState(): number[] {
    return [this.count, this.head, this.shift, this.sum, this.sumSq, this.sinceRecompute, ...this.ring];
  }

  loadState(s: number[]): void {
    [this.count, this.head, this.shift, this.sum, this.sumSq, this.sinceRecompute] = s as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    this.ring.set(s.slice(6, 6 + this.window));
  }
}
