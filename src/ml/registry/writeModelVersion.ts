// Writes a signed model version: artefacts + SIGNATURE into a temp folder, fsynced, renamed into place atomically.
import { sign } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ensureDirDurable, fsyncDir, pathExists, tempPathFor } from '../../core/durableFs.js';
import { fsErrorFrom } from '../../core/fsError.js';
import { PtError } from '../../core/ptError.js';
import { formatManifest, manifestEntries, sha256Hex, SIGNATURE_FILE } from './manifest.js';
import { type ModelKeyOptions, resolveSigningKey } from './modelKeys.js';
import { prepareArtefacts } from './modelArtefacts.js';
import { formatModelVersion } from './modelVersionName.js';
import { formatSignatureFile } from './signatureFile.js';

export interface WriteModelVersionOptions {
  /** Creation time named in the version (UTC minute); default now. */
  createdAt?: Date;
  keys?: ModelKeyOptions;
}

async function writeSynced(path: string, bytes: Uint8Array): Promise<void> {
  const fh = await open(path, 'wx');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** The files into a temp folder renamed to `dir`; the temp folder is removed when anything fails. */
async function writeVersionFolder(dir: string, files: Map<string, Uint8Array>, exists: () => PtError): Promise<void> {
  const tmp = tempPathFor(dir);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp);
  try {
    await Promise.all([...files].map(([name, bytes]) => writeSynced(join(tmp, name), bytes)));
    await fsyncDir(tmp);
    try {
      await rename(tmp, dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') throw exists();
      throw e;
    }
  } catch (e) {
    // The first failure is the one to report, not a failed cleanup.
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
}

/**
 * Signs `artefacts` (file name → content; see REQUIRED_ARTEFACTS) and writes them as
 * `<root>/<yyyyMMdd_HHmm_hash7>/`, the hash being the manifest's SHA-256. Readers never see a
 * half-written version: the folder appears by one rename, then the parent is fsynced.
 */
export async function writeModelVersion(
  root: string,
  artefacts: Record<string, Uint8Array | string>,
  options: WriteModelVersionOptions = {},
): Promise<{ version: string; dir: string }> {
  const files = prepareArtefacts(artefacts);
  const key = await resolveSigningKey(options.keys);
  const manifest = formatManifest(manifestEntries(files));
  const signature = sign(null, Buffer.from(manifest, 'utf8'), key.privateKey);
  files.set(SIGNATURE_FILE, Buffer.from(formatSignatureFile(key.fingerprint, signature, manifest), 'utf8'));

  const version = formatModelVersion(options.createdAt ?? new Date(), sha256Hex(manifest));
  const rootDir = resolve(root);
  const dir = join(rootDir, version);
  const exists = () =>
    new PtError('CORE_MODEL_EXISTS', `model version ${version} already exists in ${rootDir}`, {
      source: 'model-registry',
    });
  try {
    await ensureDirDurable(rootDir);
    if (await pathExists(dir)) throw exists();
    await writeVersionFolder(dir, files, exists);
    await fsyncDir(rootDir);
  } catch (e) {
    throw fsErrorFrom(e, `cannot write model version ${dir}`, { path: dir, source: 'model-registry' }) ?? e;
  }
  return { version, dir };
}
