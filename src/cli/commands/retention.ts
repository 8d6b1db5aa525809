// pt retention apply: a thin shell over the retention job, wiring the bar store's inventory and locks in.
import { listCanonicalInventory, lockSymbol, newestParquetTimestamp } from '../../adapters/duckdb/index.js';
import { loadConfig } from '../../config/loadConfig.js';
import { formatRetention } from '../../retention/formatRetention.js';
import { runRetentionJob } from '../../retention/runRetentionJob.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { parseRetentionOptions } from '../options/parseRetentionOptions.js';
import { requireDataDir } from '../requireDataDir.js';

export async function runRetentionApply(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const o = parseRetentionOptions(raw, config);
  requireDataDir(o.dataDir);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  const result = await runRetentionJob(
    config,
    {
      data: o.dataDir,
      models: o.modelsDir,
      reports: o.reportsDir,
      signals: o.signalDir,
      auditLogPath: o.auditLogPath,
      dryRun: o.dryRun,
    },
    {
      listCanonical: listCanonicalInventory,
      newestTimestamp: newestParquetTimestamp,
      lockSymbol: (timeframe, symbol) =>
        lockSymbol(o.dataDir, timeframe, symbol, { noWait: o.noWait, onLockWait: err }),
    },
  );
  if (o.json) {
    const { plan, listSha256, moves, purges, dryRun, auditSha256 } = result;
    process.stdout.write(
      `${JSON.stringify({ dry_run: dryRun, batch: plan.batch, list_sha256: listSha256, trash: moves, purge: purges, kept: plan.kept, audit_sha256: auditSha256 ?? null }, null, 2)}\n`,
    );
    return 0;
  }
  for (const line of formatRetention(result)) process.stdout.write(`${line}\n`);
  return 0;
}
