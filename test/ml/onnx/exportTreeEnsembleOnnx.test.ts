// ONNX export parity: onnxruntime's probabilities and labels against the native predictMargin.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { exportTreeEnsembleOnnx } from '../../../src/ml/onnx/exportTreeEnsembleOnnx.js';
import { loadOnnxClassifier } from '../../../src/ml/onnx/onnxModel.js';
import { encodeOnnxModel, OnnxDataType } from '../../../src/ml/onnx/onnxProto.js';
import { predictMargin, sigmoid, type Tree, type TreeEnsemble } from '../../../src/ml/treeEnsemble.js';
import { randomColumns, randomEnsemble, rowOf } from './randomEnsemble.js';

function tree(
  nodes: Array<[feature: number, threshold: number, left: number, right: number, missingLeft: number, value: number]>,
): Tree {
  return {
    feature: Int32Array.from(nodes, (n) => n[0]),
    threshold: Float64Array.from(nodes, (n) => n[1]),
    left: Int32Array.from(nodes, (n) => n[2]),
    right: Int32Array.from(nodes, (n) => n[3]),
    missingLeft: Uint8Array.from(nodes, (n) => n[4]),
    value: Float64Array.from(nodes, (n) => n[5]),
  };
}

function ensemble(featureCount: number, baseScore: number, trees: Tree[]): TreeEnsemble {
  return {
    objective: 'binary',
    featureNames: Array.from({ length: featureCount }, (_, j) => `x${j}`),
    baseScore,
    trees,
  };
}

function nativeProba(model: TreeEnsemble, columns: Float64Array[]): Float64Array {
  const n = columns[0]!.length;
  return Float64Array.from({ length: n }, (_, r) => sigmoid(predictMargin(model, rowOf(columns, r))));
}

async function onnxProba(model: TreeEnsemble, columns: Float64Array[]): Promise<Float64Array> {
  const clf = await loadOnnxClassifier(exportTreeEnsembleOnnx(model), model.featureNames);
  try {
    return await clf.predictProba(columns);
  } finally {
    await clf.release();
  }
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** The raw `label` and `probabilities` outputs, straight from an InferenceSession. */
async function rawOutputs(
  model: TreeEnsemble,
  columns: Float64Array[],
): Promise<{ label: BigInt64Array; probabilities: Float32Array }> {
  const session = await ort.InferenceSession.create(exportTreeEnsembleOnnx(model));
  const n = columns[0]!.length;
  const f = columns.length;
  const data = new Float64Array(n * f);
  columns.forEach((c, j) => c.forEach((v, r) => (data[r * f + j] = v)));
  const out = await session.run({ features: new ort.Tensor('float64', data, [n, f]) });
  await session.release();
  return { label: out.label!.data as BigInt64Array, probabilities: out.probabilities!.data as Float32Array };
}

describe('exportTreeEnsembleOnnx + onnxruntime', () => {
  it('a stump splits at the double threshold exactly (0.1 left, a double just above right, NaN as missingLeft says)', async () => {
    const up = 0.1 + Number.EPSILON / 8; // two ulps above 0.1, and below Math.fround(0.1): a float32 model would send it left
    expect(up).toBeGreaterThan(0.1);
    const cols = [Float64Array.from([0.1, up, Math.fround(0.1), Number.NaN, -3, 3])];
    for (const missingLeft of [1, 0]) {
      const model = ensemble(1, 0.25, [
        tree([
          [0, 0.1, 1, 2, missingLeft, 0],
          [-1, 0, 0, 0, 0, 0.8],
          [-1, 0, 0, 0, 0, -0.6],
        ]),
      ]);
      const p = await onnxProba(model, cols);
      const left = sigmoid(0.25 + 0.8);
      const right = sigmoid(0.25 - 0.6);
      const expected = [left, right, right, missingLeft ? left : right, left, right];
      expected.forEach((e, i) => expect(Math.abs(p[i]! - e)).toBeLessThan(1e-7));
      expect(maxAbsDiff(p, nativeProba(model, cols))).toBeLessThan(1e-7);
    }
  });

  it('a 3-level tree routes NaN left or right per node, like predictMargin', async () => {
    // node: [feature, threshold, left, right, missingLeft, value]
    const t = tree([
      [0, 0.5, 1, 2, 1, 0], // 0: NaN → left
      [1, -1, 3, 4, 0, 0], // 1: NaN → right
      [2, 2.25, 5, 6, 1, 0], // 2: NaN → left
      [2, 0, 7, 8, 0, 0], // 3: NaN → right
      [-1, 0, 0, 0, 0, 0.11], // 4
      [-1, 0, 0, 0, 0, -0.22], // 5
      [1, 1.5, 9, 10, 1, 0], // 6: NaN → left
      [-1, 0, 0, 0, 0, 0.33], // 7
      [-1, 0, 0, 0, 0, -0.44], // 8
      [-1, 0, 0, 0, 0, 0.55], // 9
      [-1, 0, 0, 0, 0, -0.66], // 10
    ]);
    const model = ensemble(3, 0.1, [t]);
    const N = Number.NaN;
    const rows: Array<[number[], number]> = [
      [[N, N, N], 0.11], // 0 left, 1 right → 4
      [[0.5, -1, 0], 0.33], // at every threshold → left, left, left → 7
      [[0.5, -2, N], -0.44], // 3: NaN → right → 8
      [[1, 0, N], -0.22], // 2: NaN → left → 5
      [[1, N, 3], 0.55], // 2 right, 6: NaN → left → 9
      [[1, 1.5000000000000002, 3], -0.66], // just above 1.5 → 10
      [[N, -5, 0.0000001], -0.44], // 0 left, 1 left, 3 right → 8
    ];
    const cols = [0, 1, 2].map((j) => Float64Array.from(rows, ([x]) => x[j]!));
    const p = await onnxProba(model, cols);
    rows.forEach(([, leaf], i) => expect(Math.abs(p[i]! - sigmoid(0.1 + leaf))).toBeLessThan(1e-7));
    expect(maxAbsDiff(p, nativeProba(model, cols))).toBeLessThan(1e-7);
  });

  it('200 random trees over 25 features agree with sigmoid(predictMargin) to 1e-6 on 10,000 rows with NaNs and threshold hits', async () => {
    const model = randomEnsemble(20250101, 200, 25);
    const cols = randomColumns(model, 10_000, 7);
    const nanCount = cols.reduce((s, c) => s + c.filter(Number.isNaN).length, 0);
    expect(nanCount).toBeGreaterThan(20_000);
    const p = await onnxProba(model, cols);
    const native = nativeProba(model, cols);
    const diff = maxAbsDiff(p, native);
    console.info(`max |p_onnx - p_native| over 10,000 rows, 200 trees: ${diff.toExponential(3)}`);
    expect(diff).toBeLessThan(1e-6);
    // The probabilities must actually vary, or the comparison would prove little.
    expect(Math.max(...native) - Math.min(...native)).toBeGreaterThan(0.5);
  });

  it('label is 1 exactly when p > 0.5, and probabilities are [1 - p, p]', async () => {
    const model = randomEnsemble(99, 50, 8, 4);
    const cols = randomColumns(model, 2_000, 3);
    const { label, probabilities } = await rawOutputs(model, cols);
    const native = nativeProba(model, cols);
    let ones = 0;
    native.forEach((p, r) => {
      expect(label[r]).toBe(p > 0.5 ? 1n : 0n);
      expect(Math.abs(probabilities[2 * r]! + probabilities[2 * r + 1]! - 1)).toBeLessThan(1e-6);
      if (p > 0.5) ones++;
    });
    expect(ones).toBeGreaterThan(200);
    expect(ones).toBeLessThan(1_800);
  });

  it('leaves that are all >= 0 still give label = (p > 0.5) and the right probabilities', async () => {
    // Without the exporter's shift, onnxruntime labels this as score > 0.5 and p = 0.57 would get 0.
    const model = ensemble(1, 0, [
      tree([
        [0, 0, 1, 2, 1, 0],
        [-1, 0, 0, 0, 0, 0.3],
        [-1, 0, 0, 0, 0, 0.7],
      ]),
    ]);
    const cols = [Float64Array.from([-1, 1, Number.NaN])];
    const { label, probabilities } = await rawOutputs(model, cols);
    expect(Array.from(label)).toEqual([1n, 1n, 1n]);
    [0.3, 0.7, 0.3].forEach((leaf, r) =>
      expect(Math.abs(probabilities[2 * r + 1]! - sigmoid(leaf))).toBeLessThan(1e-7),
    );
    const negative = ensemble(1, -1, model.trees);
    const raw = await rawOutputs(negative, cols);
    expect(Array.from(raw.label)).toEqual([0n, 0n, 0n]);
    [0.3, 0.7, 0.3].forEach((leaf, r) =>
      expect(Math.abs(raw.probabilities[2 * r + 1]! - sigmoid(leaf - 1))).toBeLessThan(1e-7),
    );
  });

  it('a model with no trees or only single-leaf trees gives sigmoid(base + leaves)', async () => {
    const cols = [Float64Array.from([0, Number.NaN]), Float64Array.from([1, 2])];
    const empty = ensemble(2, 0.4, []);
    expect(maxAbsDiff(await onnxProba(empty, cols), Float64Array.from([sigmoid(0.4), sigmoid(0.4)]))).toBeLessThan(
      1e-7,
    );
    const leaves = ensemble(2, 0.4, [tree([[-1, 0, 0, 0, 0, -0.1]]), tree([[-1, 0, 0, 0, 0, 0.25]])]);
    expect(maxAbsDiff(await onnxProba(leaves, cols), Float64Array.from([sigmoid(0.55), sigmoid(0.55)]))).toBeLessThan(
      1e-7,
    );
  });

  it('onnxruntime binary case: one class-0 score plus base_values gives [1 - σ, σ]; class-1 weights lose the base value', async () => {
    // Pins the onnxruntime behaviour the exporter's layout rests on (see exportTreeEnsembleOnnx).
    const stump = async (classId: number): Promise<number[]> => {
      const bytes = encodeOnnxModel({
        irVersion: 8,
        opsetImports: [
          { domain: '', version: 17 },
          { domain: 'ai.onnx.ml', version: 3 },
        ],
        producerName: 'test',
        producerVersion: '0',
        graphName: 'g',
        nodes: [
          {
            opType: 'TreeEnsembleClassifier',
            domain: 'ai.onnx.ml',
            name: 'te',
            inputs: ['x'],
            outputs: ['label', 'probabilities'],
            attributes: [
              { name: 'nodes_treeids', kind: 'ints', value: [0, 0, 0] },
              { name: 'nodes_nodeids', kind: 'ints', value: [0, 1, 2] },
              { name: 'nodes_featureids', kind: 'ints', value: [0, 0, 0] },
              { name: 'nodes_modes', kind: 'strings', value: ['BRANCH_LEQ', 'LEAF', 'LEAF'] },
              { name: 'nodes_values_as_tensor', kind: 'doubleTensor', value: [0, 0, 0] },
              { name: 'nodes_truenodeids', kind: 'ints', value: [1, 0, 0] },
              { name: 'nodes_falsenodeids', kind: 'ints', value: [2, 0, 0] },
              { name: 'class_treeids', kind: 'ints', value: [0, 0] },
              { name: 'class_nodeids', kind: 'ints', value: [1, 2] },
              { name: 'class_ids', kind: 'ints', value: [classId, classId] },
              { name: 'class_weights_as_tensor', kind: 'doubleTensor', value: [0.3, -0.7] },
              { name: 'base_values_as_tensor', kind: 'doubleTensor', value: [0.5] },
              { name: 'classlabels_int64s', kind: 'ints', value: [0, 1] },
              { name: 'post_transform', kind: 'string', value: 'LOGISTIC' },
            ],
          },
        ],
        inputs: [{ name: 'x', elemType: OnnxDataType.DOUBLE, dims: ['N', 1] }],
        outputs: [
          { name: 'label', elemType: OnnxDataType.INT64, dims: ['N'] },
          { name: 'probabilities', elemType: OnnxDataType.FLOAT, dims: ['N', 2] },
        ],
      });
      const session = await ort.InferenceSession.create(bytes);
      const out = await session.run({ x: new ort.Tensor('float64', Float64Array.from([-1, 1]), [2, 1]) });
      await session.release();
      return Array.from(out.probabilities!.data as Float32Array);
    };
    const close = (a: number[], b: number[]): void =>
      a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(1e-7));
    close(await stump(0), [1 - sigmoid(0.8), sigmoid(0.8), 1 - sigmoid(-0.2), sigmoid(-0.2)]);
    close(await stump(1), [0.5, sigmoid(0.3), 0.5, sigmoid(-0.7)]);
  });

  it('refuses a tree that splits on a feature the model does not have', () => {
    const model = ensemble(2, 0, [
      tree([
        [2, 0, 1, 2, 0, 0],
        [-1, 0, 0, 0, 0, 1],
        [-1, 0, 0, 0, 0, -1],
      ]),
    ]);
    expect(() => exportTreeEnsembleOnnx(model)).toThrow(/splits on feature 2, the model has 2/);
  });
});
