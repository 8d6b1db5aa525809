// pt resample as a library job: target-timeframe bars built from the stored source-timeframe bars of
// each symbol, written through the ingest path (price guard, bar store upsert and its writer lock,
// watermark), so a resampled series is stored exactly like an ingested one.
import type { PtConfig } from '../../config/schemas/index.js';
import { PtError } from '../../core/ptError.js';
import { timeframeMs, type Timeframe } from '../../core/time.js';
import { barChecksum } from '../../model/barChecksum.js';
import type { CanonicalBar } from '../../model/bar.js';
import type { BarStore } from '../../ports/barStore.js';
import { calendarForSymbol } from '../calendar/calendarForSymbol.js';
import { runIngest, type FetchResult, type IngestSummary } from '../ingest/runIngest.js';
import { canResample, resampleBars } from '../resample/resampleBars.js';
import { storeWriteHooks, type IngestJobDeps } from './runIngestJob.js';

export interface ResampleJobOptions {
  symbols: string[];
  sourceTimeframe: Timeframe;
  timeframe: Timeframe;
  /** Buckets opening at or after this (UTC ms); from the target's watermark when undefined. */
  fromMs?: number;
  /** Buckets opening before this. */
  toMs?: number;
  /** Ignore the target's watermark and rebuild the whole range. */
  full: boolean;
  dataDir: string;
  noWait?: boolean;
  /** Accept replacing more than max_revise_share of the stored target bars it overlaps. */
  forceRevise?: boolean;
}

/** What ingest's job gets, less the source: resample reads its source bars from the store it writes. */
export type ResampleJobDeps = Omit<IngestJobDeps, 'source'>;

/** The bars' `source_id`: resampled, and from which timeframe. */
export function resampleSourceId(source: Timeframe): string {
  return `resample-${source}`;
}

/** Reads one symbol's source bars for the buckets in [fromMs, toMs) and aggregates them. */
async function resampleFetch(
  config: PtConfig,
  store: BarStore,
  symbol: string,
  source: Timeframe,
  target: Timeframe,
  fromMs: number,
  toMs: number,
  ingestRunId: string,
): Promise<FetchResult> {
  const t = timeframeMs(target);
  const lo = Math.ceil(fromMs / t) * t;
  const hi = Math.ceil(toMs / t) * t;
  // One bucket more than asked: a source bar there shows that the last asked bucket has closed.
  const src = await store.readBars(symbol, source, lo, hi + t);
  if (src.length === 0) {
    // Nothing new after the watermark is normal; no source bars at all is a wrong symbol or timeframe.
    if (!(await store.listSymbols(source)).includes(symbol))
      throw new PtError(
        'DATA_INPUT_MISSING',
        `no stored ${source} bars of ${symbol} to resample: ingest them first (pt ingest --symbols ${symbol} --timeframe ${source}), or check --source-timeframe`,
        { details: { symbol, timeframe: source } },
      );
    return { bars: [], stats: { sourceBars: 0 } };
  }
  const newest = src.ts[src.length - 1]!;
  const { bars: r, stats } = resampleBars(
    src,
    target,
    calendarForSymbol(config, symbol),
    { fromMs: lo, toMs: hi },
    newest,
  );
  const sourceId = resampleSourceId(source);
  const bars: CanonicalBar[] = new Array(r.length);
  for (let k = 0; k < r.length; k++) {
    const ts = r.ts[k]!;
    const volume = Number.isNaN(r.volume[k]!) ? null : r.volume[k]!;
    bars[k] = {
      ts_utc: ts,
      symbol,
      timeframe: target,
      open: r.open[k]!,
      high: r.high[k]!,
      low: r.low[k]!,
      close: r.close[k]!,
      volume,
      quality_flag: 'resampled',
      source_id: sourceId,
      ingest_run_id: ingestRunId,
      metadata: {
        symbol_source: symbol,
        provider_version: `resample ${source}→${target}`,
        // Bucket number: the same bucket always gets the same seq, so a re-run writes the same bytes.
        ingest_seq: ts / t,
        checksum: barChecksum(ts, r.open[k]!, r.high[k]!, r.low[k]!, r.close[k]!, volume),
      },
    };
  }
  return { bars, stats: { ...stats } };
}

export async function runResampleJob(
  config: PtConfig,
  o: ResampleJobOptions,
  deps: ResampleJobDeps,
): Promise<IngestSummary> {
  if (!canResample(o.sourceTimeframe, o.timeframe))
    throw new PtError(
      'CORE_CLI_USAGE',
      `cannot resample ${o.sourceTimeframe} into ${o.timeframe}: the source timeframe must be shorter than --timeframe and divide it (15m→1h, 15m→4h, 1h→4h)`,
      { exitCode: 2 },
    );
  const store = await deps.openBarStore(o.dataDir, {
    noWait: o.noWait,
    onLockWait: deps.onLockWait,
    onWarning: deps.onWarning,
  });
  try {
    return await runIngest(
      {
        source: 'resample',
        symbols: o.symbols,
        timeframe: o.timeframe,
        fromMs: o.fromMs,
        toMs: o.toMs,
        full: o.full,
        defaultFromMs: 0,
        runKey: `from ${o.sourceTimeframe}`,
      },
      {
        config,
        store,
        fetchBars: (symbol, timeframe, fromMs, toMs, runId) =>
          resampleFetch(config, store, symbol, o.sourceTimeframe, timeframe, fromMs, toMs, runId),
        ...storeWriteHooks(o.dataDir, { forceRevise: o.forceRevise, allowPriceJump: false }, o.symbols.length, deps),
      },
    );
  } finally {
    await store.close();
  }
}
