// pt ops slo flags → typed options: the window (default: the last slo_targets.window_days days to now;
// a replay's: its history's days), the shard (default: every shard), the timeframe, whether the history
// is a replay's, and where the history, run log and DQ reports are.
import { join, resolve } from 'node:path';
import type { PtConfig } from '../../config/schemas/index.js';
import { DAY_MS } from '../../core/time.js';
import type { SloJobOptions } from '../../slo/runSloJob.js';
import { maybeDateRange, maybeTimeframeOption, tableDefaultedPath, usageError, type RawOptions } from './cliOptions.js';

export interface OpsSloOptions extends SloJobOptions {
  json: boolean;
}

/**
 * `nowMs`: the wall clock, the default end of the window and the time bars are judged at. With --replay
 * a missing end of the window is left to the job: the days of the replay's history, not now.
 */
export function parseOpsSloOptions(raw: RawOptions, config: PtConfig, nowMs: number = Date.now()): OpsSloOptions {
  const range = maybeDateRange(raw);
  const replay = raw.replay === true;
  let window: { fromMs?: number; toMs?: number } = range;
  if (!replay) {
    const toMs = range.toMs ?? nowMs;
    const fromMs = range.fromMs ?? toMs - config.pipeline_policy.slo_targets.window_days * DAY_MS;
    if (fromMs >= toMs) throw usageError('--from must be before --to (default: now)');
    window = { fromMs, toMs };
  }
  let shard: number | undefined;
  if (raw.shard !== undefined) {
    shard = Number(raw.shard);
    if (!(Number.isInteger(shard) && shard >= 0) || String(raw.shard).trim() === '')
      throw usageError(`--shard ${String(raw.shard)}: give a shard number (0, 1, …)`);
    if (!config.universe.pairs.some((p) => p.shard === shard))
      throw usageError(`--shard ${shard}: no pair of universe.yaml is in that shard`);
  }
  const dataDir = tableDefaultedPath(raw, 'dataDir', '--data-dir');
  // The folders pt live writes to (src/live/job/livePaths.ts): a replay's under <data>/replay/signals
  // unless it was given --signal-dir too.
  const signalDir =
    raw.signalDir !== undefined
      ? resolve(String(raw.signalDir))
      : replay
        ? join(dataDir, 'replay', 'signals')
        : resolve(config.signals_policy.signal_dir);
  return {
    ...(window.fromMs !== undefined ? { fromMs: window.fromMs } : {}),
    ...(window.toMs !== undefined ? { toMs: window.toMs } : {}),
    asOfMs: nowMs,
    ...(replay ? { replay } : {}),
    ...(shard !== undefined ? { shard } : {}),
    timeframe: maybeTimeframeOption(raw.timeframe, config),
    historyDir: join(signalDir, 'history'),
    dataDir,
    dqReportsDir: tableDefaultedPath(raw, 'dqReports', '--dq-reports'),
    json: raw.json === true,
  };
}
