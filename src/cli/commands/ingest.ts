// pt ingest: flags → options, the chosen source wired in, then the ingest job; summary, log, metrics.
import { loadConfig } from '../../config/loadConfig.js';
import type { PtConfig } from '../../config/schemas/index.js';
import { formatIngestSummary, type IngestSummary } from '../../data/ingest/runIngest.js';
import { ingestFailure, runIngestJob, type IngestJobOptions } from '../../data/job/runIngestJob.js';
import { writeMetricsFile } from '../../observability/writeMetricsFile.js';
import { logDone } from '../logDone.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { parseIngestOptions } from '../options/parseIngestOptions.js';
import { ProgressBar } from '../progressBar.js';
import { storeWriteDeps } from '../storeWriteDeps.js';
import { setupSource, type SourceOptions } from './ingestSources.js';
import { ingestAlerts, sendDataAlerts } from '../dataAlerts.js';

export async function runIngestCommand(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const options = parseIngestOptions(raw, config);
  if (options.detectClock) return (await import('./detectClockCommand.js')).runDetectClock(options);
  const summary = await ingestWithProgress(config, options);
  if (options.metricsFile) await writeMetricsFile(options.metricsFile);
  await sendDataAlerts(config, await ingestAlerts(config, summary), 'ingest');
  const failure = ingestFailure(summary);
  if (failure) throw failure;
  return 0;
}

/** The ingest job with the source wired in, a progress bar, the printed summary and the done log line (pt quickstart too). */
export async function ingestWithProgress(
  config: PtConfig,
  options: IngestJobOptions & Omit<SourceOptions, 'now'>,
): Promise<IngestSummary> {
  const bar = new ProgressBar();
  const source = setupSource(config, {
    ...options,
    now: Date.now,
    // A drawn bar is cleared first so the warning gets a line of its own.
    warn: (line) => {
      bar.finish();
      process.stderr.write(`${line}\n`);
    },
  });
  const summary = await runIngestJob(config, options, {
    ...storeWriteDeps(bar),
    source,
  }).finally(() => bar.finish());
  for (const line of formatIngestSummary(summary)) process.stdout.write(`${line}\n`);
  logDone({ source: 'ingest', run_id: summary.ingestRunId, timeframe: options.timeframe }, 'ingest_done', {
    source: options.source,
    symbols: summary.symbols,
  });
  return summary;
}
