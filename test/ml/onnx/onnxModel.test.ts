// loadOnnxClassifier: foreign (converter-style) models, ZipMap outputs, and the refusals.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PtError } from '../../../src/core/ptError.js';
import { exportTreeEnsembleOnnx } from '../../../src/ml/onnx/exportTreeEnsembleOnnx.js';
import { loadOnnxClassifier } from '../../../src/ml/onnx/onnxModel.js';
import {
  encodeOnnxModel,
  OnnxDataType,
  type OnnxAttribute,
  type OnnxNode,
  type OnnxValueInfo,
} from '../../../src/ml/onnx/onnxProto.js';
import { sigmoid } from '../../../src/ml/treeEnsemble.js';
import { randomColumns, randomEnsemble } from './randomEnsemble.js';

/**
 * A model laid out as onnxmltools writes a LightGBM binary classifier: float input `input`, one
 * stump on feature 1 with float thresholds and class id 0 weights, no base value, and (unless
 * `zipMap` is false) a ZipMap turning `probability_tensor` into the `probabilities` sequence of maps.
 */
function converterStyleModel(opts: {
  featureCount: number;
  zipMap: boolean;
  classes?: number[];
  probName?: string;
}): Uint8Array {
  const classes = opts.classes ?? [0, 1];
  const probTensor = opts.zipMap ? 'probability_tensor' : (opts.probName ?? 'probabilities');
  const attributes: OnnxAttribute[] = [
    { name: 'nodes_treeids', kind: 'ints', value: [0, 0, 0] },
    { name: 'nodes_nodeids', kind: 'ints', value: [0, 1, 2] },
    { name: 'nodes_featureids', kind: 'ints', value: [1, 0, 0] },
    { name: 'nodes_modes', kind: 'strings', value: ['BRANCH_LEQ', 'LEAF', 'LEAF'] },
    { name: 'nodes_values', kind: 'floats', value: [0.5, 0, 0] },
    { name: 'nodes_truenodeids', kind: 'ints', value: [1, 0, 0] },
    { name: 'nodes_falsenodeids', kind: 'ints', value: [2, 0, 0] },
    { name: 'nodes_missing_value_tracks_true', kind: 'ints', value: [1, 0, 0] },
    { name: 'class_treeids', kind: 'ints', value: classes.length === 2 ? [0, 0] : [0, 0, 0, 0] },
    { name: 'class_nodeids', kind: 'ints', value: classes.length === 2 ? [1, 2] : [1, 1, 2, 2] },
    { name: 'class_ids', kind: 'ints', value: classes.length === 2 ? [0, 0] : [0, 2, 1, 2] },
    { name: 'class_weights', kind: 'floats', value: classes.length === 2 ? [1.25, -0.75] : [1, 0.5, 1, 0.5] },
    { name: 'classlabels_int64s', kind: 'ints', value: classes },
    { name: 'post_transform', kind: 'string', value: classes.length === 2 ? 'LOGISTIC' : 'SOFTMAX' },
  ];
  const nodes: OnnxNode[] = [
    {
      opType: 'TreeEnsembleClassifier',
      domain: 'ai.onnx.ml',
      name: 'LightGbmLGBMClassifier',
      inputs: ['input'],
      outputs: ['label', probTensor],
      attributes,
    },
  ];
  const outputs: OnnxValueInfo[] = [{ name: 'label', elemType: OnnxDataType.INT64, dims: ['N'] }];
  if (opts.zipMap) {
    nodes.push({
      opType: 'ZipMap',
      domain: 'ai.onnx.ml',
      name: 'ZipMap',
      inputs: [probTensor],
      outputs: ['probabilities'],
      attributes: [{ name: 'classlabels_int64s', kind: 'ints', value: classes }],
    });
    outputs.push({
      name: 'probabilities',
      mapSequence: { keyType: OnnxDataType.INT64, valueType: OnnxDataType.FLOAT },
    });
  } else {
    outputs.push({ name: probTensor, elemType: OnnxDataType.FLOAT, dims: ['N', classes.length] });
  }
  return encodeOnnxModel({
    irVersion: 7,
    opsetImports: [
      { domain: '', version: 13 },
      { domain: 'ai.onnx.ml', version: 1 },
    ],
    producerName: 'OnnxMLTools',
    producerVersion: '1.12',
    graphName: 'lightgbm',
    nodes,
    inputs: [{ name: 'input', elemType: OnnxDataType.FLOAT, dims: ['N', opts.featureCount] }],
    outputs,
  });
}

/** What the converter-style stump gives for feature 1 (float threshold, NaN left). */
function stumpProba(x1: number): number {
  return sigmoid(Number.isNaN(x1) || Math.fround(x1) <= Math.fround(0.5) ? 1.25 : -0.75);
}

async function expectRefused(promise: Promise<unknown>, message: RegExp): Promise<PtError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PtError);
  expect((err as PtError).id).toBe('CORE_MODEL_ONNX');
  expect((err as PtError).message).toMatch(message);
  return err as PtError;
}

describe('loadOnnxClassifier', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pt-onnx-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const names3 = ['a', 'b', 'c'];
  const cols = [
    Float64Array.from([9, -9, Number.NaN, 0]),
    Float64Array.from([0.5, 0.5000001, Number.NaN, 7]),
    Float64Array.from([1, 2, 3, 4]),
  ];

  it('reads a converter-style model through its ZipMap, taking the class-1 column', async () => {
    const clf = await loadOnnxClassifier(converterStyleModel({ featureCount: 3, zipMap: true }), names3);
    expect(clf.inputType).toBe('float32');
    expect(clf.probabilityOutput).toBe('probability_tensor');
    expect(clf.positiveColumn).toBe(1);
    const p = await clf.predictProba(cols);
    Array.from(cols[1]!).forEach((x1, r) => expect(Math.abs(p[r]! - stumpProba(x1))).toBeLessThan(1e-6));
    await clf.release();
  });

  it('reads a converter-style model without ZipMap, by name or by its [N, 2] shape', async () => {
    for (const probName of ['probabilities', 'output_probability']) {
      const clf = await loadOnnxClassifier(converterStyleModel({ featureCount: 3, zipMap: false, probName }), names3);
      expect(clf.probabilityOutput).toBe(probName);
      const rows = Float32Array.from([0, 0.25, 0, 0, 0.75, 0]); // two rows, row-major
      const p = await clf.predictProba(rows);
      expect(p.length).toBe(2);
      expect(Math.abs(p[0]! - stumpProba(0.25))).toBeLessThan(1e-6);
      expect(Math.abs(p[1]! - stumpProba(0.75))).toBeLessThan(1e-6);
      await clf.release();
    }
  });

  it('loads pt exports from a file path and accepts row-major Float32Array input', async () => {
    const model = randomEnsemble(5, 20, 4, 3);
    const path = join(dir, 'model_ai1.onnx');
    await writeFile(path, exportTreeEnsembleOnnx(model));
    const clf = await loadOnnxClassifier(path, model.featureNames);
    expect(clf.inputType).toBe('float64');
    const columns = randomColumns(model, 50, 1).map((c) => Float64Array.from(c, (v) => Math.fround(v)));
    const rows = new Float32Array(50 * 4);
    columns.forEach((c, j) => c.forEach((v, r) => (rows[r * 4 + j] = v)));
    const fromColumns = await clf.predictProba(columns);
    const fromRows = await clf.predictProba(rows);
    expect(Array.from(fromRows)).toEqual(Array.from(fromColumns));
    expect(
      (await clf.predictProba([new Float64Array(0), new Float64Array(0), new Float64Array(0), new Float64Array(0)]))
        .length,
    ).toBe(0);
    await clf.release();
  });

  it('refuses a model whose input width is not the feature count', async () => {
    const model = randomEnsemble(11, 10, 25, 3);
    const err = await expectRefused(
      loadOnnxClassifier(exportTreeEnsembleOnnx(model), model.featureNames.slice(0, 24)),
      /takes 25 features, expected 24/,
    );
    expect(err.details).toMatchObject({ modelWidth: 25, expected: 24 });
    await expectRefused(
      loadOnnxClassifier(converterStyleModel({ featureCount: 3, zipMap: true }), ['a', 'b']),
      /takes 3 features, expected 2/,
    );
  });

  it('refuses pt exports whose recorded feature names differ in order', async () => {
    const model = randomEnsemble(12, 5, 3, 2);
    await expectRefused(
      loadOnnxClassifier(exportTreeEnsembleOnnx(model), ['f1', 'f0', 'f2']),
      /exported for features \["f0","f1","f2"\]/,
    );
  });

  it('refuses a model without a binary probabilities layout', async () => {
    await expectRefused(
      loadOnnxClassifier(
        converterStyleModel({ featureCount: 3, zipMap: false, classes: [0, 1, 2], probName: 'scores' }),
        names3,
      ),
      /no probabilities output/,
    );
    await expectRefused(
      loadOnnxClassifier(converterStyleModel({ featureCount: 3, zipMap: true, classes: [0, 1, 2] }), names3),
      /3 class labels, a binary classifier has 2/,
    );
  });

  it('refuses input of the wrong shape at prediction time', async () => {
    const clf = await loadOnnxClassifier(converterStyleModel({ featureCount: 3, zipMap: true }), names3);
    await expectRefused(clf.predictProba(cols.slice(0, 2)), /2 feature columns, the model expects 3/);
    await expectRefused(
      clf.predictProba([cols[0]!, cols[1]!, new Float64Array(3)]),
      /column 2 has 3 rows, column 0 has 4/,
    );
    await expectRefused(clf.predictProba(new Float32Array(7)), /7 values, not a multiple of 3/);
    await clf.release();
  });

  it('refuses bytes that are not a model and paths that do not exist', async () => {
    await expectRefused(loadOnnxClassifier(Uint8Array.from([0x0a, 0xff]), names3), /not a readable ONNX ModelProto/);
    await expectRefused(loadOnnxClassifier(new TextEncoder().encode('hello, not onnx'), names3), /ONNX/);
    await expectRefused(loadOnnxClassifier(join(dir, 'missing.onnx'), names3), /cannot read .*missing\.onnx/);
  });
});
