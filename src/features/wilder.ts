// Wilder smoothing of period n (SPEC §2): the mean of the first n inputs, then y += (x - y) / n.

export class Wilder {
  readonly period: number;
  private count = 0;
  private sum = 0;
  private value = Number.NaN;

  constructor(period: number) {
    if (!Number.isInteger(period) || period < 1) throw new RangeError(`invalid Wilder period ${period}`);
    this.period = period;
  }

  /** Adds x (NaN is skipped) and returns the smoothed value, NaN until n inputs were seen. */
  push(x: number): number {
    if (Number.isNaN(x)) return this.value;
    if (this.count < this.period) {
      this.sum += x;
      this.count++;
      if (this.count === this.period) this.value = this.sum / this.period;
      return this.value;
    }
    this.value += (x - this.value) / this.period;
    return this.value;
  }

  get current(): number {
    return this.value;
  }

  toState(): number[] {
    return [this.count, this.sum, this.value];
  }

  loadState(state: number[]): void {
    [this.count, this.sum, this.value] = state as [number, number, number];
  }
}
