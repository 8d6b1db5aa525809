// ONNX tree models laid out the way onnxmltools writes converted XGBoost/LightGBM models (FLOAT input,
// ai.onnx.ml opset 1, float attributes, BRANCH_LT, one score per leaf on class id 0, base_values
// [logit]), and a direct evaluation of the same trees, for the import tests.
import { encodeOnnxModel, OnnxDataType, type OnnxAttribute } from '../../../src/ml/onnx/onnxProto.js';
import type { TreeEnsemble } from '../../../src/ml/treeEnsemble.js';

export interface ForeignOnnxOptions {
  /** Written as `pt.feature_names` metadata when given. */
  metadataNames?: string[];
  /**
   * A TreeEnsembleRegressor with output [N, 1]: `sigmoid` post_transform NONE followed by a Sigmoid
   * node, `logistic` post_transform LOGISTIC on the regressor itself.
   */
  regressor?: 'sigmoid' | 'logistic';
  /** post_transform of the classifier (default LOGISTIC). */
  postTransform?: string;
  /** The classifier's probabilities turned into onnxmltools' default ZipMap output (seq of maps). */
  zipMap?: boolean;
}

/**
 * `model`'s trees as a foreign graph: a node sends x to the left child when float32(x) < float32(threshold)
 * (XGBoost's rule, BRANCH_LT), NaN to the left when missingLeft; leaf weights and the base score as float32.
 */
export function foreignOnnx(model: TreeEnsemble, options: ForeignOnnxOptions = {}): Uint8Array {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const modes: string[] = [];
  const values: number[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const missingTrue: number[] = [];
  const leafTree: number[] = [];
  const leafNode: number[] = [];
  const leafWeight: number[] = [];
  model.trees.forEach((t, ti) => {
    for (let i = 0; i < t.feature.length; i++) {
      const leaf = t.feature[i]! < 0;
      treeIds.push(ti);
      nodeIds.push(i);
      featureIds.push(leaf ? 0 : t.feature[i]!);
      modes.push(leaf ? 'LEAF' : 'BRANCH_LT');
      values.push(leaf ? 0 : t.threshold[i]!);
      trueIds.push(leaf ? 0 : t.left[i]!);
      falseIds.push(leaf ? 0 : t.right[i]!);
      missingTrue.push(!leaf && t.missingLeft[i] ? 1 : 0);
      if (leaf) {
        leafTree.push(ti);
        leafNode.push(i);
        leafWeight.push(t.value[i]!);
      }
    }
  });
  const nodes: OnnxAttribute[] = [
    { name: 'nodes_falsenodeids', kind: 'ints', value: falseIds },
    { name: 'nodes_featureids', kind: 'ints', value: featureIds },
    { name: 'nodes_missing_value_tracks_true', kind: 'ints', value: missingTrue },
    { name: 'nodes_modes', kind: 'strings', value: modes },
    { name: 'nodes_nodeids', kind: 'ints', value: nodeIds },
    { name: 'nodes_treeids', kind: 'ints', value: treeIds },
    { name: 'nodes_truenodeids', kind: 'ints', value: trueIds },
    { name: 'nodes_values', kind: 'floats', value: values },
  ];
  const F = model.featureNames.length;
  const input = { name: 'input', elemType: OnnxDataType.FLOAT, dims: ['N', F] };
  const metadata: Record<string, string> = options.metadataNames
    ? { 'pt.feature_names': JSON.stringify(options.metadataNames) }
    : {};
  const common = {
    irVersion: 7,
    producerName: 'OnnxMLTools',
    producerVersion: '1.11',
    graphName: 'foreign',
    inputs: [input],
    metadata,
  };
  if (options.regressor) {
    const sigmoidNode = options.regressor === 'sigmoid';
    return encodeOnnxModel({
      ...common,
      opsetImports: [
        { domain: '', version: 13 },
        { domain: 'ai.onnx.ml', version: 1 },
      ],
      nodes: [
        {
          opType: 'TreeEnsembleRegressor',
          domain: 'ai.onnx.ml',
          name: 'trees',
          inputs: ['input'],
          outputs: [sigmoidNode ? 'margin' : 'probability'],
          attributes: [
            ...nodes,
            { name: 'base_values', kind: 'floats', value: [model.baseScore] },
            { name: 'n_targets', kind: 'int', value: 1 },
            { name: 'post_transform', kind: 'string', value: sigmoidNode ? 'NONE' : 'LOGISTIC' },
            { name: 'target_ids', kind: 'ints', value: leafWeight.map(() => 0) },
            { name: 'target_nodeids', kind: 'ints', value: leafNode },
            { name: 'target_treeids', kind: 'ints', value: leafTree },
            { name: 'target_weights', kind: 'floats', value: leafWeight },
          ],
        },
        ...(sigmoidNode
          ? [
              {
                opType: 'Sigmoid',
                domain: '',
                name: 'sigmoid',
                inputs: ['margin'],
                outputs: ['probability'],
                attributes: [],
              },
            ]
          : []),
      ],
      outputs: [{ name: 'probability', elemType: OnnxDataType.FLOAT, dims: ['N', 1] }],
    });
  }
  return encodeOnnxModel({
    ...common,
    opsetImports: [
      { domain: '', version: 9 },
      { domain: 'ai.onnx.ml', version: 1 },
    ],
    nodes: [
      {
        opType: 'TreeEnsembleClassifier',
        domain: 'ai.onnx.ml',
        name: 'trees',
        inputs: ['input'],
        outputs: ['label', options.zipMap ? 'probability_tensor' : 'probabilities'],
        attributes: [
          ...nodes,
          { name: 'base_values', kind: 'floats', value: [model.baseScore] },
          { name: 'class_ids', kind: 'ints', value: leafWeight.map(() => 0) },
          { name: 'class_nodeids', kind: 'ints', value: leafNode },
          { name: 'class_treeids', kind: 'ints', value: leafTree },
          { name: 'class_weights', kind: 'floats', value: leafWeight },
          { name: 'classlabels_int64s', kind: 'ints', value: [0, 1] },
          { name: 'post_transform', kind: 'string', value: options.postTransform ?? 'LOGISTIC' },
        ],
      },
      ...(options.zipMap
        ? [
            {
              opType: 'ZipMap',
              domain: 'ai.onnx.ml',
              name: 'zipmap',
              inputs: ['probability_tensor'],
              outputs: ['probabilities'],
              attributes: [{ name: 'classlabels_int64s', kind: 'ints' as const, value: [0, 1] }],
            },
          ]
        : []),
    ],
    outputs: [
      { name: 'label', elemType: OnnxDataType.INT64, dims: ['N'] },
      options.zipMap
        ? { name: 'probabilities', mapSequence: { keyType: OnnxDataType.INT64, valueType: OnnxDataType.FLOAT } }
        : { name: 'probabilities', elemType: OnnxDataType.FLOAT, dims: ['N', 2] },
    ],
  });
}

/** P(class 1) of one row (`x` in model feature order) by the rule `foreignOnnx` encodes, float32 parameters. */
export function foreignProbability(model: TreeEnsemble, x: ArrayLike<number>): number {
  let margin = Math.fround(model.baseScore);
  for (const t of model.trees) {
    let i = 0;
    while (t.feature[i]! >= 0) {
      const v = x[t.feature[i]!]!;
      const goLeft = Number.isNaN(v) ? t.missingLeft[i] === 1 : Math.fround(v) < Math.fround(t.threshold[i]!);
      i = goLeft ? t.left[i]! : t.right[i]!;
    }
    margin += Math.fround(t.value[i]!);
  }
  return 1 / (1 + Math.exp(-margin));
}
