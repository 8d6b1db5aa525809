// Verifies a model version folder against its SIGNATURE: key fingerprint, Ed25519 signature, each file's SHA-256, no extras.
import { verify } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PtError } from '../../core/ptError.js';
import { APPLIED_DIR } from './appliedThetaRecord.js';
import { sha256Hex, SIGNATURE_FILE } from './manifest.js';
import { type ModelKeyOptions, type ResolvedVerifyKey, resolveVerifyKey } from './modelKeys.js';
import { parseSignatureFile } from './signatureFile.js';

export type VerifyProblemKind = 'missing' | 'extra' | 'digest' | 'signature' | 'no_signature' | 'key';

export interface VerifyProblem {
  file: string;
  problem: VerifyProblemKind;
}

/** `files`: the signed files (SIGNATURE excluded). */
export type VerifyResult = { ok: true; files: number; fingerprint: string } | { ok: false; problems: VerifyProblem[] };

export interface ModelFolder {
  dir: string;
  /** Regular files by name, SIGNATURE included. */
  files: Map<string, Uint8Array>;
  /** Entries that are not regular files (folders, links …): always extra. */
  others: string[];
}

/**
 * Reads every entry of a version folder; symbolic links are not followed. The `applied/` folder is
 * left out: it holds the separately signed applied-θ records (checkAppliedThetas), added after the
 * version was signed.
 */
export async function readModelFolder(dir: string): Promise<ModelFolder> {
  const abs = resolve(dir);
  let entries;
  try {
    entries = await readdir(abs, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new PtError('CORE_MODEL_NOTFOUND', `no model version folder at ${abs}`, { source: 'model-registry' });
    throw e;
  }
  const files = new Map<string, Uint8Array>();
  const others: string[] = [];
  for (const e of entries) {
    if (e.isFile()) files.set(e.name, await readFile(join(abs, e.name)));
    else if (!(e.name === APPLIED_DIR && e.isDirectory())) others.push(e.name);
  }
  return { dir: abs, files, others };
}

const byFile = (a: VerifyProblem, b: VerifyProblem) =>
  a.file === SIGNATURE_FILE ? -1 : b.file === SIGNATURE_FILE ? 1 : a.file < b.file ? -1 : a.file > b.file ? 1 : 0;

/** The problems of a folder read into memory, checked with `key` (pure; empty when it verifies). */
export function findProblems(
  folder: Pick<ModelFolder, 'files' | 'others'>,
  key: Pick<ResolvedVerifyKey, 'publicKey' | 'fingerprint'>,
): VerifyProblem[] {
  const sigBytes = folder.files.get(SIGNATURE_FILE);
  if (!sigBytes) return [{ file: SIGNATURE_FILE, problem: 'no_signature' }];
  const sig = parseSignatureFile(sigBytes);
  if (!sig) return [{ file: SIGNATURE_FILE, problem: 'signature' }];
  const problems: VerifyProblem[] = [];
  if (sig.fingerprint !== key.fingerprint) problems.push({ file: SIGNATURE_FILE, problem: 'key' });
  else if (!verify(null, Buffer.from(sig.manifest, 'utf8'), key.publicKey, sig.signature))
    problems.push({ file: SIGNATURE_FILE, problem: 'signature' });
  const listed = new Set<string>();
  for (const entry of sig.entries) {
    listed.add(entry.name);
    const bytes = folder.files.get(entry.name);
    if (!bytes) problems.push({ file: entry.name, problem: 'missing' });
    else if (sha256Hex(bytes) !== entry.sha256) problems.push({ file: entry.name, problem: 'digest' });
  }
  for (const name of [...folder.files.keys(), ...folder.others]) {
    if (name !== SIGNATURE_FILE && !listed.has(name)) problems.push({ file: name, problem: 'extra' });
  }
  return problems.sort(byFile);
}

/** Verifies the version folder `dir` with the configured verify key (see resolveVerifyKey). */
export async function verifyModelVersion(dir: string, options: { keys?: ModelKeyOptions } = {}): Promise<VerifyResult> {
  const folder = await readModelFolder(dir);
  const key = await resolveVerifyKey(options.keys);
  return verifyFolder(folder, key);
}

export function verifyFolder(folder: ModelFolder, key: ResolvedVerifyKey): VerifyResult {
  const problems = findProblems(folder, key);
  return problems.length === 0
    ? { ok: true, files: folder.files.size - 1, fingerprint: key.fingerprint }
    : { ok: false, problems };
}
