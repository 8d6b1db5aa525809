// pt ops slo: parse, measure the SLOs over the window (a library job), print the table or JSON.
// A missed SLO is a finding, not a failure: the command exits 0 whenever it could measure.
import { readParquetTable } from '../../adapters/duckdb/index.js';
import { loadConfig } from '../../config/loadConfig.js';
import { runSloJob } from '../../slo/runSloJob.js';
import { formatSloTable } from '../../slo/sloReport.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { parseOpsSloOptions } from '../options/parseOpsSloOptions.js';

export async function runOpsSlo(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const { json, ...o } = parseOpsSloOptions(raw, config);
  const report = await runSloJob(config, o, { readTable: readParquetTable });
  const text = json
    ? [JSON.stringify(report, (_k, v: unknown) => (Number.isNaN(v) ? null : v))]
    : formatSloTable(report);
  process.stdout.write(`${text.join('\n')}\n`);
  const skipped = report.unreadable_history.length;
  if (skipped > 0)
    process.stderr.write(
      `WARNING ${skipped} signals history file${skipped === 1 ? '' : 's'} could not be read and ${skipped === 1 ? 'was' : 'were'} skipped (listed in the report); ${skipped === 1 ? 'its' : 'their'} bars count as not served\n`,
    );
  return 0;
}
