// pt ingest: bars from a source into the canonical store, incremental from the watermark.
import { dirname, resolve } from 'node:path';
import { loadConfig } from '../../config/loadConfig.js';
import { ensureDirDurable, writeFileAtomic } from '../../core/durableFs.js';
import { createLogger } from '../../core/logger.js';
import { openBarStore } from '../../adapters/duckdb/index.js';
import { formatIngestSummary, runIngest } from '../../data/ingest/runIngest.js';
import { registry } from '../../observability/metrics.js';
import { maybeDate, maybePositiveNumber, maybeRange, maybeSymbols, maybeTimeframeOption } from '../cliOptions.js';
import { ProgressBar } from '../progressBar.js';
import { setupSource } from './ingestSources.js';
import { PtError } from '../../core/ptError.js';
import type { ErrorId } from '../../core/errorCatalog.js';

export async function runIngestCommand(options: Record<string, unknown>): Promise<number> {
  const config = loadConfig(options.configDir as string | undefined);
  const timeframe = maybeTimeframeOption(options.timeframe, config);
  const fromMs = maybeDate(options.from, '--from');
  const toMs = maybeDate(options.to, '--to');
  maybeRange(fromMs, toMs);
  const source = String(options.source);
  const seed = maybePositiveNumber(options.seed, '--seed');
  const setup = setupSource(config, {
    source,
    timeframe,
    now: Date.now,
    symbols: maybeSymbols(options.symbols, false),
    path: options.path as string | undefined,
    tz: String(options.tz ?? 'UTC'),
    priceScale: maybePositiveNumber(options.priceScale, '--price-scale'),
    seed,
  });
  const dataDir = resolve(String(options.dataDir ?? 'data'));
  const store = await openBarStore(dataDir);
  const bar = new ProgressBar();
  try {
    const total = setup.symbols.length;
    let index = 0;
    const summary = await runIngest(
      {
        source,
        symbols: setup.symbols,
        timeframe,
        fromMs,
        toMs,
        full: Boolean(options.full),
        defaultFromMs: setup.defaultFromMs,
        runKey: setup.runKey,
      },
      {
        config,
        store,
        fetchBars: setup.fetchBars,
        onProgress: (p) => {
          if (p.phase === 'done') index++;
          const within = p.phase === 'write' && p.total > 0 ? p.done / p.total : 0;
          bar.update(`${p.symbol} ${p.phase}`, index + within, total);
        },
      },
    );
    bar.finish();
    for (const line of formatIngestSummary(summary)) process.stdout.write(`${line}\n`);
    const failed = summary.symbols.filter((x) => x.error);
    createLogger({ source: 'ingest', run_id: summary.ingestRunId, timeframe }, process.stderr, 'warn').info({
      event: 'ingest_done',
      details: { source, symbols: summary.symbols },
    });
    if (options.metricsFile) {
      const path = resolve(String(options.metricsFile));
      await ensureDirDurable(dirname(path));
      await writeFileAtomic(path, await registry.metrics());
    }
    if (failed.length > 0) {
      const first = failed[0]!.error!;
      throw new PtError(
        first.id as ErrorId,
        `${failed.length} of ${summary.symbols.length} symbols failed (${failed.map((x) => x.symbol).join(', ')}); the others were ingested. First: ${first.message}`,
        { source: 'ingest' },
      );
    }
    return 0;
  } finally {
    bar.finish();
    await store.close();
  }
}
