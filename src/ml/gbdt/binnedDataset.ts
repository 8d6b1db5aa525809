// BinnedDataset: the training columns as Uint8Array bin codes, with each feature's slot in a histogram.
import { type BinMapper, binColumn, fitBinMapper } from './binMapper.js';

/** Training data as the learner sees it: bins only, never raw values. */
export interface BinnedDataset {
  numRows: number;
  numFeatures: number;
  /** bins[f][row]: the bin code of feature f (column-major, as the raw columns). */
  bins: Uint8Array[];
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
    if (column.length !== numRows) throw new RangeError(`feature column ${f} has ${column.length} rows, column 0 has ${numRows}`);
    const mapper = fitBinMapper(column, maxBin);
    mappers.push(mapper);
    bins.push(binColumn(mapper, column));
    // The NaN code always has a slot so that binning never writes outside the feature's range.
    binOffsets[f + 1] = binOffsets[f]! + mapper.numValueBins + 1;
  }
  return { numRows, numFeatures, bins, mappers, binOffsets, totalBins: binOffsets[numFeatures]! };
}
