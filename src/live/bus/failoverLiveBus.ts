// Redis first, files while it is down: the live loop never stops for Redis, and Redis catches up when it returns.
import type { createLogger } from '../../core/logger.js';
import { logPtError } from '../../core/logger.js';
import { PtError, isPtError } from '../../core/ptError.js';
import type { DrawdownMirror, HeartbeatDetails, LiveBus, LiveStateValue, OpsFlags } from '../../ports/liveBus.js';

type Log = ReturnType<typeof createLogger>;

/** A primary that can tell it reconnected (the Redis adapter counts its `ready` events). */
export interface FailoverPrimary extends LiveBus {
  connectionGeneration?(): number;
}

export interface FailoverLiveBusOptions {
  log?: Log;
  now?: () => number;
  /** While the primary is down, it is tried again after this delay, doubling up to max. Defaults 500 and 30000 ms. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** Called on every failed primary call (the core_redis_errors_total counter). */
  onPrimaryError?: () => void;
}

export interface FailoverStatus {
  primary: 'up' | 'down';
  /** Outages begun since start. */
  outages: number;
  /** Primary calls that failed. */
  primaryErrors: number;
  /** Calls served by the fallback during the current or last outage. */
  divertedCalls: number;
}

/**
 * Every call goes to the primary; a failing call (any error of the primary) goes to the fallback
 * instead and starts an outage: one WARNING line (OPS_REDIS_CONNFAIL), then the fallback serves
 * every call until the next retry is due (backoff), so a dead server costs one failed call per
 * retry, not one per bar. The first call that succeeds again ends the outage (one INFO line) and
 * re-writes the latest signal and state of every pair into the primary (resync); so does a
 * reconnection the primary reports between calls (a restarted, empty server). Errors of the
 * fallback itself (a full disk) reach the caller: there is nowhere left to write.
 * `takeReload` asks both, so a request left in either is seen.
 */
export class FailoverLiveBus implements LiveBus {
  private readonly log?: Log;
  private readonly now: () => number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly onPrimaryError?: () => void;

  private down = false;
  private downSinceMs = 0;
  private nextTryMs = 0;
  private retryDelayMs: number;
  private outages = 0;
  private primaryErrors = 0;
  private divertedCalls = 0;
  private generationSeen: number | undefined;
  private readonly latestSignals = new Map<string, object>();
  private readonly latestStates = new Map<string, Record<string, LiveStateValue>>();

  constructor(
    private readonly primary: FailoverPrimary,
    private readonly fallback: LiveBus,
    options: FailoverLiveBusOptions = {},
  ) {
    this.log = options.log;
    this.now = options.now ?? Date.now;
    this.retryInitialMs = options.retryInitialMs ?? 500;
    this.retryMaxMs = options.retryMaxMs ?? 30_000;
    this.retryDelayMs = this.retryInitialMs;
    this.onPrimaryError = options.onPrimaryError;
  }

  status(): FailoverStatus {
    return {
      primary: this.down ? 'down' : 'up',
      outages: this.outages,
      primaryErrors: this.primaryErrors,
      divertedCalls: this.divertedCalls,
    };
  }

  async publishSignal(pairId: string, entry: object): Promise<void> {
    this.latestSignals.set(pairId, entry);
    await this.route(
      () => this.primary.publishSignal(pairId, entry),
      () => this.fallback.publishSignal(pairId, entry),
    );
  }

  async writeState(pairId: string, state: Record<string, LiveStateValue>): Promise<void> {
    this.latestStates.set(pairId, state);
    await this.route(
      () => this.primary.writeState(pairId, state),
      () => this.fallback.writeState(pairId, state),
    );
  }

  async heartbeat(shard: number, details?: HeartbeatDetails): Promise<void> {
    await this.route(
      () => this.primary.heartbeat(shard, details),
      () => this.fallback.heartbeat(shard, details),
    );
  }

  async readOpsFlags(): Promise<OpsFlags> {
    return this.route(
      () => this.primary.readOpsFlags(),
      () => this.fallback.readOpsFlags(),
    );
  }

  async mirrorDrawdown(mirror: DrawdownMirror): Promise<void> {
    await this.route(
      () => this.primary.mirrorDrawdown(mirror),
      () => this.fallback.mirrorDrawdown(mirror),
    );
  }

  async takeReload(): Promise<boolean> {
    const fromPrimary = await this.route(
      () => this.primary.takeReload(),
      async () => false,
    );
    const fromFallback = await this.fallback.takeReload();
    return fromPrimary || fromFallback;
  }

  async close(): Promise<void> {
    await this.primary.close().catch(() => undefined);
    await this.fallback.close();
  }

  private async route<T>(onPrimary: () => Promise<T>, onFallback: () => Promise<T>): Promise<T> {
    if (this.down && this.now() < this.nextTryMs) return this.divert(onFallback);
    let result: T;
    try {
      result = await onPrimary();
    } catch (e) {
      this.noteFailure(e);
      return this.divert(onFallback);
    }
    const generation = this.primary.connectionGeneration?.();
    const reconnected =
      generation !== undefined && this.generationSeen !== undefined && generation !== this.generationSeen;
    this.generationSeen = generation;
    if (this.down) await this.recover();
    else if (reconnected) await this.resync().catch((e: unknown) => this.noteFailure(e));
    return result;
  }

  private async divert<T>(onFallback: () => Promise<T>): Promise<T> {
    if (this.down) this.divertedCalls++;
    return onFallback();
  }

  private noteFailure(e: unknown): void {
    this.primaryErrors++;
    this.onPrimaryError?.();
    const now = this.now();
    if (!this.down) {
      this.down = true;
      this.outages++;
      this.downSinceMs = now;
      this.divertedCalls = 0;
      this.retryDelayMs = this.retryInitialMs;
      if (this.log) {
        const error = isPtError(e)
          ? e
          : new PtError('OPS_REDIS_CONNFAIL', 'the shared bus failed; writing to files until it answers', {
              source: 'redis',
            });
        logPtError(this.log, 'warn', 'redis_outage_start', error);
      }
    }
    this.nextTryMs = now + this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryMaxMs, this.retryDelayMs * 2);
  }

  private async recover(): Promise<void> {
    this.down = false;
    try {
      await this.resync();
    } catch (e) {
      this.noteFailure(e);
      return;
    }
    this.log?.info(
      {
        event: 'redis_outage_end',
        details: {
          outage_ms: this.now() - this.downSinceMs,
          diverted_calls: this.divertedCalls,
          resynced_pairs: this.latestSignals.size,
          outages: this.outages,
        },
      },
      'the shared bus answers again; latest signals and states re-written',
    );
  }

  /** Re-writes the latest signal (published again: subscribers skip a signal_id they know) and state of every pair. */
  private async resync(): Promise<void> {
    for (const [pairId, entry] of this.latestSignals) await this.primary.publishSignal(pairId, entry);
    for (const [pairId, state] of this.latestStates) await this.primary.writeState(pairId, state);
  }
}
