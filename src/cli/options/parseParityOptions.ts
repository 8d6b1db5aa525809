// pt parity flags → typed options: the shard, the period (default: the last 12 months the store holds),
// the model and θ both sides use, where the run's files go.
import { join, resolve } from 'node:path';
import type { PtConfig } from '../../config/schemas/index.js';
import type { Timeframe } from '../../core/time.js';
import {
  maybeDateRange,
  maybeProbability,
  maybeTimeframeOption,
  tableDefaulted,
  tableDefaultedPath,
  usageError,
  type RawOptions,
} from './cliOptions.js';

export interface ParityOptions {
  shard: number;
  timeframe: Timeframe;
  fromMs?: number;
  toMs?: number;
  modelDir?: string;
  theta1?: number;
  theta2?: number;
  /** The run's folder: signals/ (pt live), paper/ and account.json (pt paper), bt/ (pt bt run). */
  outDir: string;
  /** Where pt live's history is: <outDir>/signals (emptied before the replay), or --signal-dir with --no-live. */
  signalDir: string;
  /** Compare a replay already in signalDir: pt live is not run. */
  live: boolean;
  dataDir: string;
}

export function parseParityOptions(raw: RawOptions, config: PtConfig): ParityOptions {
  const shard = Number(tableDefaulted(raw, 'shard', '--shard'));
  if (!(Number.isInteger(shard) && shard >= 0))
    throw usageError(`--shard ${String(raw.shard)}: give a shard number (0, 1, …)`);
  const dataDir = tableDefaultedPath(raw, 'dataDir', '--data-dir');
  const outDir = raw.out !== undefined ? resolve(String(raw.out)) : join(dataDir, 'replay', 'parity', `shard_${shard}`);
  const theta1 = maybeProbability(raw.theta1, '--theta1');
  const theta2 = maybeProbability(raw.theta2, '--theta2');
  const live = raw.live !== false;
  if (!live && raw.signalDir === undefined)
    throw usageError('--no-live compares an existing replay: give its --signal-dir');
  // The replay pt parity runs starts afresh in its own folder (<out>/signals): another folder is a replay to compare.
  if (live && raw.signalDir !== undefined)
    throw usageError(
      '--signal-dir names a replay to compare: give it with --no-live (pt parity replays into <out>/signals)',
    );
  return {
    shard,
    timeframe: maybeTimeframeOption(raw.timeframe, config),
    ...maybeDateRange(raw),
    ...(raw.modelDir !== undefined ? { modelDir: resolve(String(raw.modelDir)) } : {}),
    ...(theta1 !== undefined ? { theta1 } : {}),
    ...(theta2 !== undefined ? { theta2 } : {}),
    outDir,
    signalDir: raw.signalDir !== undefined ? resolve(String(raw.signalDir)) : join(outDir, 'signals'),
    live,
    dataDir,
  };
}
