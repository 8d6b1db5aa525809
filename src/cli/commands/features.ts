// pt features: flags → options, then the features job over the DuckDB bar store; one line per pair.
import { loadConfig } from '../../config/loadConfig.js';
import { openBarStore } from '../../adapters/duckdb/index.js';
import { formatPairFeatures, runFeaturesJob } from '../../data/job/runFeaturesJob.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { parseFeaturesOptions } from '../options/parseFeaturesOptions.js';
import { writeSkip } from '../writeSkip.js';
import { writeTable } from '../writeTable.js';
import { requireDataDir } from '../requireDataDir.js';

export async function runFeaturesCommand(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const options = parseFeaturesOptions(raw, config);
  requireDataDir(options.dataDir);
  await runFeaturesJob(config, options, {
    openBarStore,
    writeTable,
    onPair: (r) => process.stdout.write(`${formatPairFeatures(r)}\n`),
    onSkip: writeSkip,
  });
  return 0;
}
