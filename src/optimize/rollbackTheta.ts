// pt ops rollback --target theta: a new signed applied record that repeats an earlier θ (records stay append-only), audited.
import { basename, join, resolve } from 'node:path';
import { ensureDirDurable } from '../core/durableFs.js';
import { acquireFileLock } from '../core/fileLock.js';
import { PtError } from '../core/ptError.js';
import {
  APPLIED_DIR,
  checkAppliedThetas,
  parseAppliedThetaFileName,
  writeAppliedTheta,
  type AppliedTheta,
  type ModelKeyOptions,
} from '../ml/registry/index.js';
import { appendAudit } from '../ops/audit/appendAudit.js';
import { currentTheta } from './applyTheta.js';
import type { ThetaPair } from './hysteresis.js';

export interface RollbackThetaInput {
  versionDir: string;
  /** θ of the version's params.yaml (`--version params` returns to it). */
  modelTheta: ThetaPair;
  /** `params`, a record's stamp (`20261203T101500Z`) or its file name (`theta_…json`). */
  target: string;
  auditPath: string;
  reason: string | null;
  actor?: string;
  keys?: ModelKeyOptions;
  now?: () => Date;
}

export interface RollbackThetaResult {
  before: ThetaPair & { source: string };
  after: ThetaPair & { source: string };
  record: AppliedTheta;
}

function findRecord(records: readonly AppliedTheta[], target: string): AppliedTheta | undefined {
  return records.find((r) => r.file === target || parseAppliedThetaFileName(r.file)?.stamp === target);
}

/**
 * Under the applied/ lock pt optimize --apply takes: the θ in force, the target's θ, a new record
 * with it (its CI and trade counts copied from the target; zeros for params.yaml), then one audit
 * entry. Refused when the target is unknown or already in force.
 */
export async function rollbackTheta(input: RollbackThetaInput): Promise<RollbackThetaResult> {
  const versionDir = resolve(input.versionDir);
  const version = basename(versionDir);
  const keys = input.keys ? { keys: input.keys } : {};
  const now = input.now ?? (() => new Date());
  const appliedDir = join(versionDir, APPLIED_DIR);
  await ensureDirDurable(appliedDir);
  const lock = await acquireFileLock(appliedDir, 'theta', { label: `applied θ of ${version}`, pollMs: 20 });
  try {
    const current = await currentTheta(versionDir, input.modelTheta, keys);
    const { records } = await checkAppliedThetas(versionDir, keys);
    const target = input.target === 'params' ? undefined : findRecord(records, input.target);
    if (input.target !== 'params' && !target)
      throw new PtError(
        'OPS_ROLLBACK_UNKNOWN',
        `θ record ${input.target} is not in ${appliedDir} (records: ${records.map((r) => parseAppliedThetaFileName(r.file)?.stamp ?? r.file).join(', ') || 'none'}; or give params for params.yaml's θ)`,
        { source: 'ops', details: { target: input.target, dir: appliedDir } },
      );
    const theta: ThetaPair = target
      ? { theta1: target.record.theta1, theta2: target.record.theta2 }
      : { ...input.modelTheta };
    const source = target ? target.file : 'params.yaml';
    if (current.basis !== null && target && current.basis === target.path)
      throw new PtError('OPS_ROLLBACK_UNKNOWN', `θ record ${input.target} is already the one in force for ${version}`, {
        source: 'ops',
        details: { target: input.target },
      });
    const before = { ...current.theta, source: current.basis ? basename(current.basis) : 'params.yaml' };
    const createdAt = now();
    const stamp = createdAt
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const record = await writeAppliedTheta(
      versionDir,
      {
        theta1: theta.theta1,
        theta2: theta.theta2,
        old: before,
        proposed: theta,
        reason: `pt ops rollback to ${source}${input.reason ? `: ${input.reason}` : ''}`,
        improvement_ci: target?.record.improvement_ci ?? {
          lower: 0,
          upper: 0,
          level: 0,
          metric: 'rollback to params.yaml',
        },
        oos_trades: target?.record.oos_trades ?? 0,
        trades_min: target?.record.trades_min ?? 0,
        ...(target?.record.search ? { search: target.record.search } : {}),
        run_id: `rollback-${stamp}`,
        source: 'pt ops rollback',
      },
      { ...keys, createdAt },
    );
    const after = { ...theta, source };
    await appendAudit(
      input.auditPath,
      {
        action: 'ops.rollback',
        scope: `theta:${version}`,
        reason: input.reason,
        before,
        after,
        record: record.file,
        ...(input.actor ? { actor: input.actor } : {}),
      },
      { now },
    );
    return { before, after, record };
  } finally {
    await lock.release();
  }
}
