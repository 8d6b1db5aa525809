// Rolling OLS of y on x over the last `window` pairs: means, (co)variances (ddof = 1), slope,
// intercept and Pearson correlation in O(1) per update. Sums are taken around a shift (the first
// pair, then the window mean at each exact recomputation every `recomputeEvery` updates), which
// keeps cancellation small for log prices far from zero and bounds drift (SPEC §2).

export class RollingRegression {
  readonly window: number;
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  private readonly recomputeEvery: number;
  private count = 0;
  private head = 0;
  private shiftX = Number.NaN;
  private shiftY = Number.NaN;
  private sx = 0;
  private sy = 0;
  private sxx = 0;
  private sxy = 0;
  private syy = 0;
  private sinceRecompute = 0;

  constructor(window: number, recomputeEvery = 2048) {
    if (!Number.isInteger(window) || window < 2) throw new RangeError(`invalid window ${window}`);
    this.window = window;
    this.xs = new Float64Array(window);
    this.ys = new Float64Array(window);
    this.recomputeEvery = recomputeEvery;
  }

  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count === this.window;
  }

  push(x: number, y: number): void {
    if (Number.isNaN(this.shiftX)) {
      this.shiftX = x;
      this.shiftY = y;
    }
    const dx = x - this.shiftX;
    const dy = y - this.shiftY;
    if (this.count === this.window) {
      const ox = this.xs[this.head]! - this.shiftX;
      const oy = this.ys[this.head]! - this.shiftY;
      this.xs[this.head] = x;
      this.ys[this.head] = y;
      this.head = (this.head + 1) % this.window;
      this.sx += dx - ox;
      this.sy += dy - oy;
      this.sxx += dx * dx - ox * ox;
      this.sxy += dx * dy - ox * oy;
      this.syy += dy * dy - oy * oy;
    } else {
      const at = (this.head + this.count) % this.window;
      this.xs[at] = x;
      this.ys[at] = y;
      this.count++;
      this.sx += dx;
      this.sy += dy;
      this.sxx += dx * dx;
      this.sxy += dx * dy;
      this.syy += dy * dy;
    }
    if (++this.sinceRecompute >= this.recomputeEvery) this.recompute();
  }

  meanX(): number {
    return this.shiftX + this.sx / this.count;
  }

  meanY(): number {
    return this.shiftY + this.sy / this.count;
  }

  /** Σ(x - x̄)², Σ(x - x̄)(y - ȳ), Σ(y - ȳ)² over the window. */
  private centred(): [number, number, number] {
    const n = this.count;
    const cxx = this.sxx - (this.sx * this.sx) / n;
    const cxy = this.sxy - (this.sx * this.sy) / n;
    const cyy = this.syy - (this.sy * this.sy) / n;
    return [cxx > 0 ? cxx : 0, cxy, cyy > 0 ? cyy : 0];
  }

  varianceX(): number {
    return this.count < 2 ? Number.NaN : this.centred()[0] / (this.count - 1);
  }

  varianceY(): number {
    return this.count < 2 ? Number.NaN : this.centred()[2] / (this.count - 1);
  }

  covariance(): number {
    return this.count < 2 ? Number.NaN : this.centred()[1] / (this.count - 1);
  }

  /** OLS slope of y on x; NaN when x has no variance. */
  slope(): number {
    const [cxx, cxy] = this.centred();
    return cxx > 0 ? cxy / cxx : Number.NaN;
  }

  intercept(): number {
    return this.meanY() - this.slope() * this.meanX();
  }

  /** Std (ddof 1) of the OLS residuals: Σe² = Σ(y−ȳ)² − (Σ(x−x̄)(y−ȳ))²/Σ(x−x̄)², and their mean is 0. */
  residualStd(): number {
    const [cxx, cxy, cyy] = this.centred();
    if (!(cxx > 0) || this.count < 2) return Number.NaN;
    const sse = cyy - (cxy * cxy) / cxx;
    return Math.sqrt((sse > 0 ? sse : 0) / (this.count - 1));
  }

  /** Pearson correlation; NaN when either side has no variance. */
  correlation(): number {
    const [cxx, cxy, cyy] = this.centred();
    const d = Math.sqrt(cxx * cyy);
    if (!(d > 0)) return Number.NaN;
    const r = cxy / d;
    return r > 1 ? 1 : r < -1 ? -1 : r;
  }

  /**
   * The window's x and y values in ring order (not time order): enough for order-free statistics
   * such as residual medians and weighted refits, without copying. Read-only for callers.
   */
  get ringX(): Float64Array {
    return this.xs;
  }

  get ringY(): Float64Array {
    return this.ys;
  }

  /** Copies the window, oldest first, into `x` and `y` (length >= size); returns the count. */
  copyWindow(x: Float64Array, y: Float64Array): number {
    for (let i = 0; i < this.count; i++) {
      const j = (this.head + i) % this.window;
      x[i] = this.xs[j]!;
      y[i] = this.ys[j]!;
    }
    return this.count;
  }

  private recompute(): void {
    this.sinceRecompute = 0;
    const n = this.count;
    let mx = 0;
    let my = 0;
    for (let i = 0; i < n; i++) {
      mx += this.xs[i]!;
      my += this.ys[i]!;
    }
    this.shiftX = mx / n;
    this.shiftY = my / n;
    let sx = 0,
      sy = 0,
      sxx = 0,
      sxy = 0,
      syy = 0;
    for (let i = 0; i < n; i++) {
      const dx = this.xs[i]! - this.shiftX;
      const dy = this.ys[i]! - this.shiftY;
      sx += dx;
      sy += dy;
      sxx += dx * dx;
      sxy += dx * dy;
      syy += dy * dy;
    }
    this.sx = sx;
    this.sy = sy;
    this.sxx = sxx;
    this.sxy = sxy;
    this.syy = syy;
  }

  toState(): number[] {
    return [
      this.count,
      this.head,
      this.shiftX,
      this.shiftY,
      this.sx,
      this.sy,
      this.sxx,
      this.sxy,
      this.syy,
      this.sinceRecompute,
      ...this.xs,
      ...this.ys,
    ];
  }

  loadState(s: number[]): void {
    [
      this.count,
      this.head,
      this.shiftX,
      this.shiftY,
      this.sx,
      this.sy,
      this.sxx,
      this.sxy,
      this.syy,
      this.sinceRecompute,
    ] = s as [number, number, number, number, number, number, number, number, number, number];
    this.xs.set(s.slice(10, 10 + this.window));
    this.ys.set(s.slice(10 + this.window, 10 + 2 * this.window));
  }
}
