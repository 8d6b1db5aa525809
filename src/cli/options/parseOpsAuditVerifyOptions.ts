// pt ops audit verify flags → the audit log to check (--path, else runbook_policy.yaml audit_log_path) and --anchor.
import { resolve } from 'node:path';
import type { PtConfig } from '../../config/schemas/index.js';
import { usageError, type RawOptions } from './cliOptions.js';

export interface OpsAuditVerifyOptions {
  /** Absolute path of the audit log. */
  path: string;
  /** Print only the head hash. */
  anchor: boolean;
}

/**
 * `config` is asked for only when --path is not given, so a copied log can be checked on a machine
 * without pt's config. A relative audit_log_path is taken from the working folder, as pt's other paths.
 */
export function parseOpsAuditVerifyOptions(raw: RawOptions, config: () => PtConfig): OpsAuditVerifyOptions {
  if (raw.path !== undefined && String(raw.path) === '') throw usageError('--path needs a value');
  const path = raw.path === undefined ? config().runbook_policy.audit_log_path : String(raw.path);
  return { path: resolve(path), anchor: raw.anchor === true };
}
