// BinnedDataset: the training columns as Uint8Array bin codes, plus a row-major copy for the histogram pass.
import { type BinMapper, binColumn, fitBinMapper } from './binMapper.js';

/**
 * Up to ROW_BLOCK_FEATURES consecutive features stored row by row: a leaf's histogram pass then reads
 * each row's codes from one cache line instead of one line per feature.
 */
export interface RowBlock {
  /** First feature of the block. */
  firstFeature: number;
  /** Features in the block. */
  width: number;
  /** Histogram slot of the block's first slot (= binOffsets[firstFeature]). */
  slotBase: number;
  /** codes[row * width + j] = binOffsets[firstFeature + j] − slotBase + bin: the slot itself, so no offset lookup. */
  codes: Uint16Array;
}

/** 256 features × at most 256 slots each (255 bins + NaN) keep every block-relative slot below 2^16. */
export const ROW_BLOCK_FEATURES = 256;

/** Training data as the learner sees it: bins only, never raw values. */
export interface BinnedDataset {
  numRows: number;
  numFeatures: number;
  /** bins[f][row]: the bin code of feature f (column-major, as the raw columns). */
  bins: Uint8Array[];
  /** The same codes row-major, as histogram slots, in blocks of consecutive features. */
  rowBlocks: RowBlock[];
  mappers: BinMapper[];
  /** Feature f owns histogram slots binOffsets[f] .. binOffsets[f+1] − 1 (value bins, then NaN). */
  binOffsets: Uint32Array;
  /** Histogram slots over all features (binOffsets[numFeatures]). */
  totalBins: number;
}

/** Fits one BinMapper per column and bins the columns; every column must have the same length. */
export function binDataset(columns: Float64Array[], maxBin: number): BinnedDataset {
  const numFeatures = columns.length;
  const numRows = numFeatures > 0 ? columns[0]!.length : 0;
  const mappers: BinMapper[] = [];
  const bins: Uint8Array[] = [];
  const binOffsets = new Uint32Array(numFeatures + 1);
  for (let f = 0; f < numFeatures; f++) {
    const column = columns[f]!;
    if (column.length !== numRows)
      throw new RangeError(`feature column ${f} has ${column.length} rows, column 0 has ${numRows}`);
    const mapper = fitBinMapper(column, maxBin);
    mappers.push(mapper);
    bins.push(binColumn(mapper, column));
    // The NaN code always has a slot so that binning never writes outside the feature's range.
    binOffsets[f + 1] = binOffsets[f]! + mapper.numValueBins + 1;
  }
  const rowBlocks: RowBlock[] = [];
  for (let first = 0; first < numFeatures; first += ROW_BLOCK_FEATURES) {
    const width = Math.min(ROW_BLOCK_FEATURES, numFeatures - first);
    const slotBase = binOffsets[first]!;
    const codes = new Uint16Array(numRows * width);
    for (let j = 0; j < width; j++) {
      const col = bins[first + j]!;
      const off = binOffsets[first + j]! - slotBase;
      for (let row = 0, at = j; row < numRows; row++, at += width) codes[at] = off + col[row]!;
    }
    rowBlocks.push({ firstFeature: first, width, slotBase, codes });
  }
  return { numRows, numFeatures, bins, rowBlocks, mappers, binOffsets, totalBins: binOffsets[numFeatures]! };
}
