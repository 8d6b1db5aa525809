// Loads a binary TreeEnsembleClassifier ONNX model into onnxruntime-node and returns P(class 1).
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { PtError } from '../../core/ptError.js';
import { ONNX_FEATURE_NAMES_KEY, ONNX_PROBABILITIES_OUTPUT } from './exportTreeEnsembleOnnx.js';
import { appendGraphOutput, readOnnxGraphInfo, type OnnxGraphInfo } from './onnxGraphInfo.js';
import { OnnxDataType } from './onnxProto.js';

/** Rows to score: one Float64Array per feature (columns), or a row-major Float32Array of N × F. */
export type OnnxFeatureInput = Float64Array[] | Float32Array;

export interface OnnxClassifier {
  readonly featureNames: readonly string[];
  /** The graph input fed, and its element type. */
  readonly inputName: string;
  readonly inputType: 'float32' | 'float64';
  /** The tensor output read, and which of its columns is class 1. */
  readonly probabilityOutput: string;
  readonly positiveColumn: number;
  /** P(class 1) per row, as the ONNX graph gives it (uncalibrated for pt's own exports). */
  predictProba(X: OnnxFeatureInput): Promise<Float64Array>;
  release(): Promise<void>;
}

function fail(message: string, details: Record<string, unknown> = {}, cause?: unknown): never {
  throw new PtError('CORE_MODEL_ONNX', message, { source: 'onnx', details, ...(cause === undefined ? {} : { cause }) });
}

const ZIPMAP_TENSOR_DIMS = ['N', 2];

/** Which column of the [N, 2] probabilities is class 1, from the class labels of the producing node. */
function positiveColumnOf(graph: OnnxGraphInfo, tensorName: string, modelName: string): number {
  const node = graph.nodes.find((n) => n.outputs.includes(tensorName));
  const ints = node?.ints.classlabels_int64s;
  const strings = node?.strings.classlabels_strings;
  const labels: Array<string | number> | undefined =
    ints && ints.length > 0 ? ints : strings && strings.length > 0 ? strings : undefined;
  if (labels === undefined) return 1;
  if (labels.length !== 2) fail(`${modelName}: ${labels.length} class labels, a binary classifier has 2`, { labels });
  const i = labels.findIndex((l) => String(l) === '1' || l === 'true' || l === 'True');
  return i >= 0 ? i : 1;
}

/** A float tensor output of shape [N, 1]. */
function isSigmoidColumn(m: ort.InferenceSession.ValueMetadata): boolean {
  return m.isTensor && (m.type === 'float32' || m.type === 'float64') && m.shape.length === 2 && m.shape[1] === 1;
}

/**
 * The node that makes `tensorName` a probability: a `Sigmoid` fed directly by a TreeEnsembleRegressor
 * with post_transform NONE. Undefined otherwise. (onnxruntime 1.30 returns the raw sum of a
 * one-target regressor whose post_transform is LOGISTIC, so that form is not a probability.)
 */
export function sigmoidProducer(graph: OnnxGraphInfo, tensorName: string): OnnxGraphInfo['nodes'][number] | undefined {
  const node = graph.nodes.find((n) => n.outputs.includes(tensorName));
  if (node === undefined) return undefined;
  if (node.opType !== 'Sigmoid') return undefined;
  const input = graph.nodes.find((n) => n.outputs.includes(node.inputs[0] ?? ''));
  return input?.opType === 'TreeEnsembleRegressor' && (input.string.post_transform ?? 'NONE') === 'NONE'
    ? node
    : undefined;
}

function tensorWidth(meta: ort.InferenceSession.ValueMetadata): number | string | undefined {
  return meta.isTensor && meta.shape.length === 2 ? meta.shape[1] : undefined;
}

/**
 * Opens an ONNX binary classifier (pt's own export, or a LightGBM/XGBoost model converted
 * elsewhere) for the features `expectedFeatureNames`, in that order. Refuses, with a
 * CORE_MODEL_ONNX PtError, a model whose input width or probabilities layout does not fit.
 * The probabilities are the tensor output named `probabilities`, else the one float output of
 * shape [N, 2]; a ZipMap output is read through the tensor that feeds it.
 */
export async function loadOnnxClassifier(
  source: Uint8Array | string,
  expectedFeatureNames: string[],
): Promise<OnnxClassifier> {
  const modelName = typeof source === 'string' ? source : 'the ONNX model';
  let bytes: Uint8Array;
  try {
    bytes = typeof source === 'string' ? new Uint8Array(await readFile(source)) : source;
  } catch (e) {
    fail(`cannot read ${modelName}: ${(e as Error).message}`, { path: source }, e);
  }
  if (expectedFeatureNames.length === 0) fail('no expected feature names given');

  let graph: OnnxGraphInfo;
  try {
    graph = readOnnxGraphInfo(bytes);
  } catch (e) {
    fail(`${modelName} is not a readable ONNX ModelProto: ${(e as Error).message}`, {}, e);
  }

  // onnxruntime-node returns tensors only; expose the tensor in front of a ZipMap as an extra output.
  const zipMap = graph.nodes.find((n) => n.opType === 'ZipMap' && n.outputs.some((o) => graph.outputNames.includes(o)));
  const zipMapInput = zipMap?.inputs[0];
  if (zipMapInput !== undefined && !graph.outputNames.includes(zipMapInput)) {
    bytes = appendGraphOutput(bytes, { name: zipMapInput, elemType: OnnxDataType.FLOAT, dims: ZIPMAP_TENSOR_DIMS });
  }

  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes);
  } catch (e) {
    fail(`onnxruntime cannot load ${modelName}: ${(e as Error).message}`, {}, e);
  }
  try {
    return bind(session, graph, modelName, expectedFeatureNames, zipMapInput);
  } catch (e) {
    await session.release();
    throw e;
  }
}

function bind(
  session: ort.InferenceSession,
  graph: OnnxGraphInfo,
  modelName: string,
  featureNames: string[],
  zipMapInput: string | undefined,
): OnnxClassifier {
  const featureCount = featureNames.length;
  const inputs = session.inputMetadata;
  if (inputs.length !== 1)
    fail(`${modelName} has ${inputs.length} inputs, a classifier over one feature matrix has 1`, {
      inputs: session.inputNames,
    });
  const input = inputs[0]!;
  if (!input.isTensor || (input.type !== 'float32' && input.type !== 'float64')) {
    fail(`${modelName} input ${input.name} is not a float or double tensor`, { input });
  }
  const width = tensorWidth(input);
  if (input.shape.length !== 2)
    fail(`${modelName} input ${input.name} has shape [${input.shape.join(', ')}], expected [N, ${featureCount}]`);
  if (typeof width === 'number' && width !== featureCount) {
    const shown = featureNames.length > 5 ? `${featureNames.slice(0, 5).join(', ')}, …` : featureNames.join(', ');
    fail(`${modelName} takes ${width} features, expected ${featureCount} (${shown})`, {
      modelWidth: width,
      expected: featureCount,
    });
  }
  // pt's own exports record the names: the same width in another order must not pass.
  const namesJson = graph.metadata[ONNX_FEATURE_NAMES_KEY];
  if (namesJson !== undefined) {
    let stored: unknown;
    try {
      stored = JSON.parse(namesJson);
    } catch {
      stored = namesJson;
    }
    if (!Array.isArray(stored) || stored.length !== featureCount || stored.some((n, i) => n !== featureNames[i])) {
      fail(`${modelName} was exported for features ${namesJson}, expected ${JSON.stringify(featureNames)}`, {
        stored,
        expected: featureNames,
      });
    }
  }
  // A symbolic width cannot be checked from the signature; the splits must at least stay inside it.
  let maxFeature = -1;
  for (const n of graph.nodes)
    if (n.opType.startsWith('TreeEnsemble'))
      for (const f of n.ints.nodes_featureids ?? []) maxFeature = Math.max(maxFeature, f);
  if (maxFeature >= featureCount)
    fail(`${modelName} splits on feature index ${maxFeature}, expected ${featureCount} features`, { maxFeature });

  const outputs = session.outputMetadata;
  const isProbTensor = (m: ort.InferenceSession.ValueMetadata): boolean =>
    m.isTensor &&
    (m.type === 'float32' || m.type === 'float64') &&
    m.shape.length === 2 &&
    (tensorWidth(m) === 2 || typeof tensorWidth(m) === 'string');
  const named = outputs.find((m) => m.name === ONNX_PROBABILITIES_OUTPUT && isProbTensor(m));
  const byShape = outputs.filter((m) => isProbTensor(m) && tensorWidth(m) === 2);
  const twoColumns =
    named ??
    (zipMapInput !== undefined ? outputs.find((m) => m.name === zipMapInput) : undefined) ??
    (byShape.length === 1 ? byShape[0] : byShape.find((m) => /prob/i.test(m.name)));
  // A regressor whose score goes through a Sigmoid node: its one output is P(class 1).
  const sigmoidOutput =
    twoColumns === undefined
      ? outputs.find((m) => isSigmoidColumn(m) && sigmoidProducer(graph, m.name) !== undefined)
      : undefined;
  const chosen = twoColumns ?? sigmoidOutput;
  if (chosen === undefined) {
    const layout = outputs
      .map((m) => (m.isTensor ? `${m.name}: ${m.type} [${m.shape.join(', ')}]` : `${m.name}: non-tensor`))
      .join('; ');
    fail(
      `${modelName} has no probabilities output (a float tensor [N, 2], a ZipMap, or a regressor's sigmoid [N, 1]); outputs: ${layout}`,
      { outputs: session.outputNames },
    );
  }
  const outWidth = sigmoidOutput === undefined ? 2 : 1;
  const positiveColumn = outWidth === 1 ? 0 : positiveColumnOf(graph, chosen.name, modelName);
  const inputType = input.type as 'float32' | 'float64';

  return {
    featureNames: [...featureNames],
    inputName: input.name,
    inputType,
    probabilityOutput: chosen.name,
    positiveColumn,
    async predictProba(X: OnnxFeatureInput): Promise<Float64Array> {
      const { data, rows } = toRowMajor(X, featureCount, inputType);
      if (rows === 0) return new Float64Array(0);
      const tensor = new ort.Tensor(inputType, data, [rows, featureCount]);
      let result: ort.InferenceSession.OnnxValueMapType;
      try {
        result = await session.run({ [input.name]: tensor }, [chosen.name]);
      } catch (e) {
        fail(`onnxruntime failed to run ${modelName}: ${(e as Error).message}`, {}, e);
      }
      const out = result[chosen.name]!;
      const dims = out.dims;
      if (dims.length !== 2 || dims[0] !== rows || dims[1] !== outWidth) {
        fail(`${modelName} output ${chosen.name} has shape [${dims.join(', ')}], expected [${rows}, ${outWidth}]`, {
          dims,
        });
      }
      const values = out.data as Float32Array | Float64Array;
      const p = new Float64Array(rows);
      for (let r = 0; r < rows; r++) p[r] = values[r * outWidth + positiveColumn]!;
      return p;
    },
    async release(): Promise<void> {
      await session.release();
    },
  };
}

/** Interleaves columns (or checks a flat row-major array) into the input element type. */
function toRowMajor(
  X: OnnxFeatureInput,
  featureCount: number,
  type: 'float32' | 'float64',
): { data: Float32Array | Float64Array; rows: number } {
  if (X instanceof Float32Array) {
    if (X.length % featureCount !== 0)
      fail(`row-major input has ${X.length} values, not a multiple of ${featureCount} features`);
    const rows = X.length / featureCount;
    return { data: type === 'float32' ? X : Float64Array.from(X), rows };
  }
  if (X.length !== featureCount)
    fail(`input has ${X.length} feature columns, the model expects ${featureCount}`, {
      columns: X.length,
      expected: featureCount,
    });
  const rows = X[0]!.length;
  const data = type === 'float32' ? new Float32Array(rows * featureCount) : new Float64Array(rows * featureCount);
  X.forEach((col, j) => {
    if (col.length !== rows) fail(`feature column ${j} has ${col.length} rows, column 0 has ${rows}`);
    for (let r = 0; r < rows; r++) data[r * featureCount + j] = col[r]!;
  });
  return { data, rows };
}
