// pt dq: flags → options, then the DQ job over the DuckDB bar store; tables and the report's paths.
import { loadConfig } from '../../config/loadConfig.js';
import { openBarStore } from '../../adapters/duckdb/index.js';
import { dqPairFailure } from '../../data/dq/runDq.js';
import { formatDqRun, runDqJob } from '../../data/job/runDqJob.js';
import { writeMetricsFile } from '../../observability/writeMetricsFile.js';
import { logDone } from '../logDone.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { parseDqOptions } from '../options/parseDqOptions.js';
import { requireDataDir } from '../requireDataDir.js';
import { dqAlerts, sendDataAlerts } from '../dataAlerts.js';

export async function runDqCommand(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const options = parseDqOptions(raw, config);
  requireDataDir(options.dataDir);
  const r = await runDqJob(config, options, {
    openBarStore,
    onLockWait: (message) => process.stderr.write(`${message}\n`),
  });
  for (const line of formatDqRun(r)) process.stdout.write(`${line}\n`);
  if (options.metricsFile) await writeMetricsFile(options.metricsFile);
  logDone({ source: 'dq', run_id: r.report.dq_run_id, timeframe: r.timeframe }, 'dq_done', {
    symbols: r.symbols,
    quarantined: r.report.quarantine.entries.length,
    report: r.reportPath,
  });
  await sendDataAlerts(config, dqAlerts(r.report), 'dq');
  // The report is written and printed first: the other symbols' and pairs' results stay usable.
  const failure = dqPairFailure(r.report);
  if (failure) throw failure;
  return 0;
}
