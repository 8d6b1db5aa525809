// pt resample: flags → options, then the resample job over the DuckDB bar store; summary and log.
import { loadConfig } from '../../config/loadConfig.js';
import { formatIngestSummary } from '../../data/ingest/runIngest.js';
import { ingestFailure } from '../../data/job/runIngestJob.js';
import { runResampleJob } from '../../data/job/runResampleJob.js';
import { logDone } from '../logDone.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { parseResampleOptions } from '../options/parseResampleOptions.js';
import { ProgressBar } from '../progressBar.js';
import { storeWriteDeps } from '../storeWriteDeps.js';
import { requireDataDir } from '../requireDataDir.js';

export async function runResampleCommand(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const options = parseResampleOptions(raw, config);
  requireDataDir(options.dataDir);
  const bar = new ProgressBar();
  const summary = await runResampleJob(config, options, {
    ...storeWriteDeps(bar),
  }).finally(() => bar.finish());
  for (const line of formatIngestSummary(summary)) process.stdout.write(`${line}\n`);
  logDone({ source: 'resample', run_id: summary.ingestRunId, timeframe: options.timeframe }, 'resample_done', {
    source_timeframe: options.sourceTimeframe,
    symbols: summary.symbols,
  });
  const failure = ingestFailure(summary);
  if (failure) throw failure;
  return 0;
}
