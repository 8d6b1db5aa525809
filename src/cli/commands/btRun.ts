// pt bt run: flags → options, then the backtest job with the DuckDB bar store and the table writer.
import { resolve } from 'node:path';
import { loadConfig } from '../../config/loadConfig.js';
import { openBarStore } from '../../adapters/duckdb/index.js';
import { runOutputDir } from '../../adapters/files/runOutputDir.js';
import { readRunRecord } from '../../adapters/files/readRunRecord.js';
import { formatRunSummary, runBacktestJob, type BacktestJobOptions } from '../../backtest/job/index.js';
import type { PtConfig } from '../../config/schemas/index.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { parseBtRunOptions } from '../options/parseBtRunOptions.js';
import { ProgressBar } from '../progressBar.js';
import { writeTable } from '../writeTable.js';
import { requireDataDir } from '../requireDataDir.js';
import type { BacktestJobResult } from '../../backtest/job/index.js';
import { btAcceptAlert } from '../btAlerts.js';
import { sendAlerts } from '../opsAlerts.js';

export async function runBtRunCommand(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const options = parseBtRunOptions(raw, config);
  requireDataDir(options.dataDir);
  const result = await backtestWithProgress(config, options);
  const alert = raw.alert === true ? btAcceptAlert(result) : undefined;
  if (alert) await sendAlerts(config, resolve(config.signals_policy.ops_dir), [alert], 'bt');
  return 0;
}

/** The backtest job with the DuckDB store and the file writers wired in, a progress bar and the printed summary. */
export async function backtestWithProgress(config: PtConfig, options: BacktestJobOptions): Promise<BacktestJobResult> {
  const bar = new ProgressBar();
  const result = await runBacktestJob(config, options, {
    openBarStore,
    writeTable,
    outputDir: runOutputDir,
    readRunRecord,
    onProgress: (label, done, total) => bar.update(label, done, total),
  }).finally(() => bar.finish());
  process.stdout.write(formatRunSummary(result));
  return result;
}
