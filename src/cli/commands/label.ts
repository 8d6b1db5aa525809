// pt label: flags → options, then the label job over the DuckDB bar store; a summary per pair.
import { loadConfig } from '../../config/loadConfig.js';
import { openBarStore } from '../../adapters/duckdb/index.js';
import { formatPairLabels, runLabelJob } from '../../data/job/runLabelJob.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { parseLabelOptions } from '../options/parseLabelOptions.js';
import { writeSkip } from '../writeSkip.js';
import { writeTable } from '../writeTable.js';
import { requireDataDir } from '../requireDataDir.js';

export async function runLabelCommand(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const options = parseLabelOptions(raw, config);
  requireDataDir(options.dataDir);
  await runLabelJob(config, options, {
    openBarStore,
    writeTable,
    onPair: (r) => process.stdout.write(`${formatPairLabels(r)}\n`),
    onSkip: writeSkip,
  });
  return 0;
}
