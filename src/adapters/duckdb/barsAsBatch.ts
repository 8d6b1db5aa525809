// Bar objects seen as a BarBatch, so the store has one write path for objects and columns.
import type { Timeframe } from '../../core/time.js';
import { QUALITY_FLAGS, type CanonicalBar, type QualityFlag } from '../../model/bar.js';
import type { BarBatch } from '../../model/barBatch.js';
import { barChecksum } from '../../model/barChecksum.js';
import { serializeMetadata } from './metadataJson.js';

const QUALITY_INDEX = new Map<QualityFlag, number>(QUALITY_FLAGS.map((q, i) => [q, i]));

class ObjectBatch implements BarBatch {
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
    readonly symbol: string,
    readonly timeframe: Timeframe,
    private readonly bars: readonly CanonicalBar[],
  ) {
    const n = bars.length;
    this.length = n;
    this.ts = new Float64Array(n);
    this.open = new Float64Array(n);
    this.high = new Float64Array(n);
    this.low = new Float64Array(n);
    this.close = new Float64Array(n);
    this.volume = new Float64Array(n);
    this.ingestSeq = new Float64Array(n);
    this.quality = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const b = bars[i]!;
      this.ts[i] = b.ts_utc;
      this.open[i] = b.open;
      this.high[i] = b.high;
      this.low[i] = b.low;
      this.close[i] = b.close;
      this.volume[i] = b.volume === null ? NaN : b.volume;
      this.ingestSeq[i] = b.metadata.ingest_seq;
      this.quality[i] = QUALITY_INDEX.get(b.quality_flag)!;
    }
  }

  sourceId(i: number): string {
    return this.bars[i]!.source_id;
  }

  ingestRunId(i: number): string {
    return this.bars[i]!.ingest_run_id;
  }

  metadataJson(i: number): string {
    const b = this.bars[i]!;
    // Reads refuse a row without a checksum, so one is given to a bar that comes without (pt's sources all set it).
    if (b.metadata.checksum !== undefined) return serializeMetadata(b.metadata);
    return serializeMetadata({
      ...b.metadata,
      checksum: barChecksum(b.ts_utc, b.open, b.high, b.low, b.close, b.volume),
    });
  }

  bar(i: number): CanonicalBar {
    return this.bars[i]!;
  }
}

/** Bars already checked by `assertStorableBars` (so every flag is known and every volume a number or null). */
export function barsAsBatch(bars: readonly CanonicalBar[], symbol: string, timeframe: Timeframe): BarBatch {
  return new ObjectBatch(symbol, timeframe, bars);
}
