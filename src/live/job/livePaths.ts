// Where a pt live shard keeps its files. The provider source uses the production paths of
// signals_policy; --replay and --watch default to data/replay/… so a replay never touches the
// signal.json, state, ops flags or account.json a running EA and shard use (SPEC §8).
import { join, resolve } from 'node:path';
import type { PtConfig } from '../../config/schemas/index.js';

export interface LivePaths {
  /** signal.json's folder: <signalDir>/shard_<N>/signal.json. */
  signalDir: string;
  signalPath: string;
  /** The signals history (Parquet, date=YYYY-MM-DD/). */
  historyDir: string;
  /** The shard's lock and local cache: `<data>/live/` live, `<signalDir>/live/` for a replay. */
  stateDir: string;
  cachePath: string;
  /** The bus's files (and Redis's stand-in). */
  opsDir: string;
  accountPath: string;
  /** Where automatic DD actions are audited: runbook_policy audit_log_path live, `<ops dir>/audit.jsonl` for a replay or a watched folder. */
  auditPath: string;
}

export function livePaths(
  config: PtConfig,
  o: { shard: number; source: 'replay' | 'watch' | 'provider'; dataDir: string; signalDir?: string },
): LivePaths {
  const sp = config.signals_policy;
  const production = o.source === 'provider';
  // signals_policy paths are relative to the working folder, like data/ and models/.
  const replayRoot = join(o.dataDir, 'replay');
  const signalDir = o.signalDir ?? (production ? resolve(sp.signal_dir) : join(replayRoot, 'signals'));
  // A replay's lock and cache sit beside its signals: a restart of that replay resumes it, another
  // replay (another --signal-dir) starts afresh.
  const stateDir = production ? join(o.dataDir, 'live') : join(signalDir, 'live');
  return {
    signalDir,
    signalPath: join(signalDir, `shard_${o.shard}`, 'signal.json'),
    historyDir: join(signalDir, 'history'),
    stateDir,
    cachePath: join(stateDir, `shard_${o.shard}.sqlite`),
    opsDir: production ? resolve(sp.ops_dir) : join(replayRoot, 'ops'),
    auditPath: production ? resolve(config.runbook_policy.audit_log_path) : join(replayRoot, 'ops', 'audit.jsonl'),
    accountPath: production ? resolve(sp.account_json_path) : join(replayRoot, 'account.json'),
  };
}
