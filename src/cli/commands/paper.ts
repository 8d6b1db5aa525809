// pt paper: flags → options, the DuckDB store and table reader wired into runPaperJob; prints what it did.
import { openBarStore, readParquetTable } from '../../adapters/duckdb/index.js';
import { loadConfig } from '../../config/loadConfig.js';
import { createLogger } from '../../core/logger.js';
import { onLiveSignals } from '../../live/onLiveSignals.js';
import { shardPairs } from '../../live/shardPairs.js';
import { runPaperJob } from '../../paper/runPaperJob.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { parsePaperOptions } from '../options/parsePaperOptions.js';
import { requireDataDir } from '../requireDataDir.js';

export async function runPaperCommand(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const o = parsePaperOptions(raw, config);
  requireDataDir(o.dataDir);
  const specs = shardPairs(config, o.shard);
  const log = createLogger({ source: 'paper', timeframe: o.timeframe, symbol: `shard_${o.shard}` });
  // follow runs until SIGTERM/SIGINT, then finishes the file in hand and exits 0.
  const signals = o.mode === 'follow' ? onLiveSignals() : undefined;
  try {
    const r = await runPaperJob(config, specs, o, {
      openBarStore,
      readTable: readParquetTable,
      now: () => Date.now(),
      stopRequested: () => signals?.stopRequested !== undefined,
      sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
      log,
    });
    const net = r.trades.reduce((s, t) => s + t.pnl, 0);
    process.stdout.write(
      `paper shard ${o.shard} (${specs.map((s) => s.pair_id).join(', ')}): ${r.files} files read, ${r.accepted} accepted, ${r.refused} refused; ` +
        `${r.orders} orders, ${r.trades.length} trades, net ${net.toFixed(2)} USD, equity ${r.equityUsd.toFixed(2)} USD` +
        `${r.waiting > 0 ? `; ${r.waiting} orders waiting for their bar` : ''}\n` +
        `account.json ${o.paths.accountPath}\nfills ${o.paths.paperDir}/fills.csv\n`,
    );
    return 0;
  } finally {
    signals?.dispose();
  }
}
