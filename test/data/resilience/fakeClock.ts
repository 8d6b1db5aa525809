// A manual clock for resilience tests: sleep() records the wait and advances time instantly.
export class FakeClock {
  t: number;
  readonly sleeps: number[] = [];
  constructor(start = Date.UTC(2024, 2, 1, 12)) {
    this.t = start;
  }
  now = (): number => this.t;
  sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.t += ms;
  };
  advance(ms: number): void {
    this.t += ms;
  }
}
