// pt store verify|repair: thin shells over the bar store's verify and repair, and the ingest job for re-ingesting months.
import { openBarStore, repairBarStore, verifyBarStore } from '../../adapters/duckdb/index.js';
import { loadConfig } from '../../config/loadConfig.js';
import { formatIngestSummary } from '../../data/ingest/runIngest.js';
import { ingestFailure, runIngestJob } from '../../data/job/runIngestJob.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { parseStoreRepairOptions, parseStoreVerifyOptions } from '../options/parseStoreOptions.js';
import { requireDataDir } from '../requireDataDir.js';
import { writeTable } from '../writeTable.js';
import { setupSource } from './ingestSources.js';

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

export async function runStoreVerify(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const o = parseStoreVerifyOptions(raw, config);
  requireDataDir(o.dataDir);
  const r = await verifyBarStore(o.dataDir, { timeframe: o.timeframe, symbols: o.symbols });
  for (const p of r.problems) out(`${p.path}: ${p.problem}`);
  const checked = `${r.symbols.length} symbol${r.symbols.length === 1 ? '' : 's'}, ${r.partitions} partitions`;
  if (r.problems.length === 0) {
    out(
      `store ${o.timeframe} OK: ${checked} (every row's checksum, symbol, grid and month), watermarks and quarantine file sound`,
    );
    return 0;
  }
  const bad = [...new Set(r.problems.map((p) => p.symbol).filter((s) => s !== undefined))];
  err(
    `ERROR DATA_STORAGE_CORRUPT: store ${o.timeframe}: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} in ${checked}; run pt store repair --timeframe ${o.timeframe}${bad.length > 0 ? ` --symbols ${bad.join(',')}` : ''}`,
  );
  return 1;
}

export async function runStoreRepair(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const o = parseStoreRepairOptions(raw, config);
  requireDataDir(o.dataDir);
  const lockAndWarn = { noWait: o.noWait, onLockWait: err, onWarning: (m: string) => err(`WARNING ${m}`) };
  // The source is set up first, so a bad --path fails before anything is moved.
  const source =
    o.source === 'quarantine'
      ? undefined
      : setupSource(config, { ...o, source: o.source, symbols: o.symbols ?? [], now: Date.now });
  const r = await repairBarStore(o.dataDir, { timeframe: o.timeframe, symbols: o.symbols, ...lockAndWarn });
  for (const m of r.moved) out(`${m.path}: moved to ${m.movedTo} (${m.problems.join('; ')})`);
  for (const w of r.watermarks) out(`${w.path}: ${w.action}`);
  if (r.quarantineReset) out(`${r.quarantineReset}: was corrupt, now empty (run pt dq again)`);
  if (source !== undefined && r.moved.length > 0) {
    for (const m of r.moved) {
      const summary = await runIngestJob(
        config,
        {
          source: o.source,
          timeframe: o.timeframe,
          fromMs: Date.parse(m.from),
          toMs: Date.parse(m.to),
          full: true,
          dataDir: o.dataDir,
          noWait: o.noWait,
        },
        { openBarStore, writeTable, source: { ...source, symbols: [m.symbol] }, ...lockAndWarn },
      );
      for (const line of formatIngestSummary(summary)) out(line);
      const failure = ingestFailure(summary);
      if (failure) throw failure;
    }
    // Every month is back: the watermarks may follow the data again.
    const after = await repairBarStore(o.dataDir, {
      timeframe: o.timeframe,
      symbols: [...new Set(r.moved.map((m) => m.symbol))],
      watermarkToNewest: true,
      ...lockAndWarn,
    });
    for (const w of after.watermarks) out(`${w.path}: ${w.action}`);
  }
  const refill =
    source === undefined && r.moved.length > 0
      ? `; a plain pt ingest of ${[...new Set(r.moved.map((m) => m.symbol))].join(',')} refills the months moved out`
      : '';
  out(
    `store repair ${o.timeframe}: ${r.partitions} partitions checked, ${r.moved.length} moved to quarantine${source && r.moved.length > 0 ? ` and re-ingested from ${o.source}` : ''}, ${r.watermarks.length} watermarks rewritten${r.quarantineReset ? ', quarantine file reset' : ''}${r.tempsRemoved > 0 ? `, ${r.tempsRemoved} temp files of dead writers removed` : ''}${refill}`,
  );
  return 0;
}
