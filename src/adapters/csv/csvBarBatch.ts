// The bars of one bar file as columns; checksum and metadata text are made per bar on demand.
import type { Timeframe } from '../../core/time.js';
import { QUALITY_FLAGS, type CanonicalBar } from '../../model/bar.js';
import type { BarBatch } from '../../model/barBatch.js';
import { barChecksum } from '../../model/barChecksum.js';
import { checksumsHexOnWorker } from '../../model/checksumWorker.js';

export const CSV_SOURCE_ID = 'csv';
export const CSV_PROVIDER_VERSION = 'csv-1';

const OK = QUALITY_FLAGS.indexOf('ok');
/** Fewer bars than this are hashed on the main thread when asked (a worker is not worth it). */
const WORKER_MIN_BARS = 4096;

/**
 * Every bar is `ok`, from source `csv`, with metadata `{symbol_source, ingest_seq, checksum,
 * provider_version}`; the columns are sorted by ts without duplicates.
 */
export class CsvBarBatch implements BarBatch {
  readonly length: number;
  readonly quality: Uint8Array;
  /** `serializeMetadata`'s text up to the ingest_seq value: symbol_source, provider_version, then ingest_seq. */
  private readonly metadataHead: string;
  /** Every bar's checksum, 16 hex each, once hashed ahead (see `hashAhead`). */
  private hex: string | undefined;
  private hashing: Promise<void> | undefined;

  constructor(
    readonly symbol: string,
    readonly timeframe: Timeframe,
    readonly ts: Float64Array,
    readonly open: Float64Array,
    readonly high: Float64Array,
    readonly low: Float64Array,
    readonly close: Float64Array,
    readonly volume: Float64Array,
    readonly ingestSeq: Float64Array,
    private readonly runId: string,
    private readonly symbolSource: string,
  ) {
    this.length = ts.length;
    this.quality = new Uint8Array(ts.length).fill(OK);
    this.metadataHead = `{"symbol_source":${JSON.stringify(symbolSource)},"provider_version":${JSON.stringify(CSV_PROVIDER_VERSION)},"ingest_seq":`;
  }

  sourceId(): string {
    return CSV_SOURCE_ID;
  }

  ingestRunId(): string {
    return this.runId;
  }

  private volumeOf(i: number): number | null {
    const v = this.volume[i]!;
    return Number.isNaN(v) ? null : v;
  }

  /**
   * Starts hashing every bar on the checksum worker, for a batch about to be stored: the main thread
   * goes on meanwhile, and `ready()` says when the checksums are in. A checksum asked before then is
   * computed on the spot; either way it is the same text.
   */
  hashAhead(): void {
    if (this.hashing !== undefined || this.length < WORKER_MIN_BARS) return;
    this.hashing = checksumsHexOnWorker(this).then((hex) => {
      this.hex = hex;
    });
  }

  ready(): Promise<void> {
    return this.hashing ?? Promise.resolve();
  }

  checksum(i: number): string {
    const hex = this.hex;
    if (hex !== undefined) return hex.slice(16 * i, 16 * i + 16);
    return barChecksum(this.ts[i]!, this.open[i]!, this.high[i]!, this.low[i]!, this.close[i]!, this.volumeOf(i));
  }

  /** ingest_seq is a line number, an integer, whose JSON text is its decimal form. */
  metadataJson(i: number): string {
    return `${this.metadataHead}${this.ingestSeq[i]!},"checksum":"${this.checksum(i)}"}`;
  }

  bar(i: number): CanonicalBar {
    return {
      ts_utc: this.ts[i]!,
      symbol: this.symbol,
      timeframe: this.timeframe,
      open: this.open[i]!,
      high: this.high[i]!,
      low: this.low[i]!,
      close: this.close[i]!,
      volume: this.volumeOf(i),
      quality_flag: 'ok',
      source_id: CSV_SOURCE_ID,
      ingest_run_id: this.runId,
      metadata: {
        symbol_source: this.symbolSource,
        ingest_seq: this.ingestSeq[i]!,
        checksum: this.checksum(i),
        provider_version: CSV_PROVIDER_VERSION,
      },
    };
  }
}
