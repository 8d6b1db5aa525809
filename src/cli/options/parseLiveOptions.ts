// pt live flags → typed options: the shard, the source (store replay, a watched folder, or the live
// provider), the replay's range and speed, where signals go, the metrics port.
import { resolve } from 'node:path';
import type { PtConfig } from '../../config/schemas/index.js';
import type { Timeframe } from '../../core/time.js';
import type { ReplaySpeed } from '../../live/replayLoop.js';
import {
  maybeClock,
  maybeDateRange,
  maybeProbability,
  maybeTimeframeOption,
  tableDefaultedPath,
  usageError,
  type RawOptions,
} from './cliOptions.js';

export interface LiveOptions {
  shard: number;
  source: 'replay' | 'watch' | 'provider';
  /** --watch DIR. */
  watchDir?: string;
  /** --watch: the files' clock (--tz, as pt ingest reads it). */
  tz?: string;
  timeframe: Timeframe;
  fromMs?: number;
  toMs?: number;
  speed: ReplaySpeed;
  modelDir?: string;
  /** The group whose models/<group>/CURRENT names the model (default: the shard's pairs' one group, else custom). */
  group?: string;
  /** Where shard_<N>/signal.json goes; undefined: signals_policy.signal_dir, or data/replay/signals for --replay/--watch. */
  signalDir?: string;
  metricsPort?: number;
  /** --theta1/--theta2: a what-if replay's θ over the applied record and params.yaml (never the live source). */
  theta1?: number;
  theta2?: number;
  dataDir: string;
}

/** `max`, `realtime` or `Nx` (N > 0: N bars per bar length). */
export function parseSpeed(value: unknown): ReplaySpeed {
  const text = String(value ?? 'max').trim();
  if (text === 'max' || text === 'realtime') return text;
  const m = /^(\d+(?:\.\d+)?)x$/.exec(text);
  if (m && Number(m[1]) > 0) return Number(m[1]);
  throw usageError(`--speed ${text}: give max, realtime or a factor such as 60x`);
}

export function parseLiveOptions(raw: RawOptions, config: PtConfig): LiveOptions {
  const shard = Number(raw.shard);
  if (!(Number.isInteger(shard) && shard >= 0))
    throw usageError(`--shard ${String(raw.shard)}: give a shard number (0, 1, …)`);
  if (raw.replay && raw.watch !== undefined) throw usageError('--replay and --watch exclude each other');
  const source = raw.replay ? 'replay' : raw.watch !== undefined ? 'watch' : 'provider';
  const range = maybeDateRange(raw);
  if (source === 'provider' && (range.fromMs !== undefined || range.toMs !== undefined || raw.speed !== undefined))
    throw usageError('--from, --to and --speed need --replay (the live source runs from now on)');
  const theta1 = maybeProbability(raw.theta1, '--theta1');
  const theta2 = maybeProbability(raw.theta2, '--theta2');
  if (source !== 'replay' && (theta1 !== undefined || theta2 !== undefined))
    throw usageError(
      '--theta1/--theta2 only with --replay: live trading takes θ from the applied record or params.yaml',
    );
  const tz = maybeClock(raw.tz);
  if (tz !== undefined && source !== 'watch')
    throw usageError('--tz names the clock of --watch files: use it with --watch');
  let metricsPort: number | undefined;
  if (raw.metricsPort !== undefined) {
    metricsPort = Number(raw.metricsPort);
    if (!(Number.isInteger(metricsPort) && metricsPort >= 0 && metricsPort <= 65535))
      throw usageError(`--metrics-port ${String(raw.metricsPort)}: give a port from 0 to 65535 (0: none)`);
  }
  return {
    shard,
    source,
    ...(source === 'watch' ? { watchDir: resolve(String(raw.watch)) } : {}),
    ...(tz !== undefined ? { tz } : {}),
    timeframe: maybeTimeframeOption(raw.timeframe, config),
    ...range,
    speed: parseSpeed(raw.speed),
    ...(raw.modelDir !== undefined ? { modelDir: resolve(String(raw.modelDir)) } : {}),
    ...(raw.group !== undefined ? { group: String(raw.group) } : {}),
    ...(raw.signalDir !== undefined ? { signalDir: resolve(String(raw.signalDir)) } : {}),
    ...(metricsPort !== undefined ? { metricsPort } : {}),
    ...(theta1 !== undefined ? { theta1 } : {}),
    ...(theta2 !== undefined ? { theta2 } : {}),
    dataDir: tableDefaultedPath(raw, 'dataDir', '--data-dir'),
  };
}
