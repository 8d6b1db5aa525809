// OLS slope of the last n values against x = 0..n-1 (x = n-1 the newest), O(1) per update:
// S0 = Σy and S1 = Σk·y slide as S1' = S1 − (S0 − y_old) + (n−1)·y_new, recomputed exactly now and then.
// Values are taken relative to a shift (the first value, then the window mean at each recomputation):
// the slope does not change, and the sums stay small, so little cancels.

export class FixedXSlope {
  readonly n: number;
  private readonly ring: Float64Array;
  private readonly sxx: number;
  private readonly recomputeEvery: number;
  private count = 0;
  private head = 0;
  private s0 = 0;
  private s1 = 0;
  private shift = Number.NaN;
  private sinceRecompute = 0;

  constructor(n: number, recomputeEvery = 2048) {
    if (!Number.isInteger(n) || n < 2) throw new RangeError(`invalid slope window ${n}`);
    this.n = n;
    this.ring = new Float64Array(n);
    this.sxx = (n * (n * n - 1)) / 12;
    this.recomputeEvery = recomputeEvery;
  }

  get full(): boolean {
    return this.count === this.n;
  }

  push(value: number): void {
    if (Number.isNaN(this.shift)) this.shift = value;
    const y = value - this.shift;
    if (this.count < this.n) {
      this.ring[(this.head + this.count) % this.n] = value;
      this.s1 += this.count * y;
      this.s0 += y;
      this.count++;
      return;
    }
    const old = this.ring[this.head]! - this.shift;
    this.ring[this.head] = value;
    this.head = (this.head + 1) % this.n;
    this.s1 = this.s1 - (this.s0 - old) + (this.n - 1) * y;
    this.s0 = this.s0 - old + y;
    if (++this.sinceRecompute >= this.recomputeEvery) this.recompute();
  }

  /** The slope once n values are held, else NaN. */
  slope(): number {
    if (this.count < this.n) return Number.NaN;
    const xMean = (this.n - 1) / 2;
    return (this.s1 - xMean * this.s0) / this.sxx;
  }

  private recompute(): void {
    this.sinceRecompute = 0;
    let mean = 0;
    for (let k = 0; k < this.n; k++) mean += this.ring[k]!;
    this.shift = mean / this.n;
    let s0 = 0;
    let s1 = 0;
    for (let k = 0; k < this.n; k++) {
      const y = this.ring[(this.head + k) % this.n]! - this.shift;
      s0 += y;
      s1 += k * y;
    }
    this.s0 = s0;
    this.s1 = s1;
  }

  toState(): number[] {
    return [this.count, this.head, this.s0, this.s1, this.shift, this.sinceRecompute, ...this.ring];
  }

  loadState(s: number[]): void {
    [this.count, this.head, this.s0, this.s1, this.shift, this.sinceRecompute] = s as [number, number, number, number, number, number];
    this.ring.set(s.slice(6, 6 + this.n));
  }
}
