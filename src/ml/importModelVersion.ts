// pt models import: ONNX tree models trained outside pt, checked, tied to the feature schema and
// their calibration tables, then written as a signed model version (SPEC §5, docs/models.md).
import { stringify } from 'yaml';
import { PtError } from '../core/ptError.js';
import { isotonicTableFromJson, isotonicTableOnnxDigest, isotonicTableToJson } from './calibration/index.js';
import { checkBundleSchema, readBoundCalibration, type FeatureSchemaFile } from './modelBundle.js';
import {
  appendMetadata,
  checkImportedGraph,
  loadOnnxClassifier,
  ONNX_FEATURE_NAMES_KEY,
  readOnnxGraphInfo,
} from './onnx/index.js';
import { featureSchemaProblem } from './registry/featureSchema.js';
import { loadVerifiedModel, sha256Hex, writeModelVersion, type ModelKeyOptions } from './registry/index.js';

/** A file given on the command line: its bytes and the name to show in messages. */
export interface ImportFile {
  bytes: Uint8Array;
  source: string;
}

export interface ImportModelInput {
  ai1?: ImportFile;
  ai2?: ImportFile;
  /** feature_schema.json; default: the --from version's. */
  schema?: ImportFile;
  calibration?: { ai1?: ImportFile; ai2?: ImportFile };
  /** params.yaml; default: the --from version's, else `defaultParams()`. */
  params?: ImportFile;
  /** metrics.json; default: a record of the import. */
  metrics?: ImportFile;
  /** The model input names in order, for graphs without `pt.feature_names`. */
  featureNames?: string[];
  /** A version folder whose files stand in for the ones not given. */
  from?: string;
  defaultParams: () => Record<string, unknown>;
  modelsDir: string;
  keys?: ModelKeyOptions;
  createdAt?: Date;
}

export interface ImportedModel {
  /** Where model_aiX.onnx came from: a file given, or the --from version. */
  source: string;
  kind: 'classifier' | 'regressor' | 'kept';
  inputType?: 'float32' | 'float64';
  sha256: string;
  /** True when pt added `pt.feature_names` metadata to the bytes given. */
  namesAdded: boolean;
  calibrated: boolean;
}

export interface ImportModelResult {
  version: string;
  dir: string;
  models: Record<'ai1' | 'ai2', ImportedModel>;
}

const KINDS = ['ai1', 'ai2'] as const;
type Kind = (typeof KINDS)[number];

const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

function artefactError(message: string): PtError {
  return new PtError('CORE_MODEL_ARTEFACT', message, { source: 'models' });
}

function onnxError(message: string, details: Record<string, unknown> = {}): PtError {
  return new PtError('CORE_MODEL_ONNX', message, { source: 'onnx', details });
}

function parseSchema(file: ImportFile): FeatureSchemaFile {
  let schema: unknown;
  try {
    schema = JSON.parse(utf8(file.bytes));
  } catch {
    throw artefactError(`${file.source} is not valid JSON`);
  }
  const problem = featureSchemaProblem(schema);
  if (problem) throw artefactError(`${file.source}: ${problem}`);
  checkBundleSchema(schema as FeatureSchemaFile, file.source);
  return schema as FeatureSchemaFile;
}

const show = (names: readonly string[]) =>
  names.length > 6 ? `[${names.slice(0, 3).join(', ')}, …, ${names.slice(-2).join(', ')}]` : `[${names.join(', ')}]`;

/** Where the names of two lists first differ, for the message. */
function firstDifference(a: readonly string[], b: readonly string[]): string {
  if (a.length !== b.length) return `${a.length} names against the schema's ${b.length}`;
  const i = a.findIndex((n, k) => n !== b[k]);
  return `position ${i + 1} is ${a[i]}, the schema has ${b[i]}`;
}

/**
 * The bytes to store and whether names were added: the graph's `pt.feature_names` and the names
 * given must both equal the schema's ordered names; without metadata the given names are written
 * into the graph so every later load checks them.
 */
function bindFeatureNames(
  file: ImportFile,
  graphNames: string[] | undefined,
  given: string[] | undefined,
  schemaNames: string[],
): { bytes: Uint8Array; namesAdded: boolean } {
  const same = (a: readonly string[]) => a.length === schemaNames.length && a.every((n, i) => n === schemaNames[i]);
  if (graphNames === undefined && given === undefined)
    throw onnxError(
      `${file.source} carries no ${ONNX_FEATURE_NAMES_KEY} metadata: give --feature-names with its input columns in order, so pt can check them against the schema ${show(schemaNames)}`,
    );
  if (graphNames !== undefined && !same(graphNames))
    throw onnxError(
      `${file.source} was trained on features ${show(graphNames)} (${ONNX_FEATURE_NAMES_KEY}), the schema expects ${show(schemaNames)} (${firstDifference(graphNames, schemaNames)}): retrain or re-export it with the schema's feature order`,
      { stored: graphNames, expected: schemaNames },
    );
  if (given !== undefined && !same(given))
    throw onnxError(
      `--feature-names ${show(given)} are not the schema's ordered names ${show(schemaNames)} (${firstDifference(given, schemaNames)}): the model must take its inputs in feature_schema.json names order`,
      { given, expected: schemaNames },
    );
  if (graphNames !== undefined) return { bytes: file.bytes, namesAdded: false };
  return { bytes: appendMetadata(file.bytes, ONNX_FEATURE_NAMES_KEY, JSON.stringify(schemaNames)), namesAdded: true };
}

/** A few rows through onnxruntime: every probability must be a number in [0, 1]. */
async function smokeTest(bytes: Uint8Array, names: string[], label: string): Promise<'float32' | 'float64'> {
  const model = await loadOnnxClassifier(bytes, names);
  try {
    const probes = [0, 1, -1, 2.5, -2.5, Number.NaN];
    const columns = names.map((_, j) => Float64Array.from(probes, (v, r) => (r % 2 === j % 2 ? v : -v)));
    const p = await model.predictProba(columns);
    const bad = Array.from(p).findIndex((v) => !(v >= 0 && v <= 1));
    if (bad >= 0)
      throw onnxError(`${label}: onnxruntime scored a test row ${p[bad]}, not a probability in [0, 1]`, {
        scores: Array.from(p),
      });
    return model.inputType;
  } finally {
    await model.release();
  }
}

/**
 * The calibration table of a user's file bound to `onnx`. A table that already names another
 * model's digest (neither the bytes given nor the bytes stored) is refused: it was fitted for
 * another model, the silent misuse the binding exists to stop.
 */
function bindCalibration(file: ImportFile, original: Uint8Array, stored: Uint8Array): string {
  const text = utf8(file.bytes);
  let table;
  let digest: string | undefined;
  try {
    table = isotonicTableFromJson(text);
    digest = isotonicTableOnnxDigest(text);
  } catch (e) {
    throw artefactError(`${file.source} is not a valid calibration table (${(e as Error).message})`);
  }
  const storedDigest = sha256Hex(stored);
  if (digest !== undefined && digest !== sha256Hex(original) && digest !== storedDigest)
    throw new PtError(
      'CORE_MODEL_CALIB',
      `${file.source} was fitted for another ONNX file (onnx_sha256 ${digest.slice(0, 12)}…): fit a table on this model's scores, or drop its onnx_sha256 field if it does belong to this model`,
      { source: 'models', details: { tableDigest: digest } },
    );
  return `${JSON.stringify(isotonicTableToJson(table, storedDigest))}\n`;
}

/** The --from version's metrics object (its history stays with the new version), or nothing. */
function previousMetrics(file: ImportFile | undefined): Record<string, unknown> {
  if (file === undefined) return {};
  try {
    const value: unknown = JSON.parse(utf8(file.bytes));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

export async function importModelVersion(input: ImportModelInput): Promise<ImportModelResult> {
  const from = input.from === undefined ? undefined : await loadVerifiedModel(input.from, { keys: input.keys });
  const fromFile = (name: string): ImportFile | undefined => {
    const bytes = from?.files.get(name);
    return bytes === undefined ? undefined : { bytes, source: `${from!.version}/${name}` };
  };
  const schemaFile = input.schema ?? fromFile('feature_schema.json');
  if (schemaFile === undefined) throw artefactError('no feature schema: give --schema feature_schema.json');
  const schema = parseSchema(schemaFile);
  if (input.featureNames !== undefined && new Set(input.featureNames).size !== input.featureNames.length)
    throw onnxError('--feature-names names a feature twice');

  const artefacts: Record<string, Uint8Array | string> = { 'feature_schema.json': schemaFile.bytes };
  const models = {} as Record<Kind, ImportedModel>;
  for (const kind of KINDS) {
    const given = input[kind];
    const onnxName = `model_${kind}.onnx`;
    const calibrationName = `calibration_${kind}.json`;
    const userTable = input.calibration?.[kind];
    if (given === undefined) {
      const kept = fromFile(onnxName);
      if (kept === undefined) throw artefactError(`no ${onnxName}: give --${kind} model.onnx`);
      // A kept model keeps its native trees and its table, which must already be bound to it.
      artefacts[onnxName] = kept.bytes;
      const trees = fromFile(`model_${kind}.json`);
      if (trees !== undefined) artefacts[`model_${kind}.json`] = trees.bytes;
      const table = userTable ?? fromFile(calibrationName);
      if (userTable !== undefined) artefacts[calibrationName] = bindCalibration(userTable, kept.bytes, kept.bytes);
      else if (table !== undefined) {
        readBoundCalibration(utf8(table.bytes), kept.bytes, table.source);
        artefacts[calibrationName] = table.bytes;
      }
      await smokeTest(kept.bytes, schema.names, kept.source);
      models[kind] = {
        source: kept.source,
        kind: 'kept',
        sha256: sha256Hex(kept.bytes),
        namesAdded: false,
        calibrated: table !== undefined,
      };
      continue;
    }
    let graph;
    try {
      graph = readOnnxGraphInfo(given.bytes);
    } catch (e) {
      throw onnxError(`${given.source} is not a readable ONNX ModelProto: ${(e as Error).message}`);
    }
    const shape = checkImportedGraph(graph, given.source);
    const { bytes, namesAdded } = bindFeatureNames(given, shape.featureNames, input.featureNames, schema.names);
    const inputType = await smokeTest(bytes, schema.names, given.source);
    artefacts[onnxName] = bytes;
    // The same bytes as the --from version's (re-binding its tables): its native trees still describe it.
    const previous = fromFile(onnxName);
    const trees = fromFile(`model_${kind}.json`);
    if (previous !== undefined && trees !== undefined && sha256Hex(previous.bytes) === sha256Hex(bytes))
      artefacts[`model_${kind}.json`] = trees.bytes;
    // A replaced model's native trees and table belong to the old model: only a table given here is kept.
    if (userTable !== undefined) artefacts[calibrationName] = bindCalibration(userTable, given.bytes, bytes);
    models[kind] = {
      source: given.source,
      kind: shape.kind,
      inputType,
      sha256: sha256Hex(bytes),
      namesAdded,
      calibrated: userTable !== undefined,
    };
  }

  const params = input.params ?? fromFile('params.yaml');
  artefacts['params.yaml'] = params?.bytes ?? stringify(input.defaultParams());
  const imported = {
    ...(from ? { from: from.version } : {}),
    ...Object.fromEntries(
      KINDS.map((k) => [k, { source: models[k].source, kind: models[k].kind, sha256: models[k].sha256 }]),
    ),
  };
  artefacts['metrics.json'] =
    input.metrics?.bytes ?? `${JSON.stringify({ ...previousMetrics(fromFile('metrics.json')), imported }, null, 2)}\n`;
  const { version, dir } = await writeModelVersion(input.modelsDir, artefacts, {
    ...(input.keys ? { keys: input.keys } : {}),
    ...(input.createdAt ? { createdAt: input.createdAt } : {}),
  });
  return { version, dir, models };
}
