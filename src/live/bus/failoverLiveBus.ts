// Redis first, files while it is down: the live loop never stops for Redis, and Redis catches up when it returns.
import type { createLogger } from '../../core/logger.js';
import { logPtError } from '../../core/logger.js';
import { PtError, isPtError } from '../../core/ptError.js';
import { describeHalts } from '../../ops/opsCommands.js';
import { sameOpsFlags, stricterOpsFlags } from '../../ops/flags/stricterOpsFlags.js';
import {
  DEFAULT_OPS_FLAGS,
  type DrawdownMirror,
  type HeartbeatDetails,
  type LiveBus,
  type LiveStateValue,
  type OpsFlags,
} from '../../ports/liveBus.js';

type Log = ReturnType<typeof createLogger>;

/** The primary (Redis): it can tell it reconnected (it counts its `ready` events), and reads and writes the flags whole. */
export interface FailoverPrimary extends LiveBus {
  connectionGeneration?(): number;
  /** `written`: the record holds a field pt ops writes (none: never written, or a server that restarted empty). */
  readOpsFlagsRecord(): Promise<{ flags: OpsFlags; written: boolean }>;
  /** False when `onlyIfUnwritten` and a field was there (someone wrote first). */
  writeOpsFlags(flags: OpsFlags, o: { onlyIfUnwritten: boolean }): Promise<boolean>;
}

/** The fallback (the ops files): flags.json read with whether a person edited it since the last mirror, and the mirror. */
export interface FailoverFallback extends LiveBus {
  readOpsFlagsRecord(): Promise<{ flags: OpsFlags; written: boolean; edited: boolean }>;
  mirrorOpsFlags(flags: OpsFlags, atMs: number): Promise<void>;
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
  /** The flags last in force from the primary (after any restore or promotion): never loosened by an outage. */
  private knownFlags: OpsFlags | undefined;
  /** Whether the flags were reconciled with flags.json since start, the last outage and the last reconnection. */
  private flagsChecked = false;
  private flagsGeneration: number | undefined;
  private mirroredFlags: OpsFlags | undefined;
  private mirrorFailureLogged = false;
  private fallbackFlagsLogged = false;

  constructor(
    private readonly primary: FailoverPrimary,
    private readonly fallback: FailoverFallback,
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

  /** See docs/live.md, "Ops flags and Redis outages": an outage or a restarted, empty Redis never lifts a halt. */
  async readOpsFlags(): Promise<OpsFlags> {
    return this.route(
      () => this.flagsFromPrimary(),
      () => this.flagsFromFiles(),
    );
  }

  /**
   * Redis's flags, reconciled with flags.json at start, after an outage or a reconnection, and whenever
   * the hash holds no pt ops field: a hash that lost its fields gets back the flags last in force (or
   * the mirror in flags.json after a restart of the shard); halts a person wrote into flags.json
   * (edited since the last mirror) are added to Redis's. Then flags.json mirrors what is in force.
   */
  private async flagsFromPrimary(): Promise<OpsFlags> {
    const generation = this.primary.connectionGeneration?.();
    const redis = await this.primary.readOpsFlagsRecord();
    let flags = redis.flags;
    if (this.down || !this.flagsChecked || generation !== this.flagsGeneration || !redis.written) {
      const files = await this.fallback.readOpsFlagsRecord().catch(() => undefined);
      const fromFiles = files?.written ? files.flags : DEFAULT_OPS_FLAGS;
      const target = redis.written
        ? files?.edited
          ? stricterOpsFlags(redis.flags, files.flags)
          : redis.flags
        : stricterOpsFlags(this.knownFlags ?? DEFAULT_OPS_FLAGS, fromFiles);
      if (!sameOpsFlags(target, redis.flags)) {
        if (await this.primary.writeOpsFlags(target, { onlyIfUnwritten: !redis.written })) {
          this.log?.warn(
            {
              event: redis.written ? 'ops_flags_promoted' : 'ops_flags_restored',
              details: {
                redis: describeHalts(redis.flags),
                in_force: describeHalts(target),
                leverage: target.leverageScale,
              },
            },
            redis.written
              ? 'flags.json was edited while Redis was away: its halts are added to the Redis flags'
              : 'the Redis ops flags were empty (a restarted server?): the flags last in force are written back; pt ops resume lifts them',
          );
          flags = target;
        } else flags = (await this.primary.readOpsFlagsRecord()).flags;
      }
      this.flagsChecked = true;
      this.flagsGeneration = generation;
    }
    this.knownFlags = flags;
    await this.mirror(flags);
    return flags;
  }

  /** While Redis is away: the stricter of the flags last in force from Redis and flags.json. */
  private async flagsFromFiles(): Promise<OpsFlags> {
    const files = await this.fallback.readOpsFlagsRecord();
    const flags = this.knownFlags ? stricterOpsFlags(this.knownFlags, files.flags) : files.flags;
    if (!this.fallbackFlagsLogged) {
      this.fallbackFlagsLogged = true;
      this.log?.warn(
        {
          event: 'ops_flags_from_files',
          details: {
            redis_last: this.knownFlags ? describeHalts(this.knownFlags) : 'never read',
            files: describeHalts(files.flags),
            in_force: describeHalts(flags),
          },
        },
        'Redis is away: the ops flags in force are the stricter of its last flags and flags.json',
      );
    }
    return flags;
  }

  /** flags.json follows Redis's flags, so a shard started during an outage has them; a failed write is logged once. */
  private async mirror(flags: OpsFlags): Promise<void> {
    if (this.mirroredFlags && sameOpsFlags(flags, this.mirroredFlags)) return;
    try {
      await this.fallback.mirrorOpsFlags(flags, this.now());
      this.mirroredFlags = flags;
    } catch (e) {
      if (this.mirrorFailureLogged || !this.log) return;
      this.mirrorFailureLogged = true;
      this.log.warn(
        { event: 'ops_flags_mirror_failed', details: { reason: e instanceof Error ? e.message : String(e) } },
        'the Redis ops flags could not be copied into flags.json; an outage will use the last copy there',
      );
    }
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
      this.fallbackFlagsLogged = false;
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
