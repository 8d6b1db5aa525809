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
  data: BinnedDataset, indices: Uint32Array, begin: number, count: number,
  gradients: Float64Array, hessians: Float64Array, features: Int32Array, numUsed: number, out: Histogram,
): void {
  const { rowBlocks, binOffsets } = data;
  for (let bk = 0; bk < rowBlocks.length; bk++) {
    const block = rowBlocks[bk]!;
    const first = block.firstFeature;
    const width = block.width;
    let used = 0;
    for (let k = 0; k < numUsed; k++) {
      const j = features[k]! - first;
      if (j < 0 || j >= width) continue;
      usedScratch[used++] = j;
      out.fill(0, binOffsets[first + j]! * HIST_STRIDE, binOffsets[first + j + 1]! * HIST_STRIDE);
    }
    if (used === 0) continue;
    const base = block.slotBase * HIST_STRIDE;
    if (used === width) accumulateAll(block.codes, width, base, indices, begin, count, gradients, hessians, out);
    else accumulateSome(block.codes, width, usedScratch, used, base, indices, begin, count, gradients, hessians, out);
  }
}

/** Every feature of the block: one contiguous run of codes per row. */
function accumulateAll(
  codes: Uint16Array, width: number, base: number, indices: Uint32Array, begin: number, count: number,
  gradients: Float64Array, hessians: Float64Array, out: Float64Array,
): void {
  const end = begin + count;
  for (let i = begin; i < end; i++) {
    const row = indices[i]!;
    const g = gradients[row]!;
    const h = hessians[row]!;
    const stop = row * width + width;
    for (let at = row * width; at < stop; at++) {
      const s = base + codes[at]! * HIST_STRIDE;
      out[s]! += g;
      out[s + 1]! += h;
      out[s + 2]! += 1;
    }
  }
}

/** A feature subset (feature_fraction < 1): the block's used columns only. */
function accumulateSome(
  codes: Uint16Array, width: number, used: Int32Array, numUsed: number, base: number, indices: Uint32Array,
  begin: number, count: number, gradients: Float64Array, hessians: Float64Array, out: Float64Array,
): void {
  const end = begin + count;
  for (let i = begin; i < end; i++) {
    const row = indices[i]!;
    const g = gradients[row]!;
    const h = hessians[row]!;
    const at = row * width;
    for (let k = 0; k < numUsed; k++) {
      const s = base + codes[at + used[k]!]! * HIST_STRIDE;
      out[s]! += g;
      out[s + 1]! += h;
      out[s + 2]! += 1;
    }
  }
}

/** parent −= child over the features in `features`: the sibling's histogram without a pass over its rows. */
export function subtractHistogram(data: BinnedDataset, parent: Histogram, child: Histogram, features: Int32Array, numUsed: number): void {
  const offsets = data.binOffsets;
  for (let k = 0; k < numUsed; k++) {
    const f = features[k]!;
    const end = offsets[f + 1]! * HIST_STRIDE;
    for (let s = offsets[f]! * HIST_STRIDE; s < end; s++) parent[s]! -= child[s]!;
  }
}
