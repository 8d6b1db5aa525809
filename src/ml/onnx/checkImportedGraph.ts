// The structural check of an ONNX tree model trained outside pt, before pt imports it (SPEC §5).
import { PtError } from '../../core/ptError.js';
import { ONNX_FEATURE_NAMES_KEY } from './exportTreeEnsembleOnnx.js';
import { sigmoidProducer } from './onnxModel.js';
import type { OnnxGraphInfo } from './onnxGraphInfo.js';

export interface ImportedGraphShape {
  /** `classifier`: a binary TreeEnsembleClassifier; `regressor`: a one-target TreeEnsembleRegressor read through a Sigmoid node. */
  kind: 'classifier' | 'regressor';
  /** The ordered names in `pt.feature_names` metadata, when the graph carries them. */
  featureNames?: string[];
}

function fail(label: string, message: string, details: Record<string, unknown> = {}): never {
  throw new PtError('CORE_MODEL_ONNX', `${label}: ${message}`, { source: 'onnx', details });
}

const SUPPORTED =
  'pt imports one binary ai.onnx.ml TreeEnsembleClassifier (post_transform LOGISTIC, or NONE with per-class probability weights) or one TreeEnsembleRegressor with a single target, summed, post_transform NONE, followed by a Sigmoid node';

/** The names recorded in `pt.feature_names`, or undefined; malformed metadata is refused. */
function metadataNames(graph: OnnxGraphInfo, label: string): string[] | undefined {
  const text = graph.metadata[ONNX_FEATURE_NAMES_KEY];
  if (text === undefined) return undefined;
  let names: unknown;
  try {
    names = JSON.parse(text);
  } catch {
    names = undefined;
  }
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string'))
    fail(label, `metadata ${ONNX_FEATURE_NAMES_KEY} must be a JSON array of feature names, got ${text.slice(0, 80)}`);
  return names as string[];
}

/**
 * Refuses (CORE_MODEL_ONNX) a graph pt cannot serve as P(class 1): no `ai.onnx.ml` opset import,
 * not exactly one tree ensemble node, a classifier that is not binary or whose scores are not
 * probabilities, a regressor with several targets, a non-sum aggregate or no sigmoid.
 * The input width and the probabilities output are checked by `loadOnnxClassifier`.
 */
export function checkImportedGraph(graph: OnnxGraphInfo, label: string): ImportedGraphShape {
  if (graph.opsets['ai.onnx.ml'] === undefined)
    fail(label, `the graph does not import the ai.onnx.ml opset, so it holds no tree ensemble; ${SUPPORTED}`);
  const ensembles = graph.nodes.filter((n) => n.domain === 'ai.onnx.ml' && /^TreeEnsemble/.test(n.opType));
  if (ensembles.length !== 1)
    fail(
      label,
      `the graph has ${ensembles.length} tree ensemble nodes (${ensembles.map((n) => n.opType).join(', ') || 'none'}); ${SUPPORTED}`,
    );
  const node = ensembles[0]!;
  const featureNames = metadataNames(graph, label);
  const post = node.string.post_transform ?? 'NONE';
  if (node.opType === 'TreeEnsembleClassifier') {
    const labels = node.ints.classlabels_int64s?.length
      ? node.ints.classlabels_int64s
      : node.strings.classlabels_strings;
    if (labels === undefined || labels.length !== 2)
      fail(label, `the TreeEnsembleClassifier has ${labels?.length ?? 0} class labels; pt imports binary classifiers`);
    const classIds = new Set(node.ints.class_ids ?? []);
    // NONE is a probability only when each leaf carries a weight per class (e.g. skl2onnx random forests).
    if (post !== 'LOGISTIC' && !(post === 'NONE' && classIds.has(0) && classIds.has(1)))
      fail(
        label,
        `the TreeEnsembleClassifier has post_transform ${post}${post === 'NONE' ? ' with one score per leaf (margins, not probabilities)' : ''}; ${SUPPORTED}`,
      );
    return { kind: 'classifier', ...(featureNames ? { featureNames } : {}) };
  }
  if (node.opType !== 'TreeEnsembleRegressor') fail(label, `${node.opType} is not supported; ${SUPPORTED}`);
  const targets = node.int.n_targets ?? 1;
  if (targets !== 1) fail(label, `the TreeEnsembleRegressor has ${targets} targets; ${SUPPORTED}`);
  const aggregate = node.string.aggregate_function ?? 'SUM';
  if (aggregate !== 'SUM') fail(label, `the TreeEnsembleRegressor aggregates with ${aggregate}; ${SUPPORTED}`);
  // onnxruntime returns a one-target regressor's raw sum even with post_transform LOGISTIC: only a Sigmoid node makes it a probability.
  if (post !== 'NONE') fail(label, `the TreeEnsembleRegressor has post_transform ${post}; ${SUPPORTED}`);
  if (!graph.outputNames.some((o) => sigmoidProducer(graph, o) !== undefined))
    fail(label, `no graph output is the sigmoid of the TreeEnsembleRegressor's score; ${SUPPORTED}`);
  return { kind: 'regressor', ...(featureNames ? { featureNames } : {}) };
}
