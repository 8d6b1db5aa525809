// pt paper flags → typed options: the shard, where pt live wrote (--signal-dir), history or follow, the clock.
import { join, resolve } from 'node:path';
import type { PtConfig } from '../../config/schemas/index.js';
import type { PaperJobOptions } from '../../paper/runPaperJob.js';
import {
  maybeChoice,
  maybeDateRange,
  maybePositiveNumber,
  maybeTimeframeOption,
  tableDefaulted,
  tableDefaultedPath,
  usageError,
  type RawOptions,
} from './cliOptions.js';

export function parsePaperOptions(raw: RawOptions, config: PtConfig): PaperJobOptions {
  const shard = Number(tableDefaulted(raw, 'shard', '--shard'));
  if (!(Number.isInteger(shard) && shard >= 0))
    throw usageError(`--shard ${String(raw.shard)}: give a shard number (0, 1, …)`);
  const range = maybeDateRange(raw);
  const mode = raw.history || range.fromMs !== undefined || range.toMs !== undefined ? 'history' : 'follow';
  if (raw.closeAtEnd && mode !== 'history')
    throw usageError('--close-at-end plays the history: give --history or --from/--to');
  const dataDir = tableDefaultedPath(raw, 'dataDir', '--data-dir');
  // pt live --replay's defaults (livePaths): never the production signal or account paths (SPEC §8).
  const signalDir = raw.signalDir !== undefined ? resolve(String(raw.signalDir)) : join(dataDir, 'replay', 'signals');
  const clock =
    raw.clock === undefined
      ? mode === 'history'
        ? 'bar'
        : 'wall'
      : maybeChoice(raw.clock, '--clock', ['bar', 'wall'] as const);
  // A history run keeps its files apart from a follow run's (its fills log is rewritten each run), and its
  // account.json beside them: pt live reads data/replay/account.json, which a following paper writes.
  const paperDir = join(signalDir, 'paper', `shard_${shard}`, ...(mode === 'history' ? ['history'] : []));
  const accountPath = mode === 'history' ? join(paperDir, 'account.json') : join(dataDir, 'replay', 'account.json');
  const pollMs = maybePositiveNumber(tableDefaulted(raw, 'pollMs', '--poll-ms'), '--poll-ms')!;
  return {
    shard,
    timeframe: maybeTimeframeOption(raw.timeframe, config),
    dataDir,
    paths: {
      signalDir,
      accountPath: raw.account !== undefined ? resolve(String(raw.account)) : accountPath,
      paperDir,
    },
    mode,
    ...range,
    clock,
    closeAtEnd: raw.closeAtEnd === true,
    pollMs,
  };
}
