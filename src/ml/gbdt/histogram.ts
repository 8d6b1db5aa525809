// Histograms of gradient, hessian and row count per bin per feature, and LightGBM's sibling subtraction.
import { type BinnedDataset, ROW_BLOCK_FEATURES } from './binnedDataset.js';

/**
 * Sums per histogram slot s (see BinnedDataset.binOffsets) for one leaf, interleaved so that one row's
 * update touches one cache line: gradient at HIST_STRIDE·s, hessian at +1, row count at +2. Counts are
 * whole numbers well below 2^53, so adding and subtracting them as doubles stays exact.
 */
export type Histogram = Float64Array;

export const HIST_STRIDE = 3;

export function createHistogram(totalBins: number): Histogram {
  return new Float64Array(totalBins * HIST_STRIDE);
}

/** Block-relative indices of the used features of one row block (never allocated per call). */
const usedScratch = new Int32Array(ROW_BLOCK_FEATURES);

/**
 * Fills `out` for the rows `indices[begin .. begin+count)` and the features in `features[0..numUsed)`
 * (other features' slots are left as they are). Row-major: each row's gradient, hessian and codes are
 * read once, whatever the number of features.
 */
export function buildHistogram(
  data: BinnedDataset,
  indices: Uint32Array,
  begin: number,
  count: number,
  gradients: Float64Array,
  hessians: Float64Array,
  features: Int32Array,
  numUsed: number,
  out: Histogram,
): void {
  const { rowBlocks, binOffsets } = data;
  for (let bk = 0; bk < rowBlocks.length; bk++) {
    const block = rowBlocks[bk]!;
    const first = block.firstFeature;
    const width = block.width;
    const used = usedOfBlock(features, numUsed, first, width);
    if (used === 0) continue;
    clearUsed(binOffsets, first, used, out);
    const base = block.slotBase * HIST_STRIDE;
    const view = blockView(out, base);
    if (used === width) accumulateAll(block.codes, width, indices, begin, count, gradients, hessians, view);
    else accumulateSome(block.codes, width, usedScratch, used, indices, begin, count, gradients, hessians, view);
  }
}

/**
 * The root's histogram when it holds every row (no bagging): rows 0..numRows−1 in order, so no index
 * array, and counts copied from `rowCounts` (per slot, from `countRows`) since they never change.
 * Without the count update the row pass measured about 25% faster. Same sums as buildHistogram.
 * `identity` holds 0..numRows−1 for the feature-subset pass.
 */
export function buildRootHistogram(
  data: BinnedDataset,
  gradients: Float64Array,
  hessians: Float64Array,
  features: Int32Array,
  numUsed: number,
  rowCounts: Float64Array,
  identity: Uint32Array,
  out: Histogram,
): void {
  const { rowBlocks, binOffsets } = data;
  for (let bk = 0; bk < rowBlocks.length; bk++) {
    const block = rowBlocks[bk]!;
    const first = block.firstFeature;
    const width = block.width;
    const used = usedOfBlock(features, numUsed, first, width);
    if (used === 0) continue;
    const base = block.slotBase * HIST_STRIDE;
    if (used === width) {
      const end = binOffsets[first + width]!;
      for (let slot = block.slotBase, at = base; slot < end; slot++, at += HIST_STRIDE) {
        out[at] = 0;
        out[at + 1] = 0;
        out[at + 2] = rowCounts[slot]!;
      }
      accumulateAllRows(block.codes, width, data.numRows, gradients, hessians, blockView(out, base));
    } else {
      // A feature subset takes the general pass.
      clearUsed(binOffsets, first, used, out);
      accumulateSome(
        block.codes,
        width,
        usedScratch,
        used,
        identity,
        0,
        data.numRows,
        gradients,
        hessians,
        blockView(out, base),
      );
    }
  }
}

/** Rows per histogram slot over every row of `data`: the counts of the root's histogram without bagging. */
export function countRows(data: BinnedDataset): Float64Array {
  const counts = new Float64Array(data.totalBins);
  for (let f = 0; f < data.numFeatures; f++) {
    const col = data.bins[f]!;
    const off = data.binOffsets[f]!;
    for (let row = 0; row < col.length; row++) counts[off + col[row]!]! += 1;
  }
  return counts;
}

/**
 * The block's part of `out`, so that kernels index it by code · 3 alone: V8 then knows the index range
 * and drops overflow checks (adding a base offset in the loop measured ~25% slower). The kernels below
 * write the literal 3 for HIST_STRIDE for the same reason.
 */
function blockView(out: Histogram, base: number): Float64Array {
  return base === 0 ? out : out.subarray(base);
}

/** Writes the block-relative indices of the block's features found in `features` to usedScratch; returns how many. */
function usedOfBlock(features: Int32Array, numUsed: number, first: number, width: number): number {
  let used = 0;
  for (let k = 0; k < numUsed; k++) {
    const j = features[k]! - first;
    if (j >= 0 && j < width) usedScratch[used++] = j;
  }
  return used;
}

/** Zeroes the slots of the features listed in usedScratch[0..used). */
function clearUsed(binOffsets: Uint32Array, first: number, used: number, out: Histogram): void {
  for (let k = 0; k < used; k++) {
    const f = first + usedScratch[k]!;
    out.fill(0, binOffsets[f]! * HIST_STRIDE, binOffsets[f + 1]! * HIST_STRIDE);
  }
}

/** accumulateAll over rows 0..numRows−1, without the count slot (the caller fills the counts). */
function accumulateAllRows(
  codes: Uint16Array,
  width: number,
  numRows: number,
  gradients: Float64Array,
  hessians: Float64Array,
  out: Float64Array,
): void {
  for (let row = 0; row < numRows; row++) {
    const g = gradients[row]!;
    const h = hessians[row]!;
    let at = row * width;
    const stop = at + width;
    for (; at + 8 <= stop; at += 8) {
      let s = codes[at]! * 3;
      out[s]! += g;
      out[s + 1]! += h;
      s = codes[at + 1]! * 3;
      out[s]! += g;
      out[s + 1]! += h;
      s = codes[at + 2]! * 3;
      out[s]! += g;
      out[s + 1]! += h;
      s = codes[at + 3]! * 3;
      out[s]! += g;
      out[s + 1]! += h;
      s = codes[at + 4]! * 3;
      out[s]! += g;
      out[s + 1]! += h;
      s = codes[at + 5]! * 3;
      out[s]! += g;
      out[s + 1]! += h;
      s = codes[at + 6]! * 3;
      out[s]! += g;
      out[s + 1]! += h;
      s = codes[at + 7]! * 3;
      out[s]! += g;
      out[s + 1]! += h;
    }
    for (; at < stop; at++) {
      const s = codes[at]! * 3;
      out[s]! += g;
      out[s + 1]! += h;
    }
  }
}

/**
 * Every feature of the block: one contiguous run of codes per row. Unrolled by 8 because the loop is
 * bound by loads and stores, and fewer loop branches measured about 30% faster.
 */
function accumulateAll(
  codes: Uint16Array,
  width: number,
  indices: Uint32Array,
  begin: number,
  count: number,
  gradients: Float64Array,
  hessians: Float64Array,
  out: Float64Array,
): void {
  const end = begin + count;
  for (let i = begin; i < end; i++) {
    const row = indices[i]!;
    const g = gradients[row]!;
    const h = hessians[row]!;
    let at = row * width;
    const stop = at + width;
    for (; at + 8 <= stop; at += 8) {
      let s = codes[at]! * 3;
      out[s]! += g;
      out[s + 1]! += h;
      out[s + 2]! += 1;
      s = codes[at + 1]! * 3;
      out[s]! += g;
      out[s + 1]! += h;
      out[s + 2]! += 1;
      s = codes[at + 2]! * 3;
      out[s]! += g;
      out[s + 1]! += h;
      out[s + 2]! += 1;
      s = codes[at + 3]! * 3;
      out[s]! += g;
      out[s + 1]! += h;
      out[s + 2]! += 1;
      s = codes[at + 4]! * 3;
      out[s]! += g;
      out[s + 1]! += h;
      out[s + 2]! += 1;
      s = codes[at + 5]! * 3;
      out[s]! += g;
      out[s + 1]! += h;
      out[s + 2]! += 1;
      s = codes[at + 6]! * 3;
      out[s]! += g;
      out[s + 1]! += h;
      out[s + 2]! += 1;
      s = codes[at + 7]! * 3;
      out[s]! += g;
      out[s + 1]! += h;
      out[s + 2]! += 1;
    }
    for (; at < stop; at++) {
      const s = codes[at]! * 3;
      out[s]! += g;
      out[s + 1]! += h;
      out[s + 2]! += 1;
    }
  }
}

/** A feature subset (feature_fraction < 1): the block's used columns only. */
function accumulateSome(
  codes: Uint16Array,
  width: number,
  used: Int32Array,
  numUsed: number,
  indices: Uint32Array,
  begin: number,
  count: number,
  gradients: Float64Array,
  hessians: Float64Array,
  out: Float64Array,
): void {
  const end = begin + count;
  for (let i = begin; i < end; i++) {
    const row = indices[i]!;
    const g = gradients[row]!;
    const h = hessians[row]!;
    const at = row * width;
    for (let k = 0; k < numUsed; k++) {
      const s = codes[at + used[k]!]! * 3;
      out[s]! += g;
      out[s + 1]! += h;
      out[s + 2]! += 1;
    }
  }
}

/** parent −= child over the features in `features`: the sibling's histogram without a pass over its rows. */
export function subtractHistogram(
  data: BinnedDataset,
  parent: Histogram,
  child: Histogram,
  features: Int32Array,
  numUsed: number,
): void {
  const offsets = data.binOffsets;
  for (let k = 0; k < numUsed; k++) {
    const f = features[k]!;
    const end = offsets[f + 1]! * HIST_STRIDE;
    for (let s = offsets[f]! * HIST_STRIDE; s < end; s++) parent[s]! -= child[s]!;
  }
}
