// Token-bucket rate limiter for provider REST calls, sized from a provider's `rate_limits`.
import { realSleep, type Now, type Sleep } from './clock.js';

export interface TokenBucketOptions {
  /** Most tokens held at once (the allowed burst). */
  capacity: number;
  refillPerSecond: number;
  now?: Now;
  sleep?: Sleep;
}

export interface RateLimitsLike {
  rest_qps: number;
  credits_per_minute?: number;
}

export class TokenBucket {
  readonly capacity: number;
  readonly refillPerSecond: number;
  private tokens: number;
  private last: number;
  private readonly now: Now;
  private readonly sleep: Sleep;

  constructor(options: TokenBucketOptions) {
    if (!(options.capacity > 0) || !(options.refillPerSecond > 0)) {
      throw new RangeError(
        `token bucket needs capacity > 0 and refillPerSecond > 0 (got ${options.capacity}, ${options.refillPerSecond})`,
      );
    }
    this.capacity = options.capacity;
    this.refillPerSecond = options.refillPerSecond;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.tokens = options.capacity;
    this.last = this.now();
  }

  private refill(): void {
    const t = this.now();
    if (t > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.refillPerSecond);
      this.last = t;
    }
  }

  /** Tokens available now (negative while callers are waiting on reserved tokens). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /** Takes `n` tokens if they are there now; never waits. */
  tryTake(n = 1): boolean {
    this.refill();
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /**
   * Takes `n` tokens, waiting until they have refilled. The tokens are reserved synchronously
   * (the balance may go negative), so concurrent callers are served in call order and the
   * wait is right even when the clock does not move during the sleep (a fake clock in tests).
   * Returns the milliseconds waited.
   */
  async take(n = 1): Promise<number> {
    this.refill();
    this.tokens -= n;
    if (this.tokens >= 0) return 0;
    const waitMs = Math.ceil((-this.tokens / this.refillPerSecond) * 1000);
    await this.sleep(waitMs);
    return waitMs;
  }
}

/**
 * A bucket from `rate_limits`: the stricter of `rest_qps` and `credits_per_minute / 60`
 * (one credit per call) sets the refill rate; the burst is one second of that rate.
 */
export function tokenBucketFromRateLimits(
  limits: RateLimitsLike,
  deps: { now?: Now; sleep?: Sleep } = {},
): TokenBucket {
  const perSecond = Math.min(
    limits.rest_qps,
    limits.credits_per_minute !== undefined ? limits.credits_per_minute / 60 : Infinity,
  );
  return new TokenBucket({
    capacity: Math.max(1, Math.floor(perSecond)),
    refillPerSecond: perSecond,
    now: deps.now,
    sleep: deps.sleep,
  });
}
