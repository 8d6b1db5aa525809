// Circuit breaker per source × timeframe: closed → open after N consecutive failures → half-open trial → closed.
import { PtError } from '../../core/ptError.js';
import { metrics as defaultMetrics, type PtMetrics } from '../../observability/metrics.js';
import type { Now } from './clock.js';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  source: string;
  timeframe: string;
  /** circuit_breaker.open_threshold_errors */
  openThresholdErrors: number;
  /** circuit_breaker.half_open_after_seconds × 1000 */
  halfOpenAfterMs: number;
  now?: Now;
  metrics?: Pick<PtMetrics, 'circuitOpen'>;
  /** Whether an error counts towards opening; every error does unless said. */
  countsAsFailure?: (err: unknown) => boolean;
}

export class CircuitBreaker {
  readonly source: string;
  readonly timeframe: string;
  private readonly threshold: number;
  private readonly halfOpenAfterMs: number;
  private readonly now: Now;
  private readonly m: Pick<PtMetrics, 'circuitOpen'>;
  private readonly countsAsFailure: (err: unknown) => boolean;
  private current: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;

  constructor(options: CircuitBreakerOptions) {
    this.source = options.source;
    this.timeframe = options.timeframe;
    this.threshold = Math.max(1, options.openThresholdErrors);
    this.halfOpenAfterMs = options.halfOpenAfterMs;
    this.now = options.now ?? Date.now;
    this.m = options.metrics ?? defaultMetrics;
    this.countsAsFailure = options.countsAsFailure ?? (() => true);
    this.m.circuitOpen.set(this.labels(), 0);
  }

  private labels() {
    return { source: this.source, timeframe: this.timeframe };
  }

  /** The state now; an open circuit whose wait has passed reads as half-open. */
  state(): CircuitState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.halfOpenAfterMs) this.current = 'half_open';
    return this.current;
  }

  consecutiveFailures(): number {
    return this.failures;
  }

  /** True when a call would be let through now (closed, or half-open with no trial running). */
  canAttempt(): boolean {
    const s = this.state();
    return s === 'closed' || (s === 'half_open' && !this.trialInFlight);
  }

  /** Runs `fn` through the breaker; fails at once with DATA_API_CIRCUIT while open. */
  async execute<T>(fn: () => Promise<T>): Promise<T> {
    const s = this.state();
    if (s === 'open' || (s === 'half_open' && this.trialInFlight)) {
      const retryInS = Math.max(0, Math.ceil((this.openedAt + this.halfOpenAfterMs - this.now()) / 1000));
      throw new PtError(
        'DATA_API_CIRCUIT',
        `circuit open for ${this.source} × ${this.timeframe} after ${this.failures} consecutive failures (trial in ${retryInS}s)`,
        {
          source: this.source,
          details: { timeframe: this.timeframe, state: s, retryable: false },
        },
      );
    }
    const trial = s === 'half_open';
    if (trial) this.trialInFlight = true;
    try {
      const result = await fn();
      this.onSuccess();
      return result;
    } catch (error) {
      if (this.countsAsFailure(error)) this.onFailure(trial);
      else if (trial) this.trialInFlight = false;
      throw error;
    }
  }

  private onSuccess(): void {
    this.failures = 0;
    this.trialInFlight = false;
    if (this.current !== 'closed') {
      this.current = 'closed';
      this.m.circuitOpen.set(this.labels(), 0);
    }
  }

  private onFailure(trial: boolean): void {
    this.failures++;
    this.trialInFlight = false;
    if (trial || this.failures >= this.threshold) {
      this.current = 'open';
      this.openedAt = this.now();
      this.m.circuitOpen.set(this.labels(), 1);
    }
  }
}

/** One breaker per `source × timeframe`, created on first use with shared settings. */
export class CircuitBreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(private readonly settings: Omit<CircuitBreakerOptions, 'source' | 'timeframe'>) {}

  get(source: string, timeframe: string): CircuitBreaker {
    const key = `${source}\u0000${timeframe}`;
    let b = this.breakers.get(key);
    if (!b) {
      b = new CircuitBreaker({ ...this.settings, source, timeframe });
      this.breakers.set(key, b);
    }
    return b;
  }
}
