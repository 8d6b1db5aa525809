// Lists the versions of a model registry folder, newest first, each verified.
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type ModelKeyOptions, resolveVerifyKey } from './modelKeys.js';
import { parseModelVersion } from './modelVersionName.js';
import { readModelFolder, verifyFolder, type VerifyProblem } from './verifyModelVersion.js';
import { SIGNATURE_FILE } from './manifest.js';

export interface ModelVersionInfo {
  version: string;
  dir: string;
  /** The UTC minute named in the version. */
  createdAt: Date;
  /** Regular files other than SIGNATURE. */
  files: number;
  verified: boolean;
  problems: VerifyProblem[];
}

/**
 * Every `yyyyMMdd_HHmm_hash7` folder under `root` (other names and temp folders are skipped), newest
 * first (ties by name, descending). A missing root lists nothing; the verify key is needed only when
 * there is a version to check.
 */
export async function listModelVersions(
  root: string,
  options: { keys?: ModelKeyOptions } = {},
): Promise<ModelVersionInfo[]> {
  const rootDir = resolve(root);
  let entries;
  try {
    entries = await readdir(rootDir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const versions = entries
    .filter((e) => e.isDirectory())
    .flatMap((e) => {
      const parsed = parseModelVersion(e.name);
      return parsed ? [{ version: e.name, createdAt: parsed.createdAt }] : [];
    })
    .sort(
      (a, b) =>
        b.createdAt.getTime() - a.createdAt.getTime() || (a.version < b.version ? 1 : a.version > b.version ? -1 : 0),
    );
  if (versions.length === 0) return [];
  const key = await resolveVerifyKey(options.keys);
  const out: ModelVersionInfo[] = [];
  for (const v of versions) {
    const dir = join(rootDir, v.version);
    const folder = await readModelFolder(dir);
    const result = verifyFolder(folder, key);
    out.push({
      ...v,
      dir,
      files: [...folder.files.keys()].filter((n) => n !== SIGNATURE_FILE).length,
      verified: result.ok,
      problems: result.ok ? [] : result.problems,
    });
  }
  return out;
}

/**
 * The newest version under `root`, verified or not (undefined when there is none): a newer broken
 * version is not skipped in favour of an older one; load it through loadVerifiedModel, which refuses it.
 */
export async function latestModelVersion(
  root: string,
  options: { keys?: ModelKeyOptions } = {},
): Promise<ModelVersionInfo | undefined> {
  return (await listModelVersions(root, options))[0];
}
