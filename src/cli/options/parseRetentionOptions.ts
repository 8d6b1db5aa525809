// pt retention apply flags → the folders retention covers, --dry-run, --json and --no-wait.
import { resolve } from 'node:path';
import type { PtConfig } from '../../config/schemas/index.js';
import { tableDefaultedPath, type RawOptions } from './cliOptions.js';

export interface RetentionOptions {
  /** Absolute paths: the data, model registry and reports folders. */
  dataDir: string;
  modelsDir: string;
  reportsDir: string;
  /** signals_policy signal_dir (its history/ is the live signal history), absolute. */
  signalDir: string;
  /** runbook_policy audit_log_path, absolute: written once per apply, never deleted. */
  auditLogPath: string;
  dryRun: boolean;
  json: boolean;
  noWait: boolean;
}

/** Relative config paths are taken from the working folder, as pt's other paths. */
export function parseRetentionOptions(raw: RawOptions, config: PtConfig): RetentionOptions {
  return {
    dataDir: tableDefaultedPath(raw, 'dataDir', '--data-dir'),
    modelsDir: tableDefaultedPath(raw, 'modelsDir', '--models-dir'),
    reportsDir: tableDefaultedPath(raw, 'reportsDir', '--reports-dir'),
    signalDir: resolve(config.signals_policy.signal_dir),
    auditLogPath: resolve(config.runbook_policy.audit_log_path),
    dryRun: raw.dryRun === true,
    json: raw.json === true,
    noWait: raw.wait === false,
  };
}
