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

export interface ModelsImportOptions {
  ai1?: string;
  ai2?: string;
  schema?: string;
  calibrationAi1?: string;
  calibrationAi2?: string;
  params?: string;
  metrics?: string;
  featureNames?: string[];
  /** The version folder whose files fill in what is not given. */
  from?: string;
  modelsDir: string;
}

const optionalPath = (raw: RawOptions, key: string, flag: string): string | undefined => {
  const v = raw[key];
  if (v === undefined) return undefined;
  if (v === '' || v === true) throw usageError(`${flag} needs a file`);
  return resolve(String(v));
};

/**
 * `pt models import --ai1 A.onnx --ai2 B.onnx --schema feature_schema.json [...]`. Without `--from`
 * both models and the schema are required; with it, each file not given is taken from that version
 * (a bare name is looked up under --models-dir, as for verify).
 */
export function parseModelsImportOptions(raw: RawOptions): ModelsImportOptions {
  const modelsDir = tableDefaultedPath(raw, 'modelsDir', '--models-dir');
  let from: string | undefined;
  if (raw.from !== undefined) {
    const given = String(raw.from);
    if (given === '') throw usageError('--from needs a version');
    const bare = !/[/\\]/.test(given) && given !== '.' && given !== '..';
    from = bare ? join(modelsDir, given) : resolve(given);
  }
  const options: ModelsImportOptions = { modelsDir };
  const paths = {
    ai1: '--ai1',
    ai2: '--ai2',
    schema: '--schema',
    calibrationAi1: '--calibration-ai1',
    calibrationAi2: '--calibration-ai2',
    params: '--params',
    metrics: '--metrics',
  } as const;
  for (const [key, flag] of Object.entries(paths) as Array<[keyof typeof paths, string]>) {
    const p = optionalPath(raw, key, flag);
    if (p !== undefined) options[key] = p;
  }
  if (from === undefined) {
    const missing = (['ai1', 'ai2', 'schema'] as const).filter((k) => options[k] === undefined).map((k) => paths[k]);
    if (missing.length > 0)
      throw usageError(
        `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} required (or --from <version> to take the files not given from that version)`,
      );
  } else options.from = from;
  if (raw.featureNames !== undefined) {
    const names = String(raw.featureNames)
      .split(',')
      .map((s) => s.trim());
    if (names.some((n) => n === ''))
      throw usageError(`--feature-names "${String(raw.featureNames)}" has an empty name`);
    if (new Set(names).size !== names.length) throw usageError('--feature-names names a feature twice');
    options.featureNames = names;
  }
  return options;
}
