// pt retrain flags → which group(s), the store and registry, the ingest source (or none), dry run, actor.
import { resolve } from 'node:path';
import type { PtConfig } from '../../config/schemas/index.js';
import type { Timeframe } from '../../core/time.js';
import {
  maybeSeed,
  maybeTimeframeOption,
  tableDefaulted,
  tableDefaultedPath,
  usageError,
  type RawOptions,
} from './cliOptions.js';

export interface RetrainOptions {
  /** One group, or undefined: every group with a CURRENT pointer under modelsDir. */
  group?: string;
  timeframe: Timeframe;
  seed: number;
  /** Absolute paths. */
  dataDir: string;
  modelsDir: string;
  auditPath: string;
  dryRun: boolean;
  /** The provider to ingest from, or null with --no-ingest. */
  source: 'twelvedata' | 'synthetic' | null;
  actor?: string;
}

export function parseRetrainOptions(raw: RawOptions, config: PtConfig): RetrainOptions {
  if (raw.group !== undefined && String(raw.group) === '') throw usageError('--group needs a value');
  const source = tableDefaulted(raw, 'source', '--source');
  if (source !== 'twelvedata' && source !== 'synthetic')
    throw usageError(
      `unknown --source "${source}" (expected twelvedata or synthetic; a CSV store is refreshed with pt ingest, then pt retrain --no-ingest)`,
    );
  if (raw.actor !== undefined && String(raw.actor) === '') throw usageError('--actor needs a value');
  return {
    ...(raw.group !== undefined ? { group: String(raw.group) } : {}),
    timeframe: maybeTimeframeOption(raw.timeframe, config),
    seed: maybeSeed(raw.seed, config),
    dataDir: tableDefaultedPath(raw, 'dataDir', '--data-dir'),
    modelsDir: tableDefaultedPath(raw, 'modelsDir', '--models-dir'),
    // A relative audit_log_path is taken from the working folder, as pt's other paths.
    auditPath: resolve(config.runbook_policy.audit_log_path),
    dryRun: raw.dryRun === true,
    // commander turns --no-ingest into ingest: false.
    source: raw.ingest === false ? null : source,
    ...(raw.actor !== undefined ? { actor: String(raw.actor) } : {}),
  };
}
