// pt db migrate and pt sync flags → typed options. Where pt sync reads follows pt live's paths
// (src/live/job/livePaths.ts): production's from signals_policy and runbook_policy, a replay's under <data>/replay.
import { join, resolve } from 'node:path';
import type { PtConfig } from '../../config/schemas/index.js';
import type { SyncJobOptions } from '../../sync/runSyncJob.js';
import { ALERTS_FILE } from '../../alerts/jsonlAlertStore.js';
import { maybePositiveNumber, tableDefaulted, tableDefaultedPath, usageError, type RawOptions } from './cliOptions.js';

export interface DbMigrateOptions {
  lockTimeoutMs: number;
}

export function parseDbMigrateOptions(raw: RawOptions): DbMigrateOptions {
  const seconds = maybePositiveNumber(tableDefaulted(raw, 'lockTimeout', '--lock-timeout'), '--lock-timeout')!;
  return { lockTimeoutMs: Math.round(seconds * 1000) };
}

/** Everything but the host, which the command adds (the parser reads nothing of the machine). */
export type SyncOptions = Omit<SyncJobOptions, 'host'>;

const positiveInt = (raw: RawOptions, key: string, flag: string): number => {
  const text = tableDefaulted(raw, key, flag);
  const n = Number(text);
  if (!(Number.isInteger(n) && n > 0)) throw usageError(`${flag} must be a positive whole number, got "${text}"`);
  return n;
};

export function parseSyncOptions(raw: RawOptions, config: PtConfig): SyncOptions {
  const all = [...new Set(config.universe.pairs.map((p) => p.shard))].sort((a, b) => a - b);
  let shards = all;
  if (raw.shard !== undefined) {
    const shard = Number(raw.shard);
    if (!(Number.isInteger(shard) && shard >= 0) || String(raw.shard).trim() === '')
      throw usageError(`--shard ${String(raw.shard)}: give a shard number (0, 1, …)`);
    if (!all.includes(shard)) throw usageError(`--shard ${shard}: no pair of universe.yaml is in that shard`);
    shards = [shard];
  }
  const replay = raw.replay === true;
  const dataDir = tableDefaultedPath(raw, 'dataDir', '--data-dir');
  const replayRoot = join(dataDir, 'replay');
  const sp = config.signals_policy;
  const signalDir =
    raw.signalDir !== undefined
      ? resolve(String(raw.signalDir))
      : replay
        ? join(replayRoot, 'signals')
        : resolve(sp.signal_dir);
  const opsDir =
    raw.opsDir !== undefined ? resolve(String(raw.opsDir)) : replay ? join(replayRoot, 'ops') : resolve(sp.ops_dir);
  const auditPath =
    raw.audit !== undefined
      ? resolve(String(raw.audit))
      : replay
        ? join(replayRoot, 'ops', 'audit.jsonl')
        : resolve(config.runbook_policy.audit_log_path);
  const accountPath =
    raw.account !== undefined
      ? resolve(String(raw.account))
      : replay
        ? join(replayRoot, 'account.json')
        : resolve(sp.account_json_path);
  // account.json is one account's: it is some shard's only when one shard is synced.
  const accountShard = shards.length === 1 ? shards[0]! : undefined;
  if (raw.account !== undefined && accountShard === undefined)
    throw usageError('--account belongs to one shard: give --shard too');
  return {
    shards,
    historyDir: join(signalDir, 'history'),
    fillsDir: raw.fillsDir !== undefined ? resolve(String(raw.fillsDir)) : join(signalDir, 'paper'),
    ...(accountShard !== undefined ? { account: { path: accountPath, shard: accountShard } } : {}),
    auditPath,
    alertsPath: join(opsDir, ALERTS_FILE),
    batchSize: positiveInt(raw, 'batch', '--batch'),
    once: raw.once === true,
    intervalMs: Math.round(maybePositiveNumber(tableDefaulted(raw, 'interval', '--interval'), '--interval')! * 1000),
  };
}
