// The live bus as files under ops_dir (data/ops/): what stands in for Redis without REDIS_URL or while it is down.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDirDurable, writeFileAtomic } from '../../core/durableFs.js';
import { fsErrorFrom } from '../../core/fsError.js';
import type { createLogger } from '../../core/logger.js';
import type { DrawdownMirror, HeartbeatDetails, LiveBus, LiveStateValue, OpsFlags } from '../../ports/liveBus.js';
import { drawdownField, mergeDrawdownMirror } from '../../ops/flags/drawdownMirror.js';
import { updateFlagsFile } from './updateFlagsFile.js';
import { OpsFlagsKeeper } from '../../ops/flags/opsFlagsFrom.js';

export interface FileLiveBusOptions {
  /** signals_policy.ops_dir, absolute or relative to the working folder. */
  opsDir: string;
  /** signals_policy.heartbeat_interval_seconds: the heartbeat file says it expires 3 intervals later. */
  heartbeatIntervalSeconds: number;
  log?: ReturnType<typeof createLogger>;
  now?: () => number;
}

/**
 * Layout: `signals/<pair>.json` (the latest entry), `state/<pair>.json`, `heartbeat_shard_<N>.json`
 * (written); `flags.json` and `reload` (read; pt ops writes them).
 * Every write is atomic (temp file, fsync, rename, fsync of the folder), so a reader sees old or new.
 */
export class FileLiveBus implements LiveBus {
  private readonly opsDir: string;
  private readonly heartbeatTtlMs: number;
  private readonly now: () => number;
  private readonly flags: OpsFlagsKeeper;
  private readonly madeDirs = new Set<string>();
  private reloadSeen: string | undefined;

  constructor(options: FileLiveBusOptions) {
    this.opsDir = options.opsDir;
    this.heartbeatTtlMs = 3 * options.heartbeatIntervalSeconds * 1000;
    this.now = options.now ?? Date.now;
    this.flags = new OpsFlagsKeeper(join(options.opsDir, 'flags.json'), options.log);
  }

  async publishSignal(pairId: string, entry: object): Promise<void> {
    await this.write('signals', `${fileNameOf(pairId)}.json`, entry);
  }

  async writeState(pairId: string, state: Record<string, LiveStateValue>): Promise<void> {
    await this.write('state', `${fileNameOf(pairId)}.json`, state);
  }

  async heartbeat(shard: number, details?: HeartbeatDetails): Promise<void> {
    const now = this.now();
    await this.write('', `heartbeat_shard_${shard}.json`, {
      shard,
      pid: process.pid,
      ts: new Date(now).toISOString(),
      expires_at: new Date(now + this.heartbeatTtlMs).toISOString(),
      ...details,
    });
  }

  async readOpsFlags(): Promise<OpsFlags> {
    const path = join(this.opsDir, 'flags.json');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return this.flags.accept({});
      throw fsErrorFrom(e, `cannot read ${path}`, { path }) ?? e;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.flags.reject('not valid JSON');
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return this.flags.reject('not a JSON object');
    return this.flags.accept(raw as Record<string, unknown>);
  }

  /** One field of flags.json, under the flags lock pt ops takes too; an unreadable flags.json is left alone (and logged by the reader). */
  async mirrorDrawdown(mirror: DrawdownMirror): Promise<void> {
    const field = drawdownField(mirror.shard);
    await updateFlagsFile(this.opsDir, (current) => ({ [field]: mergeDrawdownMirror(current[field], mirror) }), {
      keepUnreadable: true,
    });
  }

  /**
   * True when the `reload` file appeared or changed (content or mtime: `touch` is enough) since the
   * previous call (its removal is no request); it is never deleted, so every shard sharing ops_dir sees one request. The
   * first call only notes it.
   */
  async takeReload(): Promise<boolean> {
    const path = join(this.opsDir, 'reload');
    let value = '';
    try {
      const [info, text] = await Promise.all([stat(path), readFile(path, 'utf8')]);
      value = `${info.mtimeMs}:${text}`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fsErrorFrom(e, `cannot read ${path}`, { path }) ?? e;
    }
    const changed = value !== '' && this.reloadSeen !== undefined && value !== this.reloadSeen;
    this.reloadSeen = value;
    return changed;
  }

  async close(): Promise<void> {
    // Nothing held open: every call opens and closes its file.
  }

  private async write(sub: string, name: string, value: object): Promise<void> {
    const dir = sub === '' ? this.opsDir : join(this.opsDir, sub);
    if (!this.madeDirs.has(dir)) {
      await ensureDirDurable(dir);
      this.madeDirs.add(dir);
    }
    await writeFileAtomic(join(dir, name), `${JSON.stringify(value)}\n`);
  }
}

/** Pair ids are `[A-Z0-9]+_[A-Z0-9]+` by the universe schema; encoding keeps any other id inside its folder. */
function fileNameOf(pairId: string): string {
  return encodeURIComponent(pairId);
}
