// Writes a TreeEnsemble as an ONNX ai.onnx.ml TreeEnsembleClassifier that onnxruntime-node runs.
import { PtError } from '../../core/ptError.js';
import type { Tree, TreeEnsemble } from '../treeEnsemble.js';
import { encodeOnnxModel, OnnxDataType, type OnnxAttribute } from './onnxProto.js';

export const ONNX_INPUT_NAME = 'features';
export const ONNX_LABEL_OUTPUT = 'label';
export const ONNX_PROBABILITIES_OUTPUT = 'probabilities';
/** metadata_props key holding the ordered feature names as a JSON array; the loader checks it. */
export const ONNX_FEATURE_NAMES_KEY = 'pt.feature_names';
/** metadata_props key saying where calibration happens. */
export const ONNX_CALIBRATION_KEY = 'pt.calibration';

export interface ExportTreeEnsembleOnnxOptions {
  /** Extra metadata_props entries (e.g. the feature-schema hash). */
  metadata?: Record<string, string>;
  /** ModelProto.doc_string. */
  docString?: string;
}

interface FlatTree {
  feature: ArrayLike<number>;
  threshold: ArrayLike<number>;
  left: ArrayLike<number>;
  right: ArrayLike<number>;
  missingLeft: ArrayLike<number>;
  value: ArrayLike<number>;
}

function fail(message: string, details: Record<string, unknown> = {}): never {
  throw new PtError('CORE_MODEL_ONNX', message, { source: 'onnx', details });
}

function checkTree(t: Tree, ti: number, featureCount: number): void {
  const n = t.feature.length;
  if (n === 0) fail(`tree ${ti} has no nodes`);
  for (const [name, arr] of Object.entries({
    threshold: t.threshold,
    left: t.left,
    right: t.right,
    missingLeft: t.missingLeft,
    value: t.value,
  })) {
    if (arr.length !== n) fail(`tree ${ti}: ${name} has ${arr.length} entries, feature has ${n}`);
  }
  for (let i = 0; i < n; i++) {
    const f = t.feature[i]!;
    if (f < 0) {
      if (!Number.isFinite(t.value[i]!)) fail(`tree ${ti} leaf ${i} has a non-finite value`);
      continue;
    }
    if (f >= featureCount) fail(`tree ${ti} node ${i} splits on feature ${f}, the model has ${featureCount}`);
    if (Number.isNaN(t.threshold[i]!)) fail(`tree ${ti} node ${i} has a NaN threshold`);
    for (const c of [t.left[i]!, t.right[i]!])
      if (c <= 0 || c >= n || c === i) fail(`tree ${ti} node ${i} has child ${c} outside 1..${n - 1}`);
  }
}

/**
 * onnxruntime (checked on 1.30) computes the binary TreeEnsembleClassifier label as `score > 0.5`
 * instead of `score > 0` when no class weight is negative (it then takes the scores for
 * probabilities), so an ensemble whose leaves are all ≥ 0 would get labels that disagree with
 * p > 0.5. Moving a constant c from tree 0's leaves into the base value keeps every margin equal
 * (up to one rounding of c) and makes the weights mixed.
 */
function withNegativeLeaf(trees: FlatTree[], baseScore: number): { trees: FlatTree[]; baseScore: number } {
  const anyNegative = trees.some((t) => Array.from(t.value).some((v, i) => t.feature[i]! < 0 && v < 0));
  if (anyNegative) return { trees, baseScore };
  const first = trees[0]!;
  let maxLeaf = 0;
  for (let i = 0; i < first.value.length; i++) if (first.feature[i]! < 0) maxLeaf = Math.max(maxLeaf, first.value[i]!);
  const c = maxLeaf + 1;
  const shifted = Float64Array.from(first.value, (v, i) => (first.feature[i]! < 0 ? v - c : 0));
  return { trees: [{ ...first, value: shifted }, ...trees.slice(1)], baseScore: baseScore + c };
}

/**
 * The ONNX ModelProto (ir_version 8; opsets "" 17 and ai.onnx.ml 3) of one
 * `ai.onnx.ml.TreeEnsembleClassifier` node:
 * input `features` double [N, F] in `model.featureNames` order; outputs `label` int64 [N] and
 * `probabilities` float [N, 2] = [1 − p, p] with p = sigmoid(baseScore + Σ leaves).
 *
 * Thresholds, leaf weights and the base value are stored as double tensors
 * (`nodes_values_as_tensor`, `class_weights_as_tensor`, `base_values_as_tensor`, ai.onnx.ml opset 3)
 * and the input is double, so onnxruntime splits exactly where `predictMargin` does (a float32
 * input would move rows lying between a double threshold and its float rounding). onnxruntime
 * sums in double and writes the probability as float32 (the op's only output type): about 1e-7
 * from the native sigmoid(predictMargin) (8.9e-8 worst case on the 10,000-row parity test).
 *
 * The leaves carry one weight each for class id 0 with base_values of length 1: the layout
 * onnxruntime treats as the binary case (one score s, output [1 − σ(s), σ(s)]). Weights put on
 * class id 1 instead lose the base value in onnxruntime 1.30.
 *
 * Calibration is not in the graph: the probabilities are uncalibrated, and the caller applies
 * the isotonic table stored next to the model (SPEC §5 "stored isotonic table applied after",
 * e.g. `applyIsotonicAll` from src/ml/calibration). Hence there is no calibration option; the
 * metadata entry `pt.calibration` says so inside the file too.
 */
export function exportTreeEnsembleOnnx(model: TreeEnsemble, options: ExportTreeEnsembleOnnxOptions = {}): Uint8Array {
  if (model.objective !== 'binary') fail(`objective ${String(model.objective)} cannot be exported; only binary`);
  const featureCount = model.featureNames.length;
  if (featureCount === 0) fail('the model has no features');
  if (!Number.isFinite(model.baseScore)) fail('the model base score is not finite');
  model.trees.forEach((t, ti) => checkTree(t, ti, featureCount));

  // onnxruntime needs at least one tree; a lone leaf worth 0 leaves the margin unchanged.
  const source: FlatTree[] =
    model.trees.length > 0
      ? model.trees
      : [{ feature: [-1], threshold: [0], left: [0], right: [0], missingLeft: [0], value: [0] }];
  const { trees, baseScore } = withNegativeLeaf(source, model.baseScore);

  const nodeCount = trees.reduce((s, t) => s + t.feature.length, 0);
  const treeIds = new Array<number>(nodeCount);
  const nodeIds = new Array<number>(nodeCount);
  const featureIds = new Array<number>(nodeCount);
  const modes = new Array<string>(nodeCount);
  const values = new Float64Array(nodeCount);
  const trueIds = new Array<number>(nodeCount);
  const falseIds = new Array<number>(nodeCount);
  const missingTrue = new Array<number>(nodeCount);
  const classTreeIds: number[] = [];
  const classNodeIds: number[] = [];
  const classWeights: number[] = [];
  let k = 0;
  trees.forEach((t, ti) => {
    for (let i = 0; i < t.feature.length; i++, k++) {
      const leaf = t.feature[i]! < 0;
      treeIds[k] = ti;
      nodeIds[k] = i;
      featureIds[k] = leaf ? 0 : t.feature[i]!;
      modes[k] = leaf ? 'LEAF' : 'BRANCH_LEQ';
      values[k] = leaf ? 0 : t.threshold[i]!;
      // The "true" branch is taken when x <= threshold, or when x is NaN and tracks_true is 1.
      trueIds[k] = leaf ? 0 : t.left[i]!;
      falseIds[k] = leaf ? 0 : t.right[i]!;
      missingTrue[k] = !leaf && t.missingLeft[i] ? 1 : 0;
      if (leaf) {
        classTreeIds.push(ti);
        classNodeIds.push(i);
        classWeights.push(t.value[i]!);
      }
    }
  });

  const attributes: OnnxAttribute[] = [
    { name: 'base_values_as_tensor', kind: 'doubleTensor', value: [baseScore] },
    { name: 'class_ids', kind: 'ints', value: new Array<number>(classWeights.length).fill(0) },
    { name: 'class_nodeids', kind: 'ints', value: classNodeIds },
    { name: 'class_treeids', kind: 'ints', value: classTreeIds },
    { name: 'class_weights_as_tensor', kind: 'doubleTensor', value: classWeights },
    { name: 'classlabels_int64s', kind: 'ints', value: [0, 1] },
    { name: 'nodes_falsenodeids', kind: 'ints', value: falseIds },
    { name: 'nodes_featureids', kind: 'ints', value: featureIds },
    { name: 'nodes_missing_value_tracks_true', kind: 'ints', value: missingTrue },
    { name: 'nodes_modes', kind: 'strings', value: modes },
    { name: 'nodes_nodeids', kind: 'ints', value: nodeIds },
    { name: 'nodes_treeids', kind: 'ints', value: treeIds },
    { name: 'nodes_truenodeids', kind: 'ints', value: trueIds },
    { name: 'nodes_values_as_tensor', kind: 'doubleTensor', value: values },
    { name: 'post_transform', kind: 'string', value: 'LOGISTIC' },
  ];

  return encodeOnnxModel({
    irVersion: 8,
    opsetImports: [
      { domain: '', version: 17 },
      { domain: 'ai.onnx.ml', version: 3 },
    ],
    producerName: 'pt',
    producerVersion: '1',
    ...(options.docString === undefined ? {} : { docString: options.docString }),
    graphName: 'pt_tree_ensemble',
    nodes: [
      {
        opType: 'TreeEnsembleClassifier',
        domain: 'ai.onnx.ml',
        name: 'tree_ensemble',
        inputs: [ONNX_INPUT_NAME],
        outputs: [ONNX_LABEL_OUTPUT, ONNX_PROBABILITIES_OUTPUT],
        attributes,
      },
    ],
    inputs: [{ name: ONNX_INPUT_NAME, elemType: OnnxDataType.DOUBLE, dims: ['N', featureCount] }],
    outputs: [
      { name: ONNX_LABEL_OUTPUT, elemType: OnnxDataType.INT64, dims: ['N'] },
      { name: ONNX_PROBABILITIES_OUTPUT, elemType: OnnxDataType.FLOAT, dims: ['N', 2] },
    ],
    metadata: {
      ...options.metadata,
      [ONNX_FEATURE_NAMES_KEY]: JSON.stringify(model.featureNames),
      [ONNX_CALIBRATION_KEY]: 'none: probabilities are uncalibrated; apply the isotonic table stored next to the model',
    },
  });
}
