// pt monitor flags → typed options: which bus (like pt ops), the refresh period, one shard or all.
import { resolve } from 'node:path';
import type { PtConfig } from '../../config/schemas/index.js';
import { usageError, type RawOptions } from './cliOptions.js';
import { parseOpsBus, type OpsBusOptions } from './parseOpsOptions.js';

export interface MonitorOptions extends OpsBusOptions {
  /** --refresh: every view refreshes this often (seconds); undefined: analytics_policy's per view. */
  refreshSeconds?: number;
  shard?: number;
  /** runbook_policy.yaml audit_log_path, absolute: where a halt or resume typed in the monitor is audited. */
  auditPath: string;
}

/**
 * --refresh bounds (seconds). Above 3600 a view would look frozen, and far above it Node's timer
 * (at most 2^31-1 ms) overflows and fires at once, polling the bus in a tight loop; below 0.5 s the
 * screen redraws faster than anyone reads it.
 */
export const REFRESH_MIN_SECONDS = 0.5;
export const REFRESH_MAX_SECONDS = 3600;

function refreshOption(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const n = Number(text);
  if (text === '' || !Number.isFinite(n) || n < REFRESH_MIN_SECONDS || n > REFRESH_MAX_SECONDS)
    throw usageError(
      `--refresh ${String(value)}: give seconds from ${REFRESH_MIN_SECONDS} to ${REFRESH_MAX_SECONDS} (e.g. --refresh 1)`,
    );
  return n;
}

/**
 * The bus as pt ops chooses it (REDIS_URL, --bus, --ops-dir, --replay), except that --ops-dir or
 * --replay alone means the files, and --redis URL names the server (without a password: arguments
 * are visible to every user in ps; a password belongs in REDIS_URL).
 */
export function parseMonitorOptions(
  raw: RawOptions,
  config: PtConfig,
  env: NodeJS.ProcessEnv = process.env,
): MonitorOptions {
  let busRaw = raw;
  if (raw.redis !== undefined) {
    const url = String(raw.redis);
    if (raw.opsDir !== undefined || raw.replay || raw.bus === 'files')
      throw usageError('--redis reads Redis: leave out --ops-dir, --replay and --bus files');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw usageError(`--redis ${url}: give a URL such as redis://127.0.0.1:6379/0`);
    }
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
      throw usageError(`--redis ${url}: give a redis:// or rediss:// URL`);
    if (parsed.password !== '')
      throw usageError(
        '--redis: a URL with a password goes in REDIS_URL, not on the command line (ps shows arguments)',
      );
    env = { ...env, REDIS_URL: url };
    busRaw = { ...raw, bus: 'redis' };
  } else if (raw.bus === undefined && (raw.opsDir !== undefined || raw.replay)) busRaw = { ...raw, bus: 'files' };
  let shard: number | undefined;
  if (raw.shard !== undefined) {
    shard = Number(raw.shard);
    if (!Number.isInteger(shard) || shard < 0)
      throw usageError(`--shard ${String(raw.shard)}: give a shard number (0, 1, …)`);
    if (!config.universe.pairs.some((p) => p.shard === shard))
      throw usageError(`--shard ${shard}: no pair of universe.yaml is on that shard`);
  }
  const refreshSeconds = refreshOption(raw.refresh);
  return {
    ...parseOpsBus(busRaw, config, env),
    ...(refreshSeconds !== undefined ? { refreshSeconds } : {}),
    ...(shard !== undefined ? { shard } : {}),
    auditPath: resolve(config.runbook_policy.audit_log_path),
  };
}
