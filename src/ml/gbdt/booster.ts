// The boosting loop (LightGBM's TrainOneIter): objective → gradients, learner → tree, then shrink and update scores.
import { SeededRng, seedFromString } from '../../core/rng.js';
import type { Tree, TreeEnsemble } from '../treeEnsemble.js';
import { BinaryLogloss, binaryLossAndGradients, binaryLoglossOf } from './binaryLogloss.js';
import { binDataset } from './binnedDataset.js';
import { type GbdtParams, resolveGbdtParams } from './gbdtParams.js';
import { createObjective } from './objective.js';
import { addTreeMargins } from './predict.js';
import { TreeLearner } from './treeLearner.js';

/** A validation set for early stopping, columns in the training feature order. */
export interface GbdtValidSet {
  X: Float64Array[];
  y: Uint8Array;
  weights?: Float64Array;
}

/** Everything `trainBooster` takes besides the data; missing parameters take GBDT_DEFAULTS. */
export interface GbdtOptions extends Partial<GbdtParams> {
  /** One name per column of X, stored in the model. */
  featureNames: string[];
  /** Sample weights (≥ 0), one per training row. */
  weights?: Float64Array;
  /** With a validation set, training stops after `earlyStoppingRounds` rounds without a lower log-loss. */
  valid?: GbdtValidSet;
  /** Called after each round with the tree count so far (1-based) and the weighted log-losses. */
  onIteration?: (iteration: number, trainLoss: number, validLoss?: number) => void;
}

export interface BoosterResult {
  /** Trees 1..bestIteration only. */
  model: TreeEnsemble;
  /** Trees kept: the round with the lowest validation log-loss, else every round trained. */
  bestIteration: number;
  /** Weighted mean log-loss after each round trained (including rounds after the best). */
  evals: { train: number[]; valid?: number[] };
  /** Sum of split gains per feature over the kept trees. */
  featureImportanceGain: Float64Array;
}

/**
 * Trains a binary GBDT on columns `X` (training rows only; bins are learned from them) and 0/1 labels `y`.
 * Deterministic: the same data, options and seed give a bit-identical model. Training also stops early
 * when a round cannot split its root (LightGBM does the same).
 */
export function trainBooster(X: Float64Array[], y: Uint8Array, options: GbdtOptions): BoosterResult {
  const params = resolveGbdtParams(options);
  const { featureNames, weights, valid, onIteration } = options;
  checkShapes(X, y, featureNames, weights, valid);
  const n = y.length;
  const numFeatures = X.length;
  const data = binDataset(X, params.maxBin);
  const objective = createObjective('binary', y, weights);
  const baseScore = objective.baseScore();
  const scores = new Float64Array(n).fill(baseScore);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const validScores = valid ? new Float64Array(valid.y.length).fill(baseScore) : undefined;
  const learner = new TreeLearner(data, params);

  // Separate streams, so changing one fraction does not reshuffle the other's draws.
  const featureRng = new SeededRng(seedFromString('feature_fraction', params.seed));
  const bagRng = new SeededRng(seedFromString('bagging', params.seed));
  const numUsed =
    params.featureFraction < 1 ? Math.max(1, Math.floor(numFeatures * params.featureFraction + 0.5)) : numFeatures;
  const features = Int32Array.from({ length: numFeatures }, (_, f) => f);
  const permutation = new Int32Array(numFeatures);
  const bagging = params.baggingFreq > 0 && params.baggingFraction < 1;
  const bag = new Uint32Array(bagging ? n : 0);
  const outOfBag = new Uint32Array(bagging ? n : 0);
  let bagCount = n;
  let outOfBagCount = 0;

  const trees: Tree[] = [];
  const gains: Float64Array[] = [];
  const evals: BoosterResult['evals'] = valid ? { train: [], valid: [] } : { train: [] };
  let bestIteration = 0;
  let bestValidLoss = Infinity;
  const fused = objective instanceof BinaryLogloss;
  let gradientsReady = false;
  for (let round = 0; round < params.numBoostRound; round++) {
    if (!gradientsReady) objective.gradients(scores, grad, hess);
    if (bagging && round % params.baggingFreq === 0) {
      bagCount = 0;
      outOfBagCount = 0;
      for (let i = 0; i < n; i++) {
        if (bagRng.next() < params.baggingFraction) bag[bagCount++] = i;
        else outOfBag[outOfBagCount++] = i;
      }
    }
    if (numUsed < numFeatures) drawFeatures(featureRng, permutation, features, numUsed);
    const learned = learner.train(grad, hess, bagging ? bag : null, bagCount, features, numUsed);
    if (learned.numLeaves === 1) break;
    trees.push(learned.tree);
    gains.push(learned.splitGain);
    learner.addLeafValuesTo(scores);
    // Out-of-bag rows were not in the partition; the raw thresholds route them as their bins would.
    if (bagging && outOfBagCount > 0) addTreeMargins(learned.tree, X, scores, outOfBag, outOfBagCount);
    // The binary objective's next gradients come with the loss: one pass over the rows, one exp fewer per row.
    const trainLoss = fused
      ? binaryLossAndGradients(scores, y, weights, grad, hess)
      : binaryLoglossOf(scores, y, weights);
    gradientsReady = fused;
    evals.train.push(trainLoss);
    let validLoss: number | undefined;
    if (valid && validScores) {
      addTreeMargins(learned.tree, valid.X, validScores);
      validLoss = binaryLoglossOf(validScores, valid.y, valid.weights);
      evals.valid!.push(validLoss);
      if (validLoss < bestValidLoss) {
        bestValidLoss = validLoss;
        bestIteration = trees.length;
      }
    } else {
      bestIteration = trees.length;
    }
    onIteration?.(trees.length, trainLoss, validLoss);
    if (valid && trees.length - bestIteration >= params.earlyStoppingRounds) break;
  }

  const kept = trees.slice(0, bestIteration);
  const featureImportanceGain = new Float64Array(numFeatures);
  for (let t = 0; t < kept.length; t++) {
    const { feature } = kept[t]!;
    const gain = gains[t]!;
    for (let i = 0; i < feature.length; i++) if (feature[i]! >= 0) featureImportanceGain[feature[i]!]! += gain[i]!;
  }
  return {
    model: { objective: 'binary', featureNames: [...featureNames], baseScore, trees: kept },
    bestIteration,
    evals,
    featureImportanceGain,
  };
}

/** Sorted first `numUsed` entries of a fresh partial Fisher–Yates shuffle, into `features`. */
function drawFeatures(rng: SeededRng, permutation: Int32Array, features: Int32Array, numUsed: number): void {
  const m = permutation.length;
  for (let f = 0; f < m; f++) permutation[f] = f;
  for (let k = 0; k < numUsed; k++) {
    const j = k + Math.floor(rng.next() * (m - k));
    const t = permutation[k]!;
    permutation[k] = permutation[j]!;
    permutation[j] = t;
  }
  // Ascending order keeps the split scan (and its tie-breaking) independent of the draw order.
  features.set(permutation.subarray(0, numUsed).sort());
}

function checkShapes(
  X: Float64Array[],
  y: Uint8Array,
  featureNames: string[],
  weights?: Float64Array,
  valid?: GbdtValidSet,
): void {
  if (X.length === 0) throw new RangeError('trainBooster: no feature columns');
  if (featureNames.length !== X.length)
    throw new RangeError(`trainBooster: ${featureNames.length} feature names for ${X.length} columns`);
  if (new Set(featureNames).size !== featureNames.length) throw new RangeError('trainBooster: duplicate feature names');
  for (let f = 0; f < X.length; f++)
    if (X[f]!.length !== y.length)
      throw new RangeError(`trainBooster: column ${featureNames[f]} has ${X[f]!.length} rows, y has ${y.length}`);
  if (weights && weights.length !== y.length)
    throw new RangeError(`trainBooster: ${weights.length} weights for ${y.length} rows`);
  if (!valid) return;
  if (valid.X.length !== X.length)
    throw new RangeError(`trainBooster: validation set has ${valid.X.length} columns, train has ${X.length}`);
  for (let f = 0; f < X.length; f++)
    if (valid.X[f]!.length !== valid.y.length)
      throw new RangeError(
        `trainBooster: validation column ${featureNames[f]} has ${valid.X[f]!.length} rows, y has ${valid.y.length}`,
      );
  if (valid.weights && valid.weights.length !== valid.y.length)
    throw new RangeError(`trainBooster: ${valid.weights.length} validation weights for ${valid.y.length} rows`);
  for (let i = 0; i < valid.y.length; i++)
    if (valid.y[i]! > 1) throw new RangeError(`trainBooster: validation label ${valid.y[i]} at row ${i}`);
}
