// Histograms of gradient, hessian and row count per bin per feature, and LightGBM's sibling subtraction.
import type { BinnedDataset } from './binnedDataset.js';

/** Sums per histogram slot (see BinnedDataset.binOffsets) for one leaf. */
export interface Histogram {
  grad: Float64Array;
  hess: Float64Array;
  count: Float64Array;
}

export function createHistogram(totalBins: number): Histogram {
  return { grad: new Float64Array(totalBins), hess: new Float64Array(totalBins), count: new Float64Array(totalBins) };
}

/**
 * Fills `out` for the rows `indices[begin .. begin+count)` and the features in `features`
 * (other features' slots are left as they are). `orderedGrad`/`orderedHess` are scratch buffers of
 * at least `count` entries: gathering the leaf's gradients once makes each feature's pass contiguous.
 */
export function buildHistogram(
  data: BinnedDataset, indices: Uint32Array, begin: number, count: number,
  gradients: Float64Array, hessians: Float64Array, features: Int32Array, numUsed: number,
  orderedGrad: Float64Array, orderedHess: Float64Array, out: Histogram,
): void {
  for (let i = 0; i < count; i++) {
    const row = indices[begin + i]!;
    orderedGrad[i] = gradients[row]!;
    orderedHess[i] = hessians[row]!;
  }
  const { grad, hess, count: cnt } = out;
  for (let k = 0; k < numUsed; k++) {
    const f = features[k]!;
    const start = data.binOffsets[f]!;
    const end = data.binOffsets[f + 1]!;
    grad.fill(0, start, end);
    hess.fill(0, start, end);
    cnt.fill(0, start, end);
    const col = data.bins[f]!;
    for (let i = 0; i < count; i++) {
      const b = start + col[indices[begin + i]!]!;
      grad[b]! += orderedGrad[i]!;
      hess[b]! += orderedHess[i]!;
      cnt[b]! += 1;
    }
  }
}

/** parent −= child over the features in `features`: the sibling's histogram without a pass over its rows. */
export function subtractHistogram(data: BinnedDataset, parent: Histogram, child: Histogram, features: Int32Array, numUsed: number): void {
  for (let k = 0; k < numUsed; k++) {
    const f = features[k]!;
    const end = data.binOffsets[f + 1]!;
    for (let b = data.binOffsets[f]!; b < end; b++) {
      parent.grad[b]! -= child.grad[b]!;
      parent.hess[b]! -= child.hess[b]!;
      parent.count[b]! -= child.count[b]!;
    }
  }
}
