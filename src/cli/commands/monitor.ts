// pt monitor: parse, wire the bus's control (Redis or files) and the halt/resume audit, run the terminal UI.
import { statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { FileOpsControl } from '../../adapters/files/fileOpsControl.js';
import { redactUrl } from '../../adapters/redis/redisHashStore.js';
import { RedisOpsControl } from '../../adapters/redis/redisOpsControl.js';
import { loadConfig } from '../../config/loadConfig.js';
import { PtError } from '../../core/ptError.js';
import { monitorSettingsFrom } from '../../monitor/monitorSettings.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { parseMonitorOptions } from '../options/parseMonitorOptions.js';
import { opsActionAlert, sendAlerts } from '../opsAlerts.js';

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export async function runMonitor(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const o = parseMonitorOptions(raw, config);
  // A missing folder would read as an empty, healthy-looking portfolio: refuse before the screen starts.
  if (o.bus === 'files' && !isFolder(o.opsDir))
    throw new PtError(
      'UI_MONITOR_NOOPSDIR',
      `no ops folder at ${o.opsDir}: pass the one the shards write with --ops-dir (signals_policy.yaml ops_dir), --replay for a replay's, or --redis URL / REDIS_URL for Redis`,
      { source: 'ui' },
    );
  if (!process.stdin.isTTY || !process.stdout.isTTY)
    throw new PtError(
      'UI_MONITOR_NOTTY',
      'pt monitor needs a terminal (stdin and stdout); pt ops status --json prints the same data once',
      {
        source: 'ui',
      },
    );
  // Ink prints only the last frame when it believes it runs in CI (is-in-ci reads CI at import): in a
  // terminal the screen must update, so those variables are dropped before Ink is loaded.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const { runMonitor: run } = await import('../../monitor/runMonitor.js');
  const settings = monitorSettingsFrom(config, {
    ...(o.refreshSeconds !== undefined ? { refreshSeconds: o.refreshSeconds } : {}),
    ...(o.shard !== undefined ? { shard: o.shard } : {}),
  });
  const redis = o.bus === 'redis';
  const how = await run({
    open: async () => (redis ? RedisOpsControl.open(o.redisUrl!, o.redisPrefix) : new FileOpsControl(o.opsDir)),
    label: redis ? redactUrl(o.redisUrl!) : o.opsDir,
    kind: redis ? 'redis' : 'files',
    settings,
    actions: {
      auditPath: o.auditPath,
      actor: `pt-monitor:${userName()}`,
      resumePolicy: config.runbook_policy.resume_policy,
      pairs: config.universe.pairs.map((p) => ({ pairId: p.pair_id, shard: p.shard })),
      // The same INFO alert as pt ops's (Slack #config-changes, alerts.jsonl); it never throws. Its warnings
      // stay in the JSON log (under LOG_LEVEL): the screen owns the terminal.
      onApplied: (a) =>
        void sendAlerts(config, o.opsDir, [opsActionAlert({ ...a, scope: 'portfolio' })], 'monitor', null),
    },
  });
  // Ctrl-C is an interrupt, as for any command (128 + SIGINT); q is the normal way out.
  return how === 'interrupt' ? 130 : 0;
}
