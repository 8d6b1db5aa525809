// An applied-θ record of a model version (SPEC §6): the θ pt optimize applied, signed apart from the version.
import { sign, verify, type KeyObject } from 'node:crypto';
import { formatManifest, sha256Hex } from './manifest.js';
import { formatSignatureFile, parseSignatureFile } from './signatureFile.js';

/**
 * Records live in `models/<version>/applied/`, which the version's SIGNATURE does not cover (the
 * verifier skips this one folder), so applying θ never touches the model's own signature.
 */
export const APPLIED_DIR = 'applied';
export const APPLIED_THETA_SCHEMA = 'pt-applied-theta v1';
/** A record's detached signature: `<record>.sig`, the SIGNATURE layout over a one-line manifest. */
export const APPLIED_SIG_SUFFIX = '.sig';

export interface ThetaValues {
  theta1: number;
  theta2: number;
}

export interface AppliedThetaRecord {
  schema: typeof APPLIED_THETA_SCHEMA;
  /** The model version folder name the record belongs to; a record copied to another version is refused. */
  version: string;
  theta1: number;
  theta2: number;
  /** The θ in force before, and where it came from (`params.yaml` or the record file it was read from). */
  old: ThetaValues & { source: string };
  proposed: ThetaValues;
  decision: 'apply';
  reason: string;
  improvement_ci: { lower: number; upper: number; level: number; metric: string };
  oos_trades: number;
  trades_min: number;
  /**
   * The search that chose `proposed` (pt optimize): the Deflated Sharpe of the chosen trial given
   * every trial, and the PBO; absent in records written before pt recorded them.
   */
  search?: { trials: number; dsr: number | null; pbo: number | null };
  run_id: string;
  /** ISO UTC with milliseconds; orders records. */
  created_at: string;
  /** pt optimize --apply, or pt ops rollback --target theta (a record repeating an earlier θ). */
  source: 'pt optimize' | 'pt ops rollback';
}

export type AppliedThetaFields = Omit<AppliedThetaRecord, 'schema' | 'version' | 'created_at' | 'decision'>;

const NAME = /^theta_(\d{8}T\d{6}Z)_([A-Za-z0-9-]{1,40})\.json$/;

/** `theta_<yyyyMMddTHHmmssZ>_<run>.json`, the run id cut to its letters, digits and dashes (40 at most). */
export function appliedThetaFileName(createdAt: Date, runId: string): string {
  const stamp = createdAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const run = runId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 40) || 'run';
  return `theta_${stamp}_${run}.json`;
}

export function parseAppliedThetaFileName(name: string): { stamp: string; run: string } | undefined {
  const m = NAME.exec(name);
  return m ? { stamp: m[1]!, run: m[2]! } : undefined;
}

/** The detached signature text of a record: SIGNATURE layout, the manifest naming only this record. */
export function signAppliedTheta(
  name: string,
  bytes: Uint8Array,
  key: { privateKey: KeyObject; fingerprint: string },
): string {
  const manifest = formatManifest([{ name, sha256: sha256Hex(bytes) }]);
  return formatSignatureFile(key.fingerprint, sign(null, Buffer.from(manifest, 'utf8'), key.privateKey), manifest);
}

export type AppliedThetaProblem = 'no_signature' | 'signature' | 'key' | 'digest' | 'malformed' | 'version';

const finiteProb = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= 1;

/** The record in `bytes`, or undefined when its fields are not a record's. */
function parseRecord(bytes: Uint8Array): AppliedThetaRecord | undefined {
  let r: AppliedThetaRecord;
  try {
    r = JSON.parse(Buffer.from(bytes).toString('utf8')) as AppliedThetaRecord;
  } catch {
    return undefined;
  }
  if (r === null || typeof r !== 'object' || r.schema !== APPLIED_THETA_SCHEMA) return undefined;
  if (!finiteProb(r.theta1) || !finiteProb(r.theta2) || typeof r.version !== 'string') return undefined;
  if (typeof r.created_at !== 'string' || Number.isNaN(Date.parse(r.created_at))) return undefined;
  if (typeof r.run_id !== 'string' || r.decision !== 'apply') return undefined;
  return r;
}

/**
 * Checks one record against its detached signature with `key`, then its fields: the signature names
 * this file, the digest matches, the key is the configured one, and the record is of `version`.
 */
export function checkAppliedTheta(
  name: string,
  bytes: Uint8Array,
  sigBytes: Uint8Array | undefined,
  version: string,
  key: { publicKey: KeyObject; fingerprint: string },
): { ok: true; record: AppliedThetaRecord } | { ok: false; problem: AppliedThetaProblem } {
  if (!sigBytes) return { ok: false, problem: 'no_signature' };
  const sig = parseSignatureFile(sigBytes);
  if (!sig || sig.entries.length !== 1 || sig.entries[0]!.name !== name) return { ok: false, problem: 'signature' };
  if (sig.fingerprint !== key.fingerprint) return { ok: false, problem: 'key' };
  if (!verify(null, Buffer.from(sig.manifest, 'utf8'), key.publicKey, sig.signature))
    return { ok: false, problem: 'signature' };
  if (sha256Hex(bytes) !== sig.entries[0]!.sha256) return { ok: false, problem: 'digest' };
  const record = parseRecord(bytes);
  if (!record) return { ok: false, problem: 'malformed' };
  if (record.version !== version) return { ok: false, problem: 'version' };
  return { ok: true, record };
}
