// pt ingest: flags → options, the chosen source wired in, then the ingest job; summary, log, metrics.
import { loadConfig } from '../../config/loadConfig.js';
import { openBarStore } from '../../adapters/duckdb/index.js';
import { formatIngestSummary } from '../../data/ingest/runIngest.js';
import { ingestFailure, runIngestJob } from '../../data/job/runIngestJob.js';
import { writeMetricsFile } from '../../observability/writeMetricsFile.js';
import { logDone } from '../logDone.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { parseIngestOptions } from '../options/parseIngestOptions.js';
import { ProgressBar } from '../progressBar.js';
import { setupSource } from './ingestSources.js';

export async function runIngestCommand(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const options = parseIngestOptions(raw, config);
  const source = setupSource(config, { ...options, now: Date.now });
  const bar = new ProgressBar();
  const summary = await runIngestJob(config, options, {
    openBarStore,
    source,
    onProgress: (label, done, total) => bar.update(label, done, total),
  }).finally(() => bar.finish());
  for (const line of formatIngestSummary(summary)) process.stdout.write(`${line}\n`);
  logDone({ source: 'ingest', run_id: summary.ingestRunId, timeframe: options.timeframe }, 'ingest_done', {
    source: options.source,
    symbols: summary.symbols,
  });
  if (options.metricsFile) await writeMetricsFile(options.metricsFile);
  const failure = ingestFailure(summary);
  if (failure) throw failure;
  return 0;
}
