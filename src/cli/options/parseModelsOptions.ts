// pt models list|verify flags → typed options: the registry folder, and the version to verify.
import { basename, join, resolve } from 'node:path';
import { MODEL_VERSION_PATTERN } from '../../ml/registry/modelVersionName.js';
import { tableDefaulted, tableDefaultedPath, usageError, type RawOptions } from './cliOptions.js';

export interface ModelsListOptions {
  /** Absolute path of the model registry folder. */
  modelsDir: string;
}

export interface ModelsVerifyOptions {
  /** The version's folder: under --models-dir for a bare name, else the path given. */
  dir: string;
  /** Its folder name, as printed. */
  name: string;
}

export function parseModelsListOptions(raw: RawOptions): ModelsListOptions {
  return { modelsDir: tableDefaultedPath(raw, 'modelsDir', '--models-dir') };
}

/**
 * `pt models verify <version>` or `--version <v>`. A bare name (a version, or any folder name without
 * a path separator) is looked up under --models-dir; a path (`./x`, `models/x`, `/abs/x`) is taken as given.
 */
export function parseModelsVerifyOptions(raw: RawOptions): ModelsVerifyOptions {
  const positional = (raw.args as string[] | undefined)?.[0];
  const flag = raw.version === undefined ? undefined : String(raw.version);
  if (positional !== undefined && flag !== undefined && positional !== flag)
    throw usageError(`two versions given (${positional} and --version ${flag}): give one`);
  const given = positional ?? flag;
  if (given === undefined) throw usageError('which version? pt models verify <version> (or --version <v>)');
  const bare = MODEL_VERSION_PATTERN.test(given) || (!/[/\\]/.test(given) && given !== '.' && given !== '..');
  const dir = bare ? join(tableDefaulted(raw, 'modelsDir', '--models-dir'), given) : given;
  return { dir, name: basename(resolve(dir)) };
}
