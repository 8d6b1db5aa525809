// Best split of a leaf from its histogram: L2 gain G²/(H+λ), leaf constraints, learned direction for NaN.
import type { BinnedDataset } from './binnedDataset.js';
import { HIST_STRIDE, type Histogram } from './histogram.js';

/** The constraints a split must meet (from GbdtParams). */
export interface SplitConstraints {
  /** Fewest rows in either child (≥ 1). */
  minDataInLeaf: number;
  /** Smallest hessian sum in either child. */
  minSumHessianInLeaf: number;
  /** λ of the L2 penalty on leaf values. */
  lambdaL2: number;
}

/** The best split found for a leaf; `feature` −1 means no split with positive gain. One per leaf, reused. */
export class SplitInfo {
  gain = 0;
  feature = -1;
  /** Rows with bin <= bin go left. */
  bin = 0;
  missingLeft = false;
  leftGrad = 0;
  leftHess = 0;
  leftCount = 0;
  rightGrad = 0;
  rightHess = 0;
  rightCount = 0;

  reset(): void {
    this.gain = 0;
    this.feature = -1;
  }
}

/** G²/(H+λ): how much a leaf with these sums lowers the second-order loss (twice the reduction). */
export function leafScore(sumGrad: number, sumHess: number, lambdaL2: number): number {
  return (sumGrad * sumGrad) / (sumHess + lambdaL2);
}

/** Newton step −G/(H+λ), before the learning rate. */
export function leafOutput(sumGrad: number, sumHess: number, lambdaL2: number): number {
  return -sumGrad / (sumHess + lambdaL2);
}

/**
 * Scans every bin boundary of the features in `features[0..numUsed)` and writes the best split with
 * positive gain into `out` (after `out.reset()`); ties keep the first feature and bin in scan order.
 */
export function findBestSplit(
  data: BinnedDataset,
  hist: Histogram,
  features: Int32Array,
  numUsed: number,
  sumGrad: number,
  sumHess: number,
  count: number,
  c: SplitConstraints,
  out: SplitInfo,
): void {
  out.reset();
  const parentScore = leafScore(sumGrad, sumHess, c.lambdaL2);
  for (let k = 0; k < numUsed; k++) {
    const f = features[k]!;
    const mapper = data.mappers[f]!;
    // One bin cannot separate rows.
    if (mapper.numBins <= 1) continue;
    scanFeature(f, data.binOffsets[f]!, mapper.numValueBins, hist, sumGrad, sumHess, count, parentScore, c, out);
  }
}

function scanFeature(
  f: number,
  offset: number,
  numValueBins: number,
  hist: Histogram,
  sumGrad: number,
  sumHess: number,
  count: number,
  parentScore: number,
  c: SplitConstraints,
  out: SplitInfo,
): void {
  const lambda = c.lambdaL2;
  const minData = c.minDataInLeaf;
  const minHess = c.minSumHessianInLeaf;
  const nanAt = (offset + numValueBins) * HIST_STRIDE;
  const nanG = hist[nanAt]!;
  const nanH = hist[nanAt + 1]!;
  const nanC = hist[nanAt + 2]!;
  let accG = 0;
  let accH = 0;
  let accC = 0;
  // b = numValueBins − 1 puts every value left: only useful with NaN to the right (a "NaN or not" split).
  // The literal 3 is HIST_STRIDE, written out as in the histogram kernels so V8 folds it.
  for (let b = 0, at = offset * 3; b < numValueBins; b++, at += 3) {
    accG += hist[at]!;
    accH += hist[at + 1]!;
    accC += hist[at + 2]!;
    // Counts are exact: from here on every right side (NaN left or right) is too small.
    if (count - accC < minData) break;
    // NaN right: left = values in bins 0..b.
    let lC = accC;
    let rC = count - lC;
    if (lC >= minData && rC >= minData) {
      const lH = accH;
      const rH = sumHess - lH;
      if (lH >= minHess && rH >= minHess) {
        const gain = leafScore(accG, lH, lambda) + leafScore(sumGrad - accG, rH, lambda) - parentScore;
        if (gain > out.gain) {
          // A leaf without NaN rows gives no evidence; send future NaN with the majority.
          const missingLeft = nanC === 0 && lC >= rC;
          record(out, gain, f, b, missingLeft, accG, lH, lC, sumGrad - accG, rH, rC);
        }
      }
    }
    if (nanC === 0) continue;
    // NaN left: the same boundary with the NaN bin moved across.
    lC = accC + nanC;
    rC = count - lC;
    if (lC >= minData && rC >= minData) {
      const lG = accG + nanG;
      const lH = accH + nanH;
      const rH = sumHess - lH;
      if (lH >= minHess && rH >= minHess) {
        const gain = leafScore(lG, lH, lambda) + leafScore(sumGrad - lG, rH, lambda) - parentScore;
        if (gain > out.gain) record(out, gain, f, b, true, lG, lH, lC, sumGrad - lG, rH, rC);
      }
    }
  }
}

function record(
  out: SplitInfo,
  gain: number,
  feature: number,
  bin: number,
  missingLeft: boolean,
  lG: number,
  lH: number,
  lC: number,
  rG: number,
  rH: number,
  rC: number,
): void {
  out.gain = gain;
  out.feature = feature;
  out.bin = bin;
  out.missingLeft = missingLeft;
  out.leftGrad = lG;
  out.leftHess = lH;
  out.leftCount = lC;
  out.rightGrad = rG;
  out.rightHess = rH;
  out.rightCount = rC;
}
