// pt paper: flags → options, the DuckDB store and table reader wired into runPaperJob; prints what it did.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
  const fillsPath = join(o.paths.paperDir, 'fills.csv');
  if (o.mode === 'follow')
    process.stdout.write(
      `paper shard ${o.shard} following ${join(o.paths.signalDir, `shard_${o.shard}`, 'signal.json')} (clock ${o.clock}, every ${o.pollMs} ms) until SIGTERM or Ctrl-C\n` +
        `account.json ${o.paths.accountPath}\nfills ${fillsPath}\n`,
    );
  try {
    const r = await runPaperJob(config, specs, o, {
      openBarStore,
      readTable: readParquetTable,
      now: () => Date.now(),
      stopRequested: () => signals?.stopRequested !== undefined,
      sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
      log,
    });
    const net = r.trades.reduce((sum, t) => sum + t.pnl, 0);
    const since = o.mode === 'follow' ? ' since its state began' : '';
    process.stdout.write(
      `paper shard ${o.shard} (${specs.map((s) => s.pair_id).join(', ')}): ${r.files} files read, ${r.accepted} accepted, ${r.refused} refused, ${r.orders} orders given; ` +
        `account${since}: ${r.trades.length} trades, net ${net.toFixed(2)} USD, equity ${r.equityUsd.toFixed(2)} USD` +
        `${r.waiting > 0 ? `; ${r.waiting} orders waiting for their bar` : ''}\n` +
        `account.json ${o.paths.accountPath}\nfills ${existsSync(fillsPath) ? fillsPath : '(none)'}\n`,
    );
    return 0;
  } finally {
    signals?.dispose();
  }
}
