// Contiguous time blocks of a timeline for K-fold CV, with fewer folds when blocks would be short.

/** A block of bars [startBar, endBar] (inclusive indices into the timeline). */
export interface BarBlock {
  startBar: number;
  endBar: number;
}

export interface KFoldBlocks {
  blocks: BarBlock[];
  warnings: string[];
}

/**
 * Splits `nBars` bars into k' contiguous blocks, block j = [floor(j·n/k'), floor((j+1)·n/k') − 1],
 * so lengths differ by at most one. k' = k when floor(n/k) ≥ minBlockLenBars; otherwise
 * k' = floor(n/minBlockLenBars) with a warning, and no blocks at all (warning) when k' < 2.
 */
export function kFoldBlocks(nBars: number, k: number, minBlockLenBars: number): KFoldBlocks {
  if (!(Number.isInteger(k) && k >= 2)) throw new RangeError(`k=${k} is not an integer >= 2`);
  if (!(Number.isInteger(minBlockLenBars) && minBlockLenBars >= 1))
    throw new RangeError(`minBlockLenBars=${minBlockLenBars} is not an integer >= 1`);
  const warnings: string[] = [];
  let folds = k;
  if (Math.floor(nBars / k) < minBlockLenBars) {
    folds = Math.floor(nBars / minBlockLenBars);
    if (folds < 2) {
      warnings.push(`CV_TOO_SHORT: ${nBars} bars cannot hold 2 blocks of >= ${minBlockLenBars} bars; no folds`);
      return { blocks: [], warnings };
    }
    warnings.push(
      `CV_FEWER_FOLDS: ${nBars} bars give blocks shorter than ${minBlockLenBars} bars with k=${k}; using k=${folds}`,
    );
  }
  const blocks: BarBlock[] = [];
  for (let j = 0; j < folds; j++) {
    blocks.push({ startBar: Math.floor((j * nBars) / folds), endBar: Math.floor(((j + 1) * nBars) / folds) - 1 });
  }
  return { blocks, warnings };
}
