// Applying an optimiser's θ to a model version (SPEC §6): hysteresis under a lock, a signed record, an audit line.
import { basename, join, resolve } from 'node:path';
import { ensureDirDurable } from '../core/durableFs.js';
import { acquireFileLock } from '../core/fileLock.js';
import { PtError } from '../core/ptError.js';
import {
  APPLIED_DIR,
  appliedThetaLabel,
  latestAppliedTheta,
  writeAppliedTheta,
  type AppliedTheta,
  type ModelKeyOptions,
} from '../ml/registry/index.js';
import { appendAudit } from '../ops/audit/appendAudit.js';
import { applyHysteresis, type HysteresisDecision, type ThetaPair } from './hysteresis.js';

export const THETA_AUDIT_FILE = 'theta_decisions.jsonl';

/** `<models>/../audit/theta_decisions.jsonl` for a version folder `<models>/<version>`. */
export function defaultThetaAuditPath(versionDir: string): string {
  return resolve(versionDir, '..', '..', 'audit', THETA_AUDIT_FILE);
}

export interface CurrentTheta {
  theta: ThetaPair;
  /** The record file the θ comes from, or null for the version's params.yaml. */
  basis: string | null;
  /** For messages: `applied … (pt optimize run …)` or `params.yaml`. */
  label: string;
  applied?: AppliedTheta;
}

/** The θ in force for a version: its latest verified applied record, else `modelTheta` (its params.yaml). */
export async function currentTheta(
  versionDir: string,
  modelTheta: ThetaPair,
  options: { keys?: ModelKeyOptions } = {},
): Promise<CurrentTheta> {
  const applied = await latestAppliedTheta(versionDir, options);
  if (!applied) return { theta: { ...modelTheta }, basis: null, label: 'params.yaml' };
  return {
    theta: { theta1: applied.record.theta1, theta2: applied.record.theta2 },
    basis: applied.file,
    label: appliedThetaLabel(applied),
    applied,
  };
}

export interface ApplyThetaInput {
  versionDir: string;
  /** θ1/θ2 of the version's params.yaml: in force while no record exists. */
  modelTheta: ThetaPair;
  /** `currentTheta(…).basis` when the run read its old θ: if it changed since, the run is refused. */
  expectedBasis: string | null;
  proposed: ThetaPair;
  oosTrades: number;
  tradesMin: number;
  improvementCi: { lower: number; upper: number; level: number; metric: string };
  /** What the search that proposed θ found: recorded with an applied θ for the backtest's DSR verdict. */
  search?: { trials: number; dsr: number | null; pbo: number | null };
  runId: string;
  /** Default defaultThetaAuditPath(versionDir). */
  auditPath?: string;
  keys?: ModelKeyOptions;
  now?: () => Date;
}

export interface ApplyThetaResult extends HysteresisDecision {
  old: ThetaPair & { source: string };
  /** The record written on apply. */
  record?: AppliedTheta;
  auditPath: string;
  /** The JSON line appended to the audit file. */
  auditLine: string;
}

/**
 * Decides and records one apply or hold for a version. Under an exclusive lock on its `applied/`
 * folder it re-reads the θ in force; when that is no longer the one the run started from (another
 * `--apply` won meanwhile), it appends a `refused` line and throws CORE_THETA_CHANGED. Otherwise it
 * applies the SPEC §6 hysteresis, writes the signed record on apply (before the audit line, so a
 * crash in between leaves a record the audit lacks rather than an audit line without its record),
 * and appends the decision to the audit file.
 */
export async function applyTheta(input: ApplyThetaInput): Promise<ApplyThetaResult> {
  const versionDir = resolve(input.versionDir);
  const version = basename(versionDir);
  const auditPath = input.auditPath ?? defaultThetaAuditPath(versionDir);
  const now = input.now ?? (() => new Date());
  const keys = input.keys ? { keys: input.keys } : {};
  const appliedDir = join(versionDir, APPLIED_DIR);
  await ensureDirDurable(appliedDir);
  const lock = await acquireFileLock(appliedDir, 'theta', { label: `applied θ of ${version}`, pollMs: 20 });
  try {
    const current = await currentTheta(versionDir, input.modelTheta, keys);
    const old = { ...current.theta, source: current.basis ?? 'params.yaml' };
    const entry = {
      time: now().toISOString(),
      scope: `model:${version}`,
      before: old,
      run_id: input.runId,
      source: 'pt optimize',
      proposed: input.proposed,
      ci: input.improvementCi,
      oos_trades: input.oosTrades,
      trades_min: input.tradesMin,
    };
    if (current.basis !== input.expectedBasis) {
      const reason = `refused: the applied θ changed while the run worked (it started from ${input.expectedBasis ?? 'params.yaml'}, now ${current.label})`;
      await appendAudit(auditPath, { ...entry, action: 'theta.refused', after: current.theta, reason, record: null });
      throw new PtError(
        'CORE_THETA_CHANGED',
        `${version}: ${reason}; nothing applied, run pt optimize again from the θ now in force`,
        { source: 'optimize', details: { expected: input.expectedBasis, current: current.basis, auditPath } },
      );
    }
    const decision = applyHysteresis({
      old: current.theta,
      proposed: input.proposed,
      oosTrades: input.oosTrades,
      tradesMin: input.tradesMin,
      improvementCi: input.improvementCi,
    });
    let record: AppliedTheta | undefined;
    if (decision.decision === 'apply') {
      record = await writeAppliedTheta(
        versionDir,
        {
          theta1: decision.applied.theta1,
          theta2: decision.applied.theta2,
          old,
          proposed: input.proposed,
          reason: decision.reason,
          improvement_ci: input.improvementCi,
          oos_trades: input.oosTrades,
          trades_min: input.tradesMin,
          ...(input.search ? { search: input.search } : {}),
          run_id: input.runId,
          source: 'pt optimize',
        },
        { ...keys, createdAt: now() },
      );
    }
    const { line: auditLine } = await appendAudit(auditPath, {
      ...entry,
      action: decision.decision === 'apply' ? 'theta.apply' : 'theta.hold',
      after: decision.applied,
      reason: decision.reason,
      record: record?.file ?? null,
    });
    return { ...decision, old, ...(record ? { record } : {}), auditPath, auditLine };
  } finally {
    await lock.release();
  }
}
