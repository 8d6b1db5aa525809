// BinMapper: quantile bins of one feature column, learned on training rows, as in LightGBM's bin.h.

/**
 * How one feature's raw values map to `Uint8Array` bin codes.
 * Value bin b holds x with `upperBounds[b-1] < x <= upperBounds[b]`, so `x <= upperBounds[b]` is exactly
 * `bin(x) <= b`; the trees store `upperBounds[b]` as the threshold of a split after bin b.
 * NaN has its own code, `numValueBins`, whether or not training saw one.
 */
export interface BinMapper {
  /** Strictly increasing; midpoints between distinct training values, the last one `Number.MAX_VALUE`. */
  upperBounds: Float64Array;
  /** Bins of non-NaN values (≥ 1). */
  numValueBins: number;
  /** Bin code of NaN (= numValueBins). */
  nanBin: number;
  /** True when the training column held NaN, so the NaN bin takes part in splits. */
  hasNan: boolean;
  /** Bins a split may separate: numValueBins + (hasNan ? 1 : 0). A feature with 1 bin is never split. */
  numBins: number;
}

/** Largest bin count a `Uint8Array` code allows (codes 0..254 plus NaN fit below 256). */
export const MAX_BIN_LIMIT = 255;

/**
 * Learns quantile bins from `column` (training rows only): at most `maxBin` bins in all, the NaN bin
 * included, each distinct value in one bin, heavy values alone in theirs.
 * Throws a RangeError on ±Infinity (features are finite or NaN) or a `maxBin` outside 2..255.
 */
export function fitBinMapper(column: Float64Array, maxBin: number): BinMapper {
  if (!Number.isInteger(maxBin) || maxBin < 2 || maxBin > MAX_BIN_LIMIT)
    throw new RangeError(`invalid maxBin ${maxBin}`);
  const values = sortedFinite(column);
  const n = values.length;
  const hasNan = n < column.length;
  // Distinct values and their counts, in ascending order.
  const distinct = new Float64Array(n);
  const counts = new Float64Array(n);
  const d = countDistinct(values, distinct, counts);
  const cuts = chooseCuts(distinct.subarray(0, d), counts.subarray(0, d), n, maxBin - (hasNan ? 1 : 0));
  const upperBounds = new Float64Array(cuts.length + 1);
  for (let k = 0; k < cuts.length; k++) upperBounds[k] = midpoint(distinct[cuts[k]!]!, distinct[cuts[k]! + 1]!);
  upperBounds[cuts.length] = Number.MAX_VALUE;
  const numValueBins = upperBounds.length;
  return { upperBounds, numValueBins, nanBin: numValueBins, hasNan, numBins: numValueBins + (hasNan ? 1 : 0) };
}

// The row loops live in functions of their own: inside fitBinMapper, V8 compiled it on-stack at the
// first loop and that code deoptimized again on every later column.

/** The non-NaN values of `column`, ascending; throws on ±Infinity. */
function sortedFinite(column: Float64Array): Float64Array {
  const finite = new Float64Array(column.length);
  let n = 0;
  for (let i = 0; i < column.length; i++) {
    const v = column[i]!;
    if (Number.isNaN(v)) continue;
    // Infinity would need an infinite threshold, which JSON turns into null: reject it at the door.
    if (!Number.isFinite(v)) throw new RangeError(`feature value ${v} at row ${i}: features must be finite or NaN`);
    finite[n++] = v;
  }
  return finite.subarray(0, n).sort();
}

/** Writes the distinct values of ascending `values` and their counts; returns how many there are. */
function countDistinct(values: Float64Array, distinct: Float64Array, counts: Float64Array): number {
  let d = 0;
  for (let i = 0; i < values.length; i++) {
    if (d > 0 && values[i] === distinct[d - 1]) counts[d - 1]!++;
    else {
      distinct[d] = values[i]!;
      counts[d++] = 1;
    }
  }
  return d;
}

/** Indices i of `distinct` after which a bin ends (i < d − 1), ascending; at most `maxValueBins − 1` of them. */
function chooseCuts(distinct: Float64Array, counts: Float64Array, total: number, maxValueBins: number): number[] {
  const d = distinct.length;
  const cuts: number[] = [];
  if (d <= 1) return cuts;
  if (d <= maxValueBins) {
    for (let i = 0; i < d - 1; i++) cuts.push(i);
    return cuts;
  }
  // Greedy quantiles: close a bin once it holds its share of the rows not yet binned, and close it
  // early when the next value alone fills a share, so a heavy value sits in a bin of its own.
  let remaining = total;
  let binsLeft = maxValueBins;
  let acc = 0;
  for (let i = 0; i < d - 1 && binsLeft > 1; i++) {
    acc += counts[i]!;
    const target = remaining / binsLeft;
    if (acc >= target || counts[i + 1]! >= target) {
      cuts.push(i);
      remaining -= acc;
      binsLeft--;
      acc = 0;
    }
  }
  return cuts;
}

/** A threshold t with a <= t < b, so that a goes left and b right under `x <= t`. */
function midpoint(a: number, b: number): number {
  let t = a / 2 + b / 2;
  // Adjacent doubles can round the midpoint up to b; a itself still separates them.
  if (!(t < b)) t = a;
  if (t < a) t = a;
  return t;
}

/** Bin code of one raw value: binary search for the first upper bound >= x; NaN → nanBin. */
export function valueToBin(mapper: BinMapper, x: number): number {
  if (Number.isNaN(x)) return mapper.nanBin;
  const ub = mapper.upperBounds;
  let lo = 0;
  let hi = ub.length - 1;
  // Values above the last bound (only +Infinity) fall into the last value bin.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= ub[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Bin codes of a whole column. */
export function binColumn(mapper: BinMapper, column: Float64Array): Uint8Array {
  const out = new Uint8Array(column.length);
  for (let i = 0; i < column.length; i++) out[i] = valueToBin(mapper, column[i]!);
  return out;
}
