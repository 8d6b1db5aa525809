// pt ingest as a library job: open the bar store, ingest the source's symbols from the watermark
// (or the asked range), close; and the error a run with failed symbols ends with.
import type { PtConfig } from '../../config/schemas/index.js';
import type { ErrorId } from '../../core/errorCatalog.js';
import { PtError } from '../../core/ptError.js';
import type { Timeframe } from '../../core/time.js';
import { join } from 'node:path';
import type { OpenBarStore } from '../../ports/barStore.js';
import type { WriteTable } from '../../ports/tableWriter.js';
import { runIngest, type FetchBars, type IngestDeps, type IngestSummary } from '../ingest/runIngest.js';
import { appendIngestRun, ingestRunRecord } from '../ingest/ingestRunLog.js';

/** A source ready to fetch: what it serves and how a first ingest starts. */
export interface IngestSource {
  fetchBars: FetchBars;
  symbols: string[];
  /** Start of a first ingest without --from. */
  defaultFromMs: number;
  /** Extra words of the run id (files, seed …). */
  runKey: string;
}

export interface IngestJobOptions {
  /** The source's name (twelvedata, csv, synthetic), recorded in the watermark and run id. */
  source: string;
  timeframe: Timeframe;
  fromMs?: number;
  toMs?: number;
  /** Ignore the watermark and re-import the whole range. */
  full: boolean;
  /** Absolute path of the bar store's folder. */
  dataDir: string;
  /** Fail with DATA_STORAGE_LOCKED instead of waiting when another process writes the same symbol. */
  noWait?: boolean;
  /** Accept a re-import that changes more than max_revise_share of the stored bars it overlaps. */
  forceRevise?: boolean;
  /** Accept a 5× (or larger) move between stored and new prices. */
  allowPriceJump?: boolean;
}

/** Where an ingest keeps the stored values it overwrites: one file per symbol and run, never replaced. */
export function revisionAuditPath(dataDir: string, timeframe: Timeframe, symbol: string, nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace('.', '');
  return join(dataDir, 'audit', 'revised', timeframe, symbol, `${symbol}_${stamp}.parquet`);
}

export interface IngestJobDeps {
  openBarStore: OpenBarStore;
  source: IngestSource;
  /** Writes the audit of overwritten values (Parquet). */
  writeTable: WriteTable;
  /** Symbols done (fractional within a write) of the total, labelled `SYMBOL phase`. */
  onProgress?: (label: string, done: number, total: number) => void;
  /** One line when a symbol's lock is held by another process and this run waits for it. */
  onLockWait?: (message: string) => void;
  /** One line when the store repaired something on the way (a corrupt watermark under --full). */
  onWarning?: (message: string) => void;
}

/**
 * The price guard (with its revision audit) and the progress counter of a run that writes bars
 * through `runIngest`: pt ingest and pt resample share them.
 */
export function storeWriteHooks(
  dataDir: string,
  guard: { forceRevise?: boolean; allowPriceJump?: boolean },
  total: number,
  deps: Pick<IngestJobDeps, 'writeTable' | 'onProgress'>,
): Pick<IngestDeps, 'priceGuard' | 'onProgress'> {
  let index = 0;
  return {
    priceGuard: {
      forceRevise: guard.forceRevise ?? false,
      allowPriceJump: guard.allowPriceJump ?? false,
      writeRevisionAudit: async (symbol, timeframe, columns) => {
        const path = revisionAuditPath(dataDir, timeframe, symbol, Date.now());
        await deps.writeTable(path, columns);
        return path;
      },
    },
    onProgress: (p) => {
      if (p.phase === 'done') index++;
      const within = p.phase === 'write' && p.total > 0 ? p.done / p.total : 0;
      deps.onProgress?.(`${p.symbol} ${p.phase}`, index + within, total);
    },
  };
}

export async function runIngestJob(config: PtConfig, o: IngestJobOptions, deps: IngestJobDeps): Promise<IngestSummary> {
  const { source } = deps;
  const store = await deps.openBarStore(o.dataDir, {
    noWait: o.noWait,
    onLockWait: deps.onLockWait,
    onWarning: deps.onWarning,
  });
  let summary: IngestSummary;
  try {
    summary = await runIngest(
      {
        source: o.source,
        symbols: source.symbols,
        timeframe: o.timeframe,
        fromMs: o.fromMs,
        toMs: o.toMs,
        full: o.full,
        defaultFromMs: source.defaultFromMs,
        runKey: source.runKey,
      },
      {
        config,
        store,
        fetchBars: source.fetchBars,
        ...storeWriteHooks(o.dataDir, o, source.symbols.length, deps),
      },
    );
  } catch (error) {
    // A storage failure ends the run for every symbol: the run log counts them all as failed.
    const errorId = error instanceof PtError ? error.id : 'UNKNOWN';
    await appendIngestRun(o.dataDir, {
      finished_at: new Date().toISOString(),
      run_id: '',
      source: o.source,
      timeframe: o.timeframe,
      asked: source.symbols.length,
      failed: source.symbols.length,
      failures: source.symbols.map((symbol) => ({ symbol, error_id: errorId })),
    }).catch(() => undefined);
    throw error;
  } finally {
    await store.close();
  }
  await appendIngestRun(o.dataDir, ingestRunRecord(summary, Date.now()));
  return summary;
}

/** The error of a run where some symbols failed (the others were ingested); undefined when none did. */
export function ingestFailure(summary: IngestSummary): PtError | undefined {
  const failed = summary.symbols.filter((x) => x.error);
  if (failed.length === 0) return undefined;
  const first = failed[0]!.error!;
  return new PtError(
    first.id as ErrorId,
    `${failed.length} of ${summary.symbols.length} symbols failed (${failed.map((x) => x.symbol).join(', ')})${failed.length < summary.symbols.length ? '; the others were ingested' : ''}. First: ${first.message}`,
    { source: 'ingest' },
  );
}
