// The promoted version of a model group: `models/<group>/CURRENT`, a text file naming one version folder.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ensureDirDurable, isDirectory, writeFileAtomic } from '../../core/durableFs.js';
import { PtError } from '../../core/ptError.js';
import { parseModelVersion } from './modelVersionName.js';

export const CURRENT_FILE = 'CURRENT';

/** The version a group's CURRENT names, and where that version's folder is. */
export interface CurrentModel {
  group: string;
  version: string;
  /** Absolute: `<modelsDir>/<version>` (versions sit flat in the registry; groups only point). */
  dir: string;
  /** Absolute path of the pointer file. */
  pointer: string;
}

const SOURCE = 'model-registry';
/** A group is one folder name: never a path, never a version name (which would shadow the version). */
const GROUP_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

function checkGroup(group: string): void {
  if (!GROUP_PATTERN.test(group) || parseModelVersion(group))
    throw new PtError(
      'CORE_CONFIG_INVALID',
      `model group ${JSON.stringify(group)} cannot name a folder under models/: use letters, digits, _ and -`,
      { source: SOURCE, details: { group } },
    );
}

const isDir = isDirectory;

/** `<modelsDir>/<group>/CURRENT`, absolute. */
export function currentPointerPath(modelsDir: string, group: string): string {
  checkGroup(group);
  return join(resolve(modelsDir), group, CURRENT_FILE);
}

/**
 * The version `models/<group>/CURRENT` names. Missing, empty or not a version name:
 * CORE_MODEL_NOCURRENT; a version whose folder is gone: CORE_MODEL_DANGLING. The folder is not
 * verified here: load it through loadVerifiedModel, which refuses an unsigned or tampered one.
 */
export async function readCurrentModel(modelsDir: string, group: string): Promise<CurrentModel> {
  const pointer = currentPointerPath(modelsDir, group);
  let text: string;
  try {
    text = await readFile(pointer, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ENOTDIR') throw e;
    throw new PtError('CORE_MODEL_NOCURRENT', `model group ${group} has no CURRENT pointer (${pointer})`, {
      source: SOURCE,
      details: { group, pointer },
    });
  }
  const version = text.trim();
  if (!parseModelVersion(version))
    throw new PtError(
      'CORE_MODEL_NOCURRENT',
      `${pointer} does not name a model version (yyyyMMdd_HHmm_hash7): ${JSON.stringify(version.slice(0, 80))}`,
      { source: SOURCE, details: { group, pointer } },
    );
  const dir = join(resolve(modelsDir), version);
  if (!(await isDir(dir)))
    throw new PtError('CORE_MODEL_DANGLING', `${pointer} names version ${version}, but ${dir} does not exist`, {
      source: SOURCE,
      details: { group, pointer, version, dir },
    });
  return { group, version, dir, pointer };
}

/**
 * Points `models/<group>/CURRENT` at `version` (atomically: a reader sees the old or the new name,
 * never a mix). The version folder must exist (CORE_MODEL_NOTFOUND otherwise), so no writer leaves a
 * dangling pointer; verifying the version is the promoter's job.
 */
export async function writeCurrentModel(modelsDir: string, group: string, version: string): Promise<CurrentModel> {
  const pointer = currentPointerPath(modelsDir, group);
  if (!parseModelVersion(version))
    throw new PtError(
      'CORE_MODEL_NOTFOUND',
      `not a model version name (yyyyMMdd_HHmm_hash7): ${JSON.stringify(version.slice(0, 80))}`,
      { source: SOURCE, details: { group, version: version.slice(0, 80) } },
    );
  const dir = join(resolve(modelsDir), version);
  if (!(await isDir(dir)))
    throw new PtError('CORE_MODEL_NOTFOUND', `cannot point ${group} at ${version}: ${dir} does not exist`, {
      source: SOURCE,
      details: { group, version, dir },
    });
  await ensureDirDurable(join(resolve(modelsDir), group));
  await writeFileAtomic(pointer, `${version}\n`);
  return { group, version, dir, pointer };
}
