// The artefacts of a model version (SPEC §5): required names, name rules and content checks before signing.
import { parse as parseYaml } from 'yaml';
import { PtError } from '../../core/ptError.js';
import { featureSchemaHash, featureSchemaProblem } from './featureSchema.js';
import { ARTEFACT_NAME_PATTERN, SIGNATURE_FILE } from './manifest.js';

/** Every version holds these; anything else (e.g. calibration_ai1.json) is an optional extra. */
export const REQUIRED_ARTEFACTS = [
  'model_ai1.onnx',
  'model_ai2.onnx',
  'feature_schema.json',
  'params.yaml',
  'metrics.json',
] as const;

/** params.yaml keys, each a finite number: θ1, θ2, z_entry, z_exit, M (max holding bars), θ_stop. */
export const PARAMS_KEYS = ['theta1', 'theta2', 'z_entry', 'z_exit', 'M', 'theta_stop'] as const;

export type ModelParams = Record<(typeof PARAMS_KEYS)[number], number>;

const artefactError = (message: string) => new PtError('CORE_MODEL_ARTEFACT', message, { source: 'model-registry' });

const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

function checkParams(bytes: Uint8Array): void {
  let params: unknown;
  try {
    params = parseYaml(utf8(bytes));
  } catch {
    throw artefactError('params.yaml is not valid YAML');
  }
  if (params === null || typeof params !== 'object' || Array.isArray(params))
    throw artefactError('params.yaml is not a mapping');
  for (const key of PARAMS_KEYS) {
    const v = (params as Record<string, unknown>)[key];
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw artefactError(`params.yaml: ${key} must be a finite number`);
  }
  // Written by pt train since decisions read the event definition from the version; optional for older ones.
  const p = params as Record<string, unknown>;
  for (const key of ['theta_speed', 'speed_lookback_bars'] as const) {
    if (p[key] !== undefined && (typeof p[key] !== 'number' || !Number.isFinite(p[key])))
      throw artefactError(`params.yaml: ${key} must be a finite number`);
  }
  if (
    p.speed_lookback_bars !== undefined &&
    !(Number.isInteger(p.speed_lookback_bars) && (p.speed_lookback_bars as number) >= 1)
  )
    throw artefactError('params.yaml: speed_lookback_bars must be a positive integer');
  if (p.signal_z !== undefined && p.signal_z !== 'raw' && p.signal_z !== 'ema')
    throw artefactError('params.yaml: signal_z must be raw or ema');
}

function parseJson(name: string, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(utf8(bytes));
  } catch {
    throw artefactError(`${name} is not valid JSON`);
  }
}

/**
 * The artefacts as bytes, checked: names, the required files, params.yaml keys, metrics.json an object,
 * feature_schema.json names/normalisation/hash. A feature schema without `hash` gets it (re-serialised
 * as indented JSON); a wrong hash is refused.
 */
export function prepareArtefacts(artefacts: Record<string, Uint8Array | string>): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const [name, content] of Object.entries(artefacts)) {
    if (name === SIGNATURE_FILE) throw artefactError('SIGNATURE is written by the registry, not given as an artefact');
    if (!ARTEFACT_NAME_PATTERN.test(name))
      throw artefactError(
        `artefact name ${JSON.stringify(name)} is not a plain file name ([A-Za-z0-9._-], no leading dot)`,
      );
    files.set(name, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
  }
  const missing = REQUIRED_ARTEFACTS.filter((n) => !files.has(n));
  if (missing.length > 0) throw artefactError(`a model version needs ${missing.join(', ')}`);
  for (const name of ['model_ai1.onnx', 'model_ai2.onnx'])
    if (files.get(name)!.length === 0) throw artefactError(`${name} is empty`);
  checkParams(files.get('params.yaml')!);
  const metrics = parseJson('metrics.json', files.get('metrics.json')!);
  if (metrics === null || typeof metrics !== 'object' || Array.isArray(metrics))
    throw artefactError('metrics.json is not a JSON object');
  const schema = parseJson('feature_schema.json', files.get('feature_schema.json')!);
  const problem = featureSchemaProblem(schema);
  if (problem) throw artefactError(`feature_schema.json: ${problem}`);
  const record = schema as Record<string, unknown>;
  if (record.hash === undefined)
    files.set(
      'feature_schema.json',
      Buffer.from(`${JSON.stringify({ ...record, hash: featureSchemaHash(record) }, null, 2)}\n`),
    );
  return files;
}
