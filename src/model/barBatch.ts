// Bars of one symbol and timeframe as parallel columns: the ingest path's form, with no object per bar.
import type { Timeframe } from '../core/time.js';
import type { CanonicalBar } from './bar.js';

/**
 * The canonical bars of one symbol and timeframe, column by column. Numbers sit in typed arrays
 * (a null volume is NaN); a bar's strings come from methods, so a source builds them only for the
 * bars that are actually written (a CSV bar's checksum, for one). Row order is the source's.
 */
export interface BarBatch {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly length: number;
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  /** NaN = null (unknown). */
  readonly volume: Float64Array;
  /** `metadata.ingest_seq` of each bar (the larger wins a duplicate key). */
  readonly ingestSeq: Float64Array;
  /** Index into QUALITY_FLAGS. */
  readonly quality: Uint8Array;
  sourceId(i: number): string;
  ingestRunId(i: number): string;
  /** Bar i's metadata as stored: the text `serializeMetadata` gives for its metadata object. */
  metadataJson(i: number): string;
  /** Bar i as an object. */
  bar(i: number): CanonicalBar;
  /**
   * Resolves when the strings are cheap to ask for (a source may build them in the background, as
   * the CSV batch hashes its bars on a worker); asking earlier is correct, only slower.
   */
  ready?(): Promise<void>;
}

export function isBarBatch(bars: readonly CanonicalBar[] | BarBatch): bars is BarBatch {
  return !Array.isArray(bars);
}

/** Rows `index[k]` of a batch, in that order; the strings still come from the original batch. */
class SubsetBatch implements BarBatch {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly length: number;
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly ingestSeq: Float64Array;
  readonly quality: Uint8Array;

  constructor(
    private readonly base: BarBatch,
    private readonly index: Int32Array,
  ) {
    const pick = (src: Float64Array): Float64Array => {
      const out = new Float64Array(index.length);
      for (let k = 0; k < index.length; k++) out[k] = src[index[k]!]!;
      return out;
    };
    this.symbol = base.symbol;
    this.timeframe = base.timeframe;
    this.length = index.length;
    this.ts = pick(base.ts);
    this.open = pick(base.open);
    this.high = pick(base.high);
    this.low = pick(base.low);
    this.close = pick(base.close);
    this.volume = pick(base.volume);
    this.ingestSeq = pick(base.ingestSeq);
    this.quality = new Uint8Array(index.length);
    for (let k = 0; k < index.length; k++) this.quality[k] = base.quality[index[k]!]!;
  }

  sourceId(i: number): string {
    return this.base.sourceId(this.index[i]!);
  }

  ingestRunId(i: number): string {
    return this.base.ingestRunId(this.index[i]!);
  }

  metadataJson(i: number): string {
    return this.base.metadataJson(this.index[i]!);
  }

  bar(i: number): CanonicalBar {
    return this.base.bar(this.index[i]!);
  }

  ready(): Promise<void> {
    return this.base.ready?.() ?? Promise.resolve();
  }
}

/** The bars with `fromMs <= ts < toMs`, in order; the batch itself when all of them are. */
export function batchInRange(batch: BarBatch, fromMs: number, toMs: number): BarBatch {
  const ts = batch.ts;
  let inside = 0;
  for (let i = 0; i < batch.length; i++) if (ts[i]! >= fromMs && ts[i]! < toMs) inside++;
  if (inside === batch.length) return batch;
  const index = new Int32Array(inside);
  for (let i = 0, k = 0; i < batch.length; i++) if (ts[i]! >= fromMs && ts[i]! < toMs) index[k++] = i;
  return new SubsetBatch(batch, index);
}
