// Exponential moving average (SPEC §2): y_t = y_{t-1} + a (x_t - y_{t-1}), seeded with the first defined x.

export class Ema {
  readonly alpha: number;
  private value = Number.NaN;

  constructor(alpha: number) {
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`invalid EMA alpha ${alpha}`);
    this.alpha = alpha;
  }

  /** a = 1 - 2^(-1/h). */
  static halfLife(halfLife: number): Ema {
    return new Ema(1 - 2 ** (-1 / halfLife));
  }

  /** a = 2 / (n + 1). */
  static span(span: number): Ema {
    return new Ema(2 / (span + 1));
  }

  /** Adds x (NaN inputs before the seed are skipped) and returns the current value (NaN until seeded). */
  push(x: number): number {
    if (Number.isNaN(x)) return this.value;
    this.value = Number.isNaN(this.value) ? x : this.value + this.alpha * (x - this.value);
    return this.value;
  }

  get current(): number {
    return this.value;
  }

  toState(): number[] {
    return [this.value];
  }

  loadState(state: number[]): void {
    this.value = state[0]!;
  }
}
