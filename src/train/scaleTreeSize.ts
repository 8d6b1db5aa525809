// Tree size for the rows at hand (docs/models.md "Tree size and few rows"): with min_data_in_leaf 50 a
// fit on ~100-200 AI1 events can hardly split, so the booster would return the base rate. Both limits
// shrink with the training rows; on tens of thousands of rows (AI2) they are the configured values.

export interface TreeSize {
  minDataInLeaf: number;
  numLeaves: number;
}

/**
 * Effective `min_data_in_leaf = min(config, max(5, ⌊n/50⌋))` and
 * `num_leaves = min(config, max(2, ⌊n / (2 · min_data_in_leaf)⌋))` for `nTrain` training rows.
 */
export function scaleTreeSize(nTrain: number, configured: TreeSize): TreeSize {
  const minDataInLeaf = Math.min(configured.minDataInLeaf, Math.max(5, Math.floor(nTrain / 50)));
  const numLeaves = Math.min(configured.numLeaves, Math.max(2, Math.floor(nTrain / (2 * minDataInLeaf))));
  return { minDataInLeaf, numLeaves };
}
