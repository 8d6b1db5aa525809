// Ingest: for each symbol, fetch bars after the watermark (or the asked range), upsert them, and summarise.
import { createHash } from 'node:crypto';
import type { PtConfig } from '../../config/schemas/index.js';
import { timeframeMs, isoUtc, type Timeframe } from '../../core/time.js';
import type { CanonicalBar } from '../../model/bar.js';
import { batchInRange, isBarBatch, type BarBatch } from '../../model/barBatch.js';
import type { BarStore } from '../../ports/barStore.js';
import { metrics } from '../../observability/metrics.js';
import { calendarForSymbol } from '../calendar/calendarForSymbol.js';
import { countMissing } from '../dq/findGaps.js';
import { isPtError } from '../../core/ptError.js';
import { guardPrices, type PriceGuardOptions } from './guardPrices.js';
import { freshBars } from './priceGuard.js';

/** Error ids of a source failing (one symbol), as opposed to the store failing (every symbol). */
const SOURCE_ERROR = /^(DATA_API_|DATA_INPUT_|DATA_WS_|DATA_SCHEMA_BAR$)/;
/** Error ids of the price guard refusing one symbol's bars (nothing of it stored; the others go on). */
const GUARD_ERROR = /^(DATA_PRICE_|DATA_REVISE_LIMIT$)/;

export interface FetchResult {
  /** Objects, or the same bars as columns (a file source's form: no object per bar). */
  bars: readonly CanonicalBar[] | BarBatch;
  /** Source-specific counters (e.g. invalid rows dropped, duplicates in the file). */
  stats?: Record<string, number>;
}

/** Fetches closed bars of one symbol in [fromMs, toMs). */
export type FetchBars = (
  symbol: string,
  timeframe: Timeframe,
  fromMs: number,
  toMs: number,
  ingestRunId: string,
) => Promise<FetchResult>;

export interface IngestRequest {
  source: string;
  symbols: string[];
  timeframe: Timeframe;
  /** As asked by the user; undefined means "from the watermark, else defaultFromMs". */
  fromMs?: number;
  toMs?: number;
  /** Ignore the watermark. */
  full: boolean;
  /** Start of a first ingest with no --from (e.g. now − history_lookback_months; 0 for files). */
  defaultFromMs: number;
  /** Extra words that make the run id (file path, seed …). */
  runKey?: string;
}

export interface IngestProgress {
  symbol: string;
  phase: 'fetch' | 'write' | 'done';
  done: number;
  total: number;
}

export interface IngestDeps {
  config: PtConfig;
  store: BarStore;
  fetchBars: FetchBars;
  now?: () => number;
  onProgress?: (p: IngestProgress) => void;
  /** The price-scale guard's overrides and audit writer; the guard always runs (no override, no audit when absent). */
  priceGuard?: PriceGuardOptions;
}

export interface SymbolIngestSummary {
  symbol: string;
  fromMs: number;
  toMs: number;
  fetched: number;
  inserted: number;
  updated: number;
  deduped: number;
  missing: number;
  gaps: number;
  gapBars: number;
  partitionsWritten: number;
  sourceStats: Record<string, number>;
  /** Set when nothing was asked of the source (watermark already at the end). */
  upToDate: boolean;
  /**
   * The watermark this run started after, when it cut into the asked range: the source's rows at
   * or before it were not imported (a file's older rows, or a concurrent run's), and `--full` merges them.
   */
  resumedAfter?: number;
  /** Where the stored values this run overwrote were kept (data/audit/revised/…), when it overwrote any. */
  auditPath?: string;
  /** Set when the source failed for this symbol; the other symbols still run. */
  error?: { id: string; message: string };
}

export interface IngestSummary {
  ingestRunId: string;
  source: string;
  timeframe: Timeframe;
  symbols: SymbolIngestSummary[];
  durationMs: number;
}

/**
 * The run id is derived from what was asked, not from when: re-running the same command gives the
 * same id, so a re-run after a crash writes the same bytes as an uninterrupted run.
 */
export function ingestRunIdFor(req: IngestRequest): string {
  const key = [
    req.source,
    req.timeframe,
    req.symbols.join(','),
    req.fromMs ?? '',
    req.toMs ?? '',
    req.runKey ?? '',
  ].join('|');
  return `${req.source}-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

export async function runIngest(req: IngestRequest, deps: IngestDeps): Promise<IngestSummary> {
  const started = performance.now();
  const now = deps.now ?? Date.now;
  const tfMs = timeframeMs(req.timeframe);
  const runId = ingestRunIdFor(req);
  const maxFill = deps.config.pipeline_policy.missing_fill_max_run;
  const out: SymbolIngestSummary[] = [];
  // Only closed bars: the newest bar that may be stored opened one timeframe before now.
  const lastClosedEnd = Math.floor(now() / tfMs) * tfMs;
  // Plan every symbol's range first, so the next symbol's fetch (parsing, network) can run while the
  // current one's partitions are written (the store waits on DuckDB and fsync, not the CPU).
  const plans: Array<{ symbol: string; fromMs: number; toMs: number; previousTs?: number; resumed: boolean }> = [];
  for (const symbol of req.symbols) {
    // --full plans without the watermark, but rebuilds a corrupt one first (the price guard reads it).
    if (req.full) await deps.store.readWatermark(symbol, req.timeframe, { rebuildIfCorrupt: true });
    const watermark = req.full ? undefined : await deps.store.readWatermark(symbol, req.timeframe);
    const asked = req.fromMs ?? req.defaultFromMs;
    plans.push({
      symbol,
      fromMs: watermark ? Math.max(asked, watermark.last_ts + tfMs) : asked,
      toMs: Math.min(req.toMs ?? lastClosedEnd, lastClosedEnd),
      previousTs: watermark?.last_ts,
      resumed: watermark !== undefined && watermark.last_ts + tfMs > asked,
    });
  }
  const fetchPlan = (i: number): Promise<FetchResult> | undefined => {
    const p = plans[i];
    if (!p || p.fromMs >= p.toMs) return undefined;
    deps.onProgress?.({ symbol: p.symbol, phase: 'fetch', done: 0, total: 1 });
    return deps.fetchBars(p.symbol, req.timeframe, p.fromMs, p.toMs, runId);
  };
  let pending = fetchPlan(0);
  // A symbol's write runs on while the next symbol is fetched and handed to the store (the store
  // prepares one upsert while it writes the one before); `writes` are those still running.
  const writes: Array<Promise<void>> = [];
  let storeFailure: { error: unknown } | undefined;
  try {
    for (let i = 0; i < plans.length && storeFailure === undefined; i++) {
      const { symbol, fromMs, toMs, previousTs, resumed } = plans[i]!;
      const current = pending;
      const summary: SymbolIngestSummary = {
        symbol,
        fromMs,
        toMs,
        fetched: 0,
        inserted: 0,
        updated: 0,
        deduped: 0,
        missing: 0,
        gaps: 0,
        gapBars: 0,
        partitionsWritten: 0,
        sourceStats: {},
        upToDate: current === undefined,
        resumedAfter: resumed ? previousTs : undefined,
      };
      out.push(summary);
      if (current === undefined) {
        pending = fetchPlan(i + 1);
        deps.onProgress?.({ symbol, phase: 'done', done: 1, total: 1 });
        continue;
      }
      let fetched: FetchResult;
      try {
        fetched = await current;
      } catch (error) {
        // A source failing for one symbol (HTTP, parse, missing file) must not stop the others;
        // a storage failure would hit every symbol, so it ends the run.
        if (!isPtError(error) || !SOURCE_ERROR.test(error.id)) throw error;
        summary.error = { id: error.id, message: error.message };
        pending = fetchPlan(i + 1);
        pending?.catch(() => undefined);
        deps.onProgress?.({ symbol, phase: 'done', done: 1, total: 1 });
        continue;
      }
      // The next symbol is fetched once the store has taken this one's rows (its first progress call)
      // or it is done: a file source parses on this thread, and parsing while the store waits on
      // DuckDB and the disk overlaps the two, where parsing first would only delay the store's own work.
      let prefetched = false;
      const prefetch = (): void => {
        if (prefetched) return;
        prefetched = true;
        pending = fetchPlan(i + 1);
        // A failed prefetch must not go unhandled while this symbol is written; it rethrows when awaited.
        pending?.catch(() => undefined);
      };
      const bars = isBarBatch(fetched.bars)
        ? batchInRange(fetched.bars, fromMs, toMs)
        : fetched.bars.filter((b) => b.ts_utc >= fromMs && b.ts_utc < toMs);
      const times = isBarBatch(bars) ? bars.ts : bars.map((b) => b.ts_utc);
      summary.fetched = bars.length;
      summary.sourceStats = fetched.stats ?? {};
      try {
        const guarded = await guardPrices(
          deps.store,
          deps.config,
          symbol,
          req.timeframe,
          freshBars(bars),
          deps.priceGuard ?? { forceRevise: false, allowPriceJump: false },
        );
        if (guarded.auditPath !== undefined) summary.auditPath = guarded.auditPath;
      } catch (error) {
        if (!isPtError(error) || !GUARD_ERROR.test(error.id)) throw error;
        summary.error = { id: error.id, message: error.message };
        prefetch();
        deps.onProgress?.({ symbol, phase: 'done', done: 1, total: 1 });
        continue;
      }
      const gapCount = countMissing(times, calendarForSymbol(deps.config, symbol), tfMs, maxFill, previousTs);
      Object.assign(summary, gapCount);
      let taken!: () => void;
      const handedOver = new Promise<void>((resolve) => (taken = resolve));
      const upserting = deps.store.upsert(symbol, req.timeframe, bars, req.source, (done, total) => {
        taken();
        prefetch();
        deps.onProgress?.({ symbol, phase: 'write', done, total });
      });
      writes.push(
        upserting.then(
          (result) => {
            summary.inserted = result.inserted;
            summary.updated = result.updated;
            summary.deduped = result.deduped;
            summary.partitionsWritten = result.partitionsWritten;
            metrics.pipelineRowsTotal.inc({ symbol, timeframe: req.timeframe, outcome: 'inserted' }, result.inserted);
            metrics.pipelineRowsTotal.inc({ symbol, timeframe: req.timeframe, outcome: 'updated' }, result.updated);
            const last = times.length > 0 ? times[times.length - 1]! : previousTs;
            if (last !== undefined)
              metrics.watermarkLagBars.set(
                { symbol, timeframe: req.timeframe },
                Math.max(0, Math.floor((lastClosedEnd - tfMs - last) / tfMs)),
              );
            deps.onProgress?.({ symbol, phase: 'done', done: 1, total: 1 });
          },
          (error: unknown) => {
            storeFailure ??= { error };
          },
        ),
      );
      await Promise.race([handedOver, upserting.then(prefetch, prefetch)]);
      prefetch();
    }
  } finally {
    // Never return (or throw) with a write still running.
    await Promise.all(writes);
  }
  if (storeFailure !== undefined) throw storeFailure.error;
  const asked = out.filter((x) => !x.upToDate).length;
  const failed = out.filter((x) => x.error).length;
  metrics.ingestSuccessRate.set(
    { source: req.source, timeframe: req.timeframe },
    asked === 0 ? 1 : (asked - failed) / asked,
  );
  metrics.ingestLastRunTimestampSeconds.set({ source: req.source, timeframe: req.timeframe }, Date.now() / 1000);
  return {
    ingestRunId: runId,
    source: req.source,
    timeframe: req.timeframe,
    symbols: out,
    durationMs: performance.now() - started,
  };
}

/** One line per symbol plus a total, for logs and non-TTY output. */
export function formatIngestSummary(s: IngestSummary): string[] {
  const lines = s.symbols.map((x) =>
    x.error
      ? `${x.symbol} ${s.timeframe}: FAILED ${x.error.id}: ${x.error.message}`
      : x.upToDate
        ? `${x.symbol} ${s.timeframe}: up to date (watermark ${isoUtc(x.fromMs - timeframeMs(s.timeframe))})`
        : `${x.symbol} ${s.timeframe}: ${x.fetched} rows fetched, ${x.inserted} new, ${x.updated} updated, ${x.deduped} deduped, ${x.gaps} gaps (${x.gapBars} bars)${formatStats(x.sourceStats)}${x.resumedAfter !== undefined && (x.sourceStats.outsideRange ?? 0) > 0 ? `; rows at or before the watermark ${isoUtc(x.resumedAfter)} were not imported (--full merges them)` : ''}${x.auditPath ? `; overwritten values kept in ${x.auditPath}` : ''}`,
  );
  const t = s.symbols.reduce(
    (a, x) => ({ n: a.n + x.inserted, u: a.u + x.updated, d: a.d + x.deduped, g: a.g + x.gaps }),
    { n: 0, u: 0, d: 0, g: 0 },
  );
  lines.push(
    `ingest ${s.source} ${s.timeframe}: ${t.n} new, ${t.u} updated, ${t.d} deduped, ${t.g} gaps in ${(s.durationMs / 1000).toFixed(2)} s (run ${s.ingestRunId})`,
  );
  return lines;
}

function formatStats(stats: Record<string, number>): string {
  const parts = Object.entries(stats)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${v}`);
  return parts.length > 0 ? `; source: ${parts.join(', ')}` : '';
}
