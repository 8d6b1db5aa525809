// DataPartition: each leaf is a range of one permuted Uint32Array of row indices (LightGBM's data_partition.hpp).

export class DataPartition {
  /** Row indices grouped by leaf; within a leaf they stay ascending (stable splits). */
  readonly indices: Uint32Array;
  readonly leafBegin: Int32Array;
  readonly leafCount: Int32Array;
  private readonly scratch: Uint32Array;
  private readonly goesLeft = new Uint8Array(256);
  private numLeaves = 0;

  constructor(numRows: number, maxLeaves: number) {
    this.indices = new Uint32Array(numRows);
    this.scratch = new Uint32Array(numRows);
    this.leafBegin = new Int32Array(maxLeaves);
    this.leafCount = new Int32Array(maxLeaves);
  }

  /** Puts rows in leaf 0: all rows, or the first `count` of `bag` (a bagging subset, ascending). */
  init(numRows: number, bag: Uint32Array | null, count: number): void {
    if (bag === null) {
      for (let i = 0; i < numRows; i++) this.indices[i] = i;
      count = numRows;
    } else {
      this.indices.set(bag.subarray(0, count));
    }
    this.leafBegin[0] = 0;
    this.leafCount[0] = count;
    this.numLeaves = 1;
  }

  get leaves(): number {
    return this.numLeaves;
  }

  /**
   * Splits `leaf` on one feature's bins: rows with bin <= splitBin (and NaN-bin rows when
   * `missingLeft`) stay in `leaf`, the rest form `newLeaf`. Returns the left count.
   */
  split(
    leaf: number,
    newLeaf: number,
    bins: Uint8Array,
    splitBin: number,
    nanBin: number,
    missingLeft: boolean,
  ): number {
    const begin = this.leafBegin[leaf]!;
    const count = this.leafCount[leaf]!;
    const idx = this.indices;
    const right = this.scratch;
    // Side per bin code, so the row loop has no data-dependent branch (which went either way at random).
    const goesLeft = this.goesLeft;
    for (let b = 0; b < 256; b++) goesLeft[b] = (b === nanBin ? missingLeft : b <= splitBin) ? 1 : 0;
    let l = begin;
    let r = 0;
    for (let i = begin; i < begin + count; i++) {
      const row = idx[i]!;
      const left = goesLeft[bins[row]!]!;
      // Both writes happen; only the chosen side's cursor moves (l <= i, so idx[l] is already read).
      idx[l] = row;
      right[r] = row;
      l += left;
      r += 1 - left;
    }
    idx.set(right.subarray(0, r), l);
    const leftCount = l - begin;
    this.leafCount[leaf] = leftCount;
    this.leafBegin[newLeaf] = l;
    this.leafCount[newLeaf] = r;
    this.numLeaves++;
    return leftCount;
  }
}
