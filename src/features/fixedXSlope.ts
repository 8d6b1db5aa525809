// OLS slope of the last n values against x = 0..n-1 (x = n-1 the newest). The window is fixed and
// small (SPEC §2: 20), so the slope is computed exactly each time by two passes over the ring
// (mean, then Σ(k − x̄)(y − ȳ)): 2n flops, no drift to control, and no cancellation when the true
// slope is near zero — an incremental Σk·y loses digits exactly there.

export class FixedXSlope {
  readonly n: number;
  private readonly ring: Float64Array;
  private readonly sxx: number;
  private count = 0;
  private head = 0;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 2) throw new RangeError(`invalid slope window ${n}`);
    this.n = n;
    this.ring = new Float64Array(n);
    this.sxx = (n * (n * n - 1)) / 12;
  }

  get full(): boolean {
    return this.count === this.n;
  }

  push(value: number): void {
    if (this.count < this.n) {
      this.ring[(this.head + this.count) % this.n] = value;
      this.count++;
      return;
    }
    this.ring[this.head] = value;
    this.head = (this.head + 1) % this.n;
  }

  /** The slope once n values are held, else NaN. */
  slope(): number {
    const n = this.n;
    if (this.count < n) return Number.NaN;
    let mean = 0;
    for (let k = 0; k < n; k++) mean += this.ring[k]!;
    mean /= n;
    const xMean = (n - 1) / 2;
    let sxy = 0;
    for (let k = 0; k < n; k++) sxy += (k - xMean) * (this.ring[(this.head + k) % n]! - mean);
    return sxy / this.sxx;
  }

  toState(): number[] {
    return [this.count, this.head, ...this.ring];
  }

  loadState(s: number[]): void {
    [this.count, this.head] = s as [number, number];
    this.ring.set(s.slice(2, 2 + this.n));
  }
}
