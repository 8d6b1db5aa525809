// Reading and writing a model version's applied-θ records (models/<version>/applied/), each verified on read.
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ensureDirDurable, listNames, writeFileAtomic } from '../../core/durableFs.js';
import { PtError } from '../../core/ptError.js';
import {
  APPLIED_DIR,
  APPLIED_SIG_SUFFIX,
  APPLIED_THETA_SCHEMA,
  appliedThetaFileName,
  type AppliedThetaFields,
  type AppliedThetaProblem,
  type AppliedThetaRecord,
  checkAppliedTheta,
  parseAppliedThetaFileName,
  signAppliedTheta,
} from './appliedThetaRecord.js';
import { type ModelKeyOptions, resolveSigningKey, resolveVerifyKey } from './modelKeys.js';

export interface AppliedTheta {
  record: AppliedThetaRecord;
  /** The record's file name in applied/. */
  file: string;
  path: string;
}

export interface AppliedThetaCheck {
  records: AppliedTheta[];
  problems: Array<{ file: string; problem: AppliedThetaProblem }>;
}

/** `applied 20261203T101500Z (pt optimize run abc123)`: what the summary and the report say. */
export function appliedThetaLabel(a: AppliedTheta): string {
  const stamp = parseAppliedThetaFileName(a.file)?.stamp ?? a.record.created_at;
  return `applied ${stamp} (${a.record.source} run ${a.record.run_id})`;
}

const newestFirst = (a: AppliedTheta, b: AppliedTheta) =>
  a.record.created_at < b.record.created_at
    ? 1
    : a.record.created_at > b.record.created_at
      ? -1
      : a.file < b.file
        ? 1
        : a.file > b.file
          ? -1
          : 0;

/**
 * Every record of `versionDir`, newest first, each checked against its detached signature. Dot files
 * (temp files, locks) are skipped, and so is a `.sig` without its record (a write interrupted between
 * the two files: the signature alone applies nothing); a record without a valid signature is a problem.
 */
export async function checkAppliedThetas(
  versionDir: string,
  options: { keys?: ModelKeyOptions } = {},
): Promise<AppliedThetaCheck> {
  const dir = join(resolve(versionDir), APPLIED_DIR);
  const version = basename(resolve(versionDir));
  const all = (await listNames(dir)).filter((n) => !n.startsWith('.'));
  const recordNames = all.filter((n) => n.endsWith('.json')).sort();
  const out: AppliedThetaCheck = { records: [], problems: [] };
  if (recordNames.length === 0) return out;
  const key = await resolveVerifyKey(options.keys);
  const sigs = new Set(all.filter((n) => n.endsWith(APPLIED_SIG_SUFFIX)));
  for (const file of recordNames) {
    const path = join(dir, file);
    const bytes = await readFile(path);
    const sigName = `${file}${APPLIED_SIG_SUFFIX}`;
    const sig = sigs.has(sigName) ? await readFile(join(dir, sigName)) : undefined;
    const r = checkAppliedTheta(file, bytes, sig, version, key);
    if (r.ok) out.records.push({ record: r.record, file, path });
    else out.problems.push({ file: `${APPLIED_DIR}/${file}`, problem: r.problem });
  }
  out.records.sort(newestFirst);
  return out;
}

/**
 * The θ pt optimize last applied to the version, or undefined when it never applied one. Refuses
 * (CORE_THETA_SIGNATURE) when any record fails its check, as a tampered model is refused: skipping a
 * bad newest record for an older one would silently run on a θ nobody chose last.
 */
export async function latestAppliedTheta(
  versionDir: string,
  options: { keys?: ModelKeyOptions } = {},
): Promise<AppliedTheta | undefined> {
  const { records, problems } = await checkAppliedThetas(versionDir, options);
  if (problems.length > 0) {
    throw new PtError(
      'CORE_THETA_SIGNATURE',
      `applied θ of ${basename(resolve(versionDir))} does not verify (${problems.map((p) => `${p.file}: ${p.problem}`).join(', ')}); refusing to use it`,
      { source: 'model-registry', details: { dir: versionDir, problems } },
    );
  }
  return records[0];
}

/**
 * The version's latest applied θ as resolveDecisionParams takes it (θ1, θ2, its label and the
 * search's statistics), or undefined. Verified like latestAppliedTheta: a tampered record is refused.
 */
export async function appliedThetaInput(versionDir: string, options: { keys?: ModelKeyOptions } = {}) {
  const applied = await latestAppliedTheta(versionDir, options);
  return (
    applied && {
      theta1: applied.record.theta1,
      theta2: applied.record.theta2,
      label: appliedThetaLabel(applied),
      search: applied.record.search,
    }
  );
}

/**
 * Signs and writes a record into `<versionDir>/applied/`: the signature first, then the record, each
 * atomically, so a reader never finds a record without its signature. The caller serialises writers
 * (applyTheta holds a lock on the folder).
 */
export async function writeAppliedTheta(
  versionDir: string,
  fields: AppliedThetaFields,
  options: { keys?: ModelKeyOptions; createdAt?: Date } = {},
): Promise<AppliedTheta> {
  const createdAt = options.createdAt ?? new Date();
  const dir = join(resolve(versionDir), APPLIED_DIR);
  const record: AppliedThetaRecord = {
    schema: APPLIED_THETA_SCHEMA,
    version: basename(resolve(versionDir)),
    theta1: fields.theta1,
    theta2: fields.theta2,
    old: fields.old,
    proposed: fields.proposed,
    decision: 'apply',
    reason: fields.reason,
    improvement_ci: fields.improvement_ci,
    oos_trades: fields.oos_trades,
    trades_min: fields.trades_min,
    ...(fields.search ? { search: fields.search } : {}),
    run_id: fields.run_id,
    created_at: createdAt.toISOString(),
    source: fields.source,
  };
  const file = appliedThetaFileName(createdAt, fields.run_id);
  const bytes = Buffer.from(`${JSON.stringify(record, null, 2)}\n`, 'utf8');
  const key = await resolveSigningKey(options.keys);
  await ensureDirDurable(dir);
  const path = join(dir, file);
  await writeFileAtomic(`${path}${APPLIED_SIG_SUFFIX}`, signAppliedTheta(file, bytes, key));
  await writeFileAtomic(path, bytes);
  return { record, file, path };
}
