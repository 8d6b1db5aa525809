// pt parity: pt live --replay (the shard's kernel, signal.json history) + pt paper (the EA's rules, fills
// with the backtest's costs) against pt bt run over the same bars, model and θ. Prints the comparison
// and the largest P&L difference; exits 1 when a trade differs.
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openBarStore, readParquetTable } from '../../adapters/duckdb/index.js';
import { readRunRecord } from '../../adapters/files/readRunRecord.js';
import { runOutputDir } from '../../adapters/files/runOutputDir.js';
import { runBacktestJob } from '../../backtest/job/index.js';
import { loadConfig } from '../../config/loadConfig.js';
import { createLogger } from '../../core/logger.js';
import { PtError } from '../../core/ptError.js';
import { timeframeMs } from '../../core/time.js';
import { runLiveJob } from '../../live/job/runLiveJob.js';
import { shardPairs } from '../../live/shardPairs.js';
import { readCurrentModel } from '../../ml/registry/index.js';
import { compareTrades, PNL_TOLERANCE_USD } from '../../paper/compareTrades.js';
import { runPaperJob } from '../../paper/runPaperJob.js';
import { loadPaperPrices } from '../../paper/paperPrices.js';
import { configDirOption, maybeSeed, type RawOptions } from '../options/cliOptions.js';
import { parseParityOptions } from '../options/parseParityOptions.js';
import { liveJobDeps } from '../liveJobDeps.js';
import { requireDataDir } from '../requireDataDir.js';
import { writeTable } from '../writeTable.js';
import { shardGroup } from './live.js';

const iso = (ms: number): string => new Date(ms).toISOString();

export async function runParityCommand(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const o = parseParityOptions(raw, config);
  requireDataDir(o.dataDir);
  const specs = shardPairs(config, o.shard);
  const barMs = timeframeMs(o.timeframe);
  const log = createLogger({ source: 'parity', timeframe: o.timeframe, symbol: `shard_${o.shard}` });
  const modelDir =
    o.modelDir ?? (await readCurrentModel(resolve('models'), shardGroup(config, { shard: o.shard }))).dir;

  // Default period: the last 12 months of the shard's stored bars.
  let { fromMs, toMs } = o;
  if (toMs === undefined || fromMs === undefined) {
    const { prices } = await loadPaperPrices(config, openBarStore, o.dataDir, specs, o.timeframe, toMs);
    let last = Number.NEGATIVE_INFINITY;
    for (const p of prices.values()) last = Math.max(last, p.ts[p.ts.length - 1] ?? Number.NEGATIVE_INFINITY);
    toMs ??= last + barMs;
    if (fromMs === undefined) {
      const d = new Date(toMs);
      d.setUTCFullYear(d.getUTCFullYear() - 1);
      fromMs = d.getTime();
    }
  }
  const theta = {
    ...(o.theta1 !== undefined ? { theta1: o.theta1 } : {}),
    ...(o.theta2 !== undefined ? { theta2: o.theta2 } : {}),
  };
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(
    `parity shard ${o.shard} (${specs.map((s) => s.pair_id).join(', ')}) ${iso(fromMs)}..${iso(toMs)}, model ${modelDir}`,
  );

  if (o.live) {
    // A fresh replay: a cache left by an earlier pt parity would resume it (another θ, another period).
    await rm(o.signalDir, { recursive: true, force: true });
    const live = await runLiveJob(
      config,
      {
        shard: o.shard,
        source: 'replay',
        timeframe: o.timeframe,
        fromMs,
        toMs,
        speed: 'max',
        modelDir,
        signalDir: o.signalDir,
        dataDir: o.dataDir,
        ...theta,
      },
      { ...liveJobDeps(config, 'replay', log) },
    );
    say(
      `pt live --replay: ${live.emitted} bar times emitted, last seq ${live.lastSeq ?? '-'}, history ${live.paths.historyDir}`,
    );
  }
  const paper = await runPaperJob(
    config,
    specs,
    {
      shard: o.shard,
      timeframe: o.timeframe,
      dataDir: o.dataDir,
      paths: { signalDir: o.signalDir, accountPath: join(o.outDir, 'account.json'), paperDir: join(o.outDir, 'paper') },
      mode: 'history',
      fromMs,
      toMs,
      clock: 'bar',
      closeAtEnd: true,
      pollMs: 1000,
    },
    {
      openBarStore,
      readTable: readParquetTable,
      now: () => Date.now(),
      stopRequested: () => false,
      sleep: async () => {},
    },
  );
  say(
    `pt paper: ${paper.files} files, ${paper.accepted} accepted, ${paper.refused} refused, ${paper.orders} orders, ${paper.trades.length} trades`,
  );
  const bt = await runBacktestJob(
    config,
    {
      pairIds: specs.map((s) => s.pair_id),
      timeframe: o.timeframe,
      toMs,
      ruleOnly: false,
      modelDir,
      ...theta,
      seed: maybeSeed(undefined, config),
      stress: false,
      csv: true,
      dq: true,
      dataDir: o.dataDir,
      outDir: join(o.outDir, 'bt'),
      force: true,
    },
    { openBarStore, writeTable, outputDir: runOutputDir, readRunRecord },
  );
  const dd = bt.pairIds.filter((_, k) => {
    const s = bt.ddShares[k]!;
    return s.dd_warn_share + s.dd_halt_share + s.dd_flatten_share > 0;
  });
  say(`pt bt run: ${bt.trades.length} trades (${bt.period}), θ from ${bt.decision.thetaSource}`);
  if (dd.length > 0)
    say(
      `note: the backtest spent bars above the normal DD level (${dd.join(', ')}); the replay reads no account.json, so it has no DD level: trades may differ there`,
    );

  const others = paper.modelVersions.filter((v) => v !== bt.modelVersion);
  if (others.length > 0)
    say(
      `note: the signals were made by model ${others.join(', ')}, the backtest ran ${bt.modelVersion}: compare the same model (--model-dir)`,
    );
  const latency = config.backtest_policy.latency_bars;
  const c = compareTrades(paper.trades, bt.trades, fromMs + barMs * (1 + latency));
  say(
    `trades: ${c.matched} identical (pair, side, entry and exit fill, lots per leg), ${c.onlyPaper.length} only in paper, ${c.onlyBt.length} only in the backtest, ${c.excluded} backtest trades entered before the period (not compared)`,
  );
  for (const k of c.onlyPaper.slice(0, 10)) say(`  only paper:    ${k}`);
  for (const k of c.onlyBt.slice(0, 10)) say(`  only backtest: ${k}`);
  if (c.largest)
    say(
      `largest net P&L difference: ${usd(c.largest.diff)} USD (${c.largest.pair_id} ${c.largest.side} ${iso(c.largest.ts_entry)}: paper ${c.largest.paperPnl.toFixed(6)}, backtest ${c.largest.btPnl.toFixed(6)}); tolerance ${PNL_TOLERANCE_USD} USD per trade`,
    );
  say(`files: ${o.outDir}`);
  if (c.verdict === 'differ')
    throw new PtError(
      'OPS_PARITY_BROKEN',
      `pt live + pt paper and pt bt run differ: ${c.onlyPaper.length + c.onlyBt.length} trades, ${c.pnlMismatches} P&L beyond ${PNL_TOLERANCE_USD} USD`,
      { source: 'parity', exitCode: 1 },
    );
  if (c.verdict === 'empty')
    throw new PtError(
      'OPS_PARITY_EMPTY',
      `no trade to compare in ${iso(fromMs)}..${iso(toMs)}: nothing was proven; choose a period with trades or the optimiser's θ (--theta1/--theta2)`,
      { source: 'parity', exitCode: 1 },
    );
  say(`parity: identical (${c.matched} trades)`);
  return 0;
}

/** A P&L difference as people read it: 0.00 when there is none, cents when it is that large, else its magnitude. */
function usd(x: number): string {
  return x === 0 ? '0.00' : Math.abs(x) >= 0.01 ? x.toFixed(2) : x.toExponential(2);
}
