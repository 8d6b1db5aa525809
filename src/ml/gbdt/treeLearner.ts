// TreeLearner: grows one tree leaf-wise on gradients and hessians (LightGBM's serial_tree_learner); it never sees the loss.
import type { Tree } from '../treeEnsemble.js';
import type { BinnedDataset } from './binnedDataset.js';
import { DataPartition } from './dataPartition.js';
import {
  type Histogram,
  buildHistogram,
  buildRootHistogram,
  countRows,
  createHistogram,
  subtractHistogram,
} from './histogram.js';
import { type SplitConstraints, SplitInfo, findBestSplit, leafOutput } from './splitFinder.js';

/** What shapes one tree (a subset of GbdtParams). */
export interface TreeLearnerParams extends SplitConstraints {
  /** Most leaves per tree (≥ 2). */
  numLeaves: number;
  /** Deepest leaf (root depth 0); −1 for no limit. */
  maxDepth: number;
  /** Shrinkage applied to leaf values. */
  learningRate: number;
}

/** A fitted tree plus each node's split gain (0 at leaves), for feature importance. */
export interface LearnedTree {
  tree: Tree;
  splitGain: Float64Array;
  numLeaves: number;
}

export class TreeLearner {
  private readonly partition: DataPartition;
  private readonly histograms: Histogram[] = [];
  private readonly splits: SplitInfo[] = [];
  private readonly leafSumGrad: Float64Array;
  private readonly leafSumHess: Float64Array;
  private readonly leafDepth: Int32Array;
  private readonly leafNode: Int32Array;
  private readonly leafValue: Float64Array;
  private features: Int32Array = new Int32Array(0);
  private numUsed = 0;
  /** Rows per histogram slot over all rows (the root's counts without bagging); empty until first needed. */
  private rootCounts: Float64Array = new Float64Array(0);

  constructor(
    private readonly data: BinnedDataset,
    private readonly params: TreeLearnerParams,
  ) {
    const L = params.numLeaves;
    this.partition = new DataPartition(data.numRows, L);
    for (let l = 0; l < L; l++) {
      this.histograms.push(createHistogram(data.totalBins));
      this.splits.push(new SplitInfo());
    }
    this.leafSumGrad = new Float64Array(L);
    this.leafSumHess = new Float64Array(L);
    this.leafDepth = new Int32Array(L);
    this.leafNode = new Int32Array(L);
    this.leafValue = new Float64Array(L);
  }

  /**
   * Fits a tree on the rows of `bag[0..bagCount)` (all rows when `bag` is null) using the features
   * `features[0..numUsed)`: repeatedly splits the leaf whose best split gains most, until `numLeaves`
   * leaves or no split with positive gain is left.
   */
  train(
    gradients: Float64Array,
    hessians: Float64Array,
    bag: Uint32Array | null,
    bagCount: number,
    features: Int32Array,
    numUsed: number,
  ): LearnedTree {
    const { data, params, partition } = this;
    this.features = features;
    this.numUsed = numUsed;
    partition.init(data.numRows, bag, bagCount);
    const capacity = 2 * params.numLeaves - 1;
    const tree: Tree = {
      feature: new Int32Array(capacity).fill(-1),
      threshold: new Float64Array(capacity),
      left: new Int32Array(capacity).fill(-1),
      right: new Int32Array(capacity).fill(-1),
      missingLeft: new Uint8Array(capacity),
      value: new Float64Array(capacity),
    };
    const splitGain = new Float64Array(capacity);
    let nodeCount = 1;
    this.leafSumGrad[0] = sumOver(gradients, partition.indices, partition.leafCount[0]!);
    this.leafSumHess[0] = sumOver(hessians, partition.indices, partition.leafCount[0]!);
    this.leafDepth[0] = 0;
    this.leafNode[0] = 0;
    this.splits[0]!.reset();
    if (this.canSplit(0)) {
      if (bag === null) {
        if (this.rootCounts.length === 0) this.rootCounts = countRows(data);
        // partition.indices is 0..numRows−1 right after init without a bag.
        buildRootHistogram(
          data,
          gradients,
          hessians,
          features,
          numUsed,
          this.rootCounts,
          partition.indices,
          this.histograms[0]!,
        );
      } else {
        this.build(0, gradients, hessians);
      }
      this.findSplit(0);
    }
    while (partition.leaves < params.numLeaves) {
      const leaf = this.bestLeaf();
      if (leaf < 0) break;
      const s = this.splits[leaf]!;
      const mapper = data.mappers[s.feature]!;
      const newLeaf = partition.leaves;
      partition.split(leaf, newLeaf, data.bins[s.feature]!, s.bin, mapper.nanBin, s.missingLeft);
      // The leaf's node becomes internal; its two children are appended.
      const node = this.leafNode[leaf]!;
      tree.feature[node] = s.feature;
      tree.threshold[node] = mapper.upperBounds[s.bin]!;
      tree.missingLeft[node] = s.missingLeft ? 1 : 0;
      tree.left[node] = nodeCount;
      tree.right[node] = nodeCount + 1;
      splitGain[node] = s.gain;
      this.leafNode[leaf] = nodeCount;
      this.leafNode[newLeaf] = nodeCount + 1;
      nodeCount += 2;
      this.leafSumGrad[leaf] = s.leftGrad;
      this.leafSumHess[leaf] = s.leftHess;
      this.leafSumGrad[newLeaf] = s.rightGrad;
      this.leafSumHess[newLeaf] = s.rightHess;
      this.leafDepth[newLeaf] = ++this.leafDepth[leaf]!;
      this.splits[leaf]!.reset();
      this.splits[newLeaf]!.reset();
      if (partition.leaves < params.numLeaves) this.updateChildren(leaf, newLeaf, gradients, hessians);
    }
    for (let l = 0; l < partition.leaves; l++) {
      const v = leafOutput(this.leafSumGrad[l]!, this.leafSumHess[l]!, params.lambdaL2) * params.learningRate;
      this.leafValue[l] = v;
      tree.value[this.leafNode[l]!] = v;
    }
    const trimmed: Tree = {
      feature: tree.feature.slice(0, nodeCount),
      threshold: tree.threshold.slice(0, nodeCount),
      left: tree.left.slice(0, nodeCount),
      right: tree.right.slice(0, nodeCount),
      missingLeft: tree.missingLeft.slice(0, nodeCount),
      value: tree.value.slice(0, nodeCount),
    };
    return { tree: trimmed, splitGain: splitGain.slice(0, nodeCount), numLeaves: partition.leaves };
  }

  /** Adds each leaf's value to the scores of the rows it holds (the rows the last `train` used). */
  addLeafValuesTo(scores: Float64Array): void {
    const { indices, leafBegin, leafCount } = this.partition;
    for (let l = 0; l < this.partition.leaves; l++) {
      const v = this.leafValue[l]!;
      const end = leafBegin[l]! + leafCount[l]!;
      for (let i = leafBegin[l]!; i < end; i++) scores[indices[i]!]! += v;
    }
  }

  /** Histograms and best splits of two fresh siblings: build the smaller, subtract for the larger. */
  private updateChildren(leaf: number, newLeaf: number, gradients: Float64Array, hessians: Float64Array): void {
    const leftSplittable = this.canSplit(leaf);
    const rightSplittable = this.canSplit(newLeaf);
    if (!leftSplittable && !rightSplittable) return;
    const smallerIsLeft = this.partition.leafCount[leaf]! < this.partition.leafCount[newLeaf]!;
    const small = smallerIsLeft ? leaf : newLeaf;
    const large = smallerIsLeft ? newLeaf : leaf;
    // The parent's histogram sits in slot `leaf`; the smaller child is built into slot `newLeaf`.
    this.build(newLeaf, gradients, hessians, small);
    if (this.canSplit(large))
      subtractHistogram(this.data, this.histograms[leaf]!, this.histograms[newLeaf]!, this.features, this.numUsed);
    if (smallerIsLeft) {
      const t = this.histograms[leaf]!;
      this.histograms[leaf] = this.histograms[newLeaf]!;
      this.histograms[newLeaf] = t;
    }
    if (leftSplittable) this.findSplit(leaf);
    if (rightSplittable) this.findSplit(newLeaf);
  }

  private build(slot: number, gradients: Float64Array, hessians: Float64Array, rowsOf = slot): void {
    const p = this.partition;
    buildHistogram(
      this.data,
      p.indices,
      p.leafBegin[rowsOf]!,
      p.leafCount[rowsOf]!,
      gradients,
      hessians,
      this.features,
      this.numUsed,
      this.histograms[slot]!,
    );
  }

  private findSplit(leaf: number): void {
    findBestSplit(
      this.data,
      this.histograms[leaf]!,
      this.features,
      this.numUsed,
      this.leafSumGrad[leaf]!,
      this.leafSumHess[leaf]!,
      this.partition.leafCount[leaf]!,
      this.params,
      this.splits[leaf]!,
    );
  }

  /** Depth and size allow a split (the split finder then needs a positive gain). */
  private canSplit(leaf: number): boolean {
    const { maxDepth, minDataInLeaf } = this.params;
    if (maxDepth > 0 && this.leafDepth[leaf]! >= maxDepth) return false;
    return this.partition.leafCount[leaf]! >= 2 * minDataInLeaf;
  }

  /** Leaf with the largest positive gain; the lowest index wins ties; −1 when none. */
  private bestLeaf(): number {
    let best = -1;
    let bestGain = 0;
    for (let l = 0; l < this.partition.leaves; l++) {
      const s = this.splits[l]!;
      if (s.feature >= 0 && s.gain > bestGain) {
        best = l;
        bestGain = s.gain;
      }
    }
    return best;
  }
}

/**
 * Σ values[indices[i]] for i < count. A function of its own: as a loop inside `train` it made V8
 * compile `train` on-stack before the rest had type feedback, and that code then deoptimized on every call.
 */
function sumOver(values: Float64Array, indices: Uint32Array, count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += values[indices[i]!]!;
  return sum;
}
