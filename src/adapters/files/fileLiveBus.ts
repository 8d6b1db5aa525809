// The live bus as files under ops_dir (data/ops/): what stands in for Redis without REDIS_URL or while it is down.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDirDurable, writeFileAtomic } from '../../core/durableFs.js';
import { fsErrorFrom } from '../../core/fsError.js';
import type { createLogger } from '../../core/logger.js';
import type { DrawdownMirror, HeartbeatDetails, LiveBus, LiveStateValue, OpsFlags } from '../../ports/liveBus.js';
import { drawdownField, mergeDrawdownMirror } from '../../ops/flags/drawdownMirror.js';
import { FLAGS_FILE, updateFlagsFile } from './updateFlagsFile.js';
import { OpsFlagsKeeper } from '../../ops/flags/opsFlagsFrom.js';
import { opsFlagsFields, opsFlagsWritten } from '../../ops/flags/opsFlagsFields.js';

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
 * (written); `flags.json` (read; pt ops writes it, and a shard on Redis mirrors Redis's flags into it) and `reload` (read).
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
    return (await this.readOpsFlagsRecord()).flags;
  }

  /**
   * The flags, whether flags.json holds any field pt ops writes, and whether those fields were edited
   * since a shard last mirrored Redis's flags into it (`mirrorOpsFlags`): an edit is a person's
   * (pt ops --bus files while Redis was down), a mirror is only a copy of Redis.
   */
  async readOpsFlagsRecord(): Promise<{ flags: OpsFlags; written: boolean; edited: boolean }> {
    const path = join(this.opsDir, FLAGS_FILE);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        return { flags: this.flags.accept({}), written: false, edited: false };
      throw fsErrorFrom(e, `cannot read ${path}`, { path }) ?? e;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      // Unreadable: the last good flags stay, and they count as a person's (they are not a mirror).
      return { flags: this.flags.reject('not valid JSON'), written: true, edited: true };
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      return { flags: this.flags.reject('not a JSON object'), written: true, edited: true };
    const record = raw as Record<string, unknown>;
    const flags = this.flags.accept(record);
    const written = opsFlagsWritten(record);
    const stamp = record[MIRROR_FIELD] as { sha256?: unknown } | undefined;
    return { flags, written, edited: written && stamp?.sha256 !== flagsDigest(flags) };
  }

  /** Writes Redis's flags into flags.json with a stamp of them, under the flags lock (the DD fields stay). */
  async mirrorOpsFlags(flags: OpsFlags, atMs: number): Promise<void> {
    await updateFlagsFile(
      this.opsDir,
      () => ({
        ...opsFlagsFields(flags),
        [MIRROR_FIELD]: { sha256: flagsDigest(flags), at: new Date(atMs).toISOString() },
      }),
      { keepUnreadable: true },
    );
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

/** flags.json's stamp of the Redis flags a shard mirrored into it (docs/live.md, "Ops flags and Redis outages"). */
export const MIRROR_FIELD = 'redis_mirror';

function flagsDigest(flags: OpsFlags): string {
  return createHash('sha256')
    .update(JSON.stringify(opsFlagsFields(flags)))
    .digest('hex');
}

/** Pair ids are `[A-Z0-9]+_[A-Z0-9]+` by the universe schema; encoding keeps any other id inside its folder. */
function fileNameOf(pairId: string): string {
  return encodeURIComponent(pairId);
}
