// The live bus on Redis (SPEC §8 keys): signal and state hashes, the signals channel, heartbeat, ops flags, reload.
import { Redis } from 'ioredis';
import type { createLogger } from '../../core/logger.js';
import { PtError } from '../../core/ptError.js';
import type { DrawdownMirror, HeartbeatDetails, LiveBus, LiveStateValue, OpsFlags } from '../../ports/liveBus.js';
import { drawdownField, mergeDrawdownMirror } from '../../ops/flags/drawdownMirror.js';
import { OpsFlagsKeeper } from '../../ops/flags/opsFlagsFrom.js';
import { OPS_FLAG_FIELDS, opsFlagsFields, opsFlagsWritten } from '../../ops/flags/opsFlagsFields.js';
import { redactUrl } from './redisHashStore.js';

export interface RedisLiveBusOptions {
  /** REDIS_URL. Only its redacted form is ever logged or put in an error. */
  url: string;
  /** signals_policy.redis_key_prefix (`core`). */
  prefix: string;
  /** signals_policy.heartbeat_interval_seconds: the heartbeat key lives 3 intervals. */
  heartbeatIntervalSeconds: number;
  log?: ReturnType<typeof createLogger>;
  /** How long open() waits for the first connection (it returns either way). Default 1000. */
  connectTimeoutMs?: number;
  /** A command that gets no answer within this fails (a hung server must not stall a bar). Default 1000. */
  commandTimeoutMs?: number;
  /** Reconnect backoff: first delay, doubling up to max. Defaults 100 and 5000 ms. */
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
}

/**
 * Every command fails fast while the connection is down (no offline queue, no resend): the caller,
 * FailoverLiveBus, writes to files instead, while ioredis reconnects in the background with backoff.
 * Failures are thrown as OPS_REDIS_CONNFAIL with the redacted URL.
 */
export class RedisLiveBus implements LiveBus {
  private readonly client: Redis;
  private readonly where: string;
  private readonly password: string;
  private readonly prefix: string;
  private readonly heartbeatTtlSeconds: number;
  private readonly flags: OpsFlagsKeeper;
  private generation = 0;
  private reloadSeen: string | undefined;

  private constructor(client: Redis, options: RedisLiveBusOptions) {
    this.client = client;
    this.where = redactUrl(options.url);
    this.password = passwordOf(options.url);
    this.prefix = options.prefix;
    this.heartbeatTtlSeconds = Math.max(1, Math.ceil(3 * options.heartbeatIntervalSeconds));
    this.flags = new OpsFlagsKeeper(`${this.prefix}:ops:flags`, options.log);
    client.on('ready', () => {
      this.generation++;
    });
    client.on('error', () => {
      /* surfaced through the failing command; ioredis keeps reconnecting */
    });
  }

  /** Connects, waiting at most connectTimeoutMs; never throws: a bus that is down fails its commands. */
  static async open(options: RedisLiveBusOptions): Promise<RedisLiveBus> {
    const initial = options.reconnectInitialMs ?? 100;
    const max = options.reconnectMaxMs ?? 5000;
    const client = new Redis(options.url, {
      lazyConnect: true,
      connectTimeout: options.connectTimeoutMs ?? 1000,
      commandTimeout: options.commandTimeoutMs ?? 1000,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times: number) => Math.min(max, initial * 2 ** Math.min(20, times - 1)),
    });
    const bus = new RedisLiveBus(client, options);
    await client.connect().catch(() => undefined);
    return bus;
  }

  /** Counts successful (re)connections: a change means the server may have restarted empty. */
  connectionGeneration(): number {
    return this.generation;
  }

  async publishSignal(pairId: string, entry: object): Promise<void> {
    const key = `${this.prefix}:signals:${pairId}`;
    const tx = this.client.multi().del(key);
    const fields = hashFieldsOf(entry);
    if (Object.keys(fields).length > 0) tx.hset(key, fields);
    tx.publish(`${this.prefix}:signals`, JSON.stringify(entry));
    await this.exec(tx, 'publishSignal');
  }

  async writeState(pairId: string, state: Record<string, LiveStateValue>): Promise<void> {
    const key = `${this.prefix}:state:${pairId}`;
    const tx = this.client.multi().del(key);
    const fields = hashFieldsOf(state);
    if (Object.keys(fields).length > 0) tx.hset(key, fields);
    await this.exec(tx, 'writeState');
  }

  async heartbeat(shard: number, details?: HeartbeatDetails): Promise<void> {
    const value = JSON.stringify({ shard, pid: process.pid, ts: new Date().toISOString(), ...details });
    await this.run('heartbeat', () =>
      this.client.set(`${this.prefix}:heartbeat:shard:${shard}`, value, 'EX', this.heartbeatTtlSeconds),
    );
  }

  async readOpsFlags(): Promise<OpsFlags> {
    return (await this.readOpsFlagsRecord()).flags;
  }

  /** The flags, and whether the hash holds any field pt ops writes (none: never written, or a server that restarted empty). */
  async readOpsFlagsRecord(): Promise<{ flags: OpsFlags; written: boolean }> {
    let raw: Record<string, string>;
    try {
      raw = await this.client.hgetall(`${this.prefix}:ops:flags`);
    } catch (e) {
      // A key of the wrong type is a bad flag, not an outage.
      if (e instanceof Error && e.message.startsWith('WRONGTYPE'))
        return { flags: this.flags.reject('the key is not a hash'), written: true };
      throw this.failure('readOpsFlags', e);
    }
    return { flags: this.flags.accept(raw), written: opsFlagsWritten(raw) };
  }

  /**
   * Writes every field pt ops writes (the DD mirror fields stay). `onlyIfUnwritten`: only while the
   * hash still holds none of them (WATCH), so a pt ops change made meanwhile wins; false when not written.
   */
  async writeOpsFlags(flags: OpsFlags, o: { onlyIfUnwritten: boolean }): Promise<boolean> {
    const key = `${this.prefix}:ops:flags`;
    const fields = hashFieldsOf(opsFlagsFields(flags));
    if (!o.onlyIfUnwritten) {
      await this.run('writeOpsFlags', () => this.client.hset(key, fields));
      return true;
    }
    await this.run('writeOpsFlags', () => this.client.watch(key));
    const present = await this.run('writeOpsFlags', () => this.client.hmget(key, ...OPS_FLAG_FIELDS));
    if (present.some((v) => v !== null)) {
      await this.client.unwatch().catch(() => undefined);
      return false;
    }
    const result = await this.run('writeOpsFlags', () => this.client.multi().hset(key, fields).exec());
    return result !== null;
  }

  /** One field of the flags hash; only this shard writes it, so no transaction is needed. */
  async mirrorDrawdown(mirror: DrawdownMirror): Promise<void> {
    const key = `${this.prefix}:ops:flags`;
    const field = drawdownField(mirror.shard);
    const previous = await this.run('mirrorDrawdown', () => this.client.hget(key, field));
    const merged = mergeDrawdownMirror(previous ?? undefined, mirror);
    await this.run('mirrorDrawdown', () => this.client.hset(key, field, JSON.stringify(merged)));
  }

  /**
   * True when `core:ops:reload` is set to a new value since the previous call (pt ops sets it to a new value, e.g.
   * INCR or a timestamp). It is not deleted: every shard sees one request. The first call only
   * notes the value: a starting process loads everything anyway.
   */
  async takeReload(): Promise<boolean> {
    const value = (await this.run('takeReload', () => this.client.get(`${this.prefix}:ops:reload`))) ?? '';
    const changed = value !== '' && this.reloadSeen !== undefined && value !== this.reloadSeen;
    this.reloadSeen = value;
    return changed;
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  private async exec(tx: ReturnType<Redis['multi']>, op: string): Promise<unknown[]> {
    const results = await this.run(op, () => tx.exec());
    if (results === null) throw this.failure(op, new Error('transaction aborted'));
    const values: unknown[] = [];
    for (const [err, value] of results) {
      if (err) throw this.failure(op, err);
      values.push(value);
    }
    return values;
  }

  private async run<T>(op: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (e) {
      throw this.failure(op, e);
    }
  }

  private failure(op: string, cause: unknown): PtError {
    let reason = cause instanceof Error ? cause.message : String(cause);
    if (this.password !== '') reason = reason.split(this.password).join('***');
    return new PtError('OPS_REDIS_CONNFAIL', `Redis at ${this.where} failed ${op}: ${reason}`, {
      source: 'redis',
      details: { op, where: this.where },
    });
  }
}

/** Strings as they are, everything else (numbers, booleans, null, nested objects) as JSON. */
export function hashFieldsOf(record: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) {
    if (v === undefined) continue;
    out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
