// pt live --shard N: flags → options, the model (--model-dir or the group's CURRENT pointer), the
// adapters (DuckDB store, SQLite cache, Redis/file bus, Parquet history), signals and metrics wired
// into runLiveJob; prints where signal.json and the history went.
import { join, resolve } from 'node:path';
import { createWatchLegFeed } from '../../adapters/csv/index.js';
import { createTwelveDataLegFeed } from '../../adapters/twelvedata/index.js';
import type { LegBarFeed } from '../../ports/legBarFeed.js';
import { loadConfig } from '../../config/loadConfig.js';
import type { PtConfig } from '../../config/schemas/index.js';
import { createLogger } from '../../core/logger.js';
import { PtError } from '../../core/ptError.js';
import { runLiveJob } from '../../live/job/runLiveJob.js';
import { onLiveSignals } from '../../live/onLiveSignals.js';
import { shardPairs } from '../../live/shardPairs.js';
import { readCurrentModel } from '../../ml/registry/index.js';
import { liveMetrics } from '../../observability/liveMetrics.js';
import { signalSloMetrics } from '../signalSloMetrics.js';
import { startMetricsServer, type MetricsServer } from '../../observability/metricsServer.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { parseLiveOptions, type LiveOptions } from '../options/parseLiveOptions.js';
import { requireDataDir } from '../requireDataDir.js';
import { liveJobDeps } from '../liveJobDeps.js';
import { livePaths } from '../../live/job/livePaths.js';
import { ALERT_FLUSH_MS, openAlerts } from '../openAlerts.js';

/** The group whose CURRENT pointer names the shard's model: --group, the one group of the shard's pairs, else `custom` (a model pt train --pairs made). */
export function shardGroup(config: PtConfig, o: Pick<LiveOptions, 'group' | 'shard'>): string {
  if (o.group) return o.group;
  const groups = new Set(shardPairs(config, o.shard).map((p) => p.group));
  return groups.size === 1 ? [...groups][0]! : 'custom';
}

export async function runLiveCommand(raw: RawOptions): Promise<number> {
  let config = loadConfig(configDirOption(raw));
  const o = parseLiveOptions(raw, config);
  requireDataDir(o.dataDir);
  const log = createLogger({ source: 'live', timeframe: o.timeframe, symbol: `shard_${o.shard}` });
  const modelDirOf = async (cfg: PtConfig) =>
    o.modelDir ?? (await readCurrentModel(resolve('models'), shardGroup(cfg, o))).dir;
  let modelDir = await modelDirOf(config);
  const signals = onLiveSignals();
  // The live source: a watched folder of bar files, or TwelveData (REST history + the price stream).
  const openFeed = (cfg: PtConfig): LegBarFeed =>
    o.source === 'watch'
      ? createWatchLegFeed({
          dir: o.watchDir!,
          timeframe: o.timeframe,
          ...(o.tz !== undefined ? { tz: o.tz } : {}),
          log,
        })
      : createTwelveDataLegFeed(cfg, { timeframe: o.timeframe, log });
  let server: MetricsServer | undefined;
  // Alerts: recorded in the shard's ops folder (a replay's own), sent in the background.
  const alerts = await openAlerts(config, {
    opsDir: livePaths(config, o).opsDir,
    log,
    longLived: true,
  });
  const port = o.metricsPort ?? (o.source === 'provider' ? config.signals_policy.metrics_port + o.shard : 0);
  try {
    if (port > 0)
      server = await startMetricsServer(port).catch((e: NodeJS.ErrnoException) => {
        throw new PtError(
          'CORE_CLI_USAGE',
          `--metrics-port ${port}: ${e.code === 'EADDRINUSE' ? 'in use' : e.message}`,
          {
            exitCode: 2,
          },
        );
      });
    // A reload that changes the model or config ends the job after its bar; it runs again with them.
    let result;
    for (;;) {
      result = await runLiveJob(
        config,
        { ...o, modelDir },
        {
          ...liveJobDeps(config, o.source, log, () => liveMetrics.redisErrorsTotal.inc()),
          metrics: {
            inferMs: (ms) => liveMetrics.inferLatencyMs.observe(ms),
            barToSignalMs: (ms) => liveMetrics.barToSignalMs.observe(ms),
            signalEmitted: (action) => liveMetrics.signalsEmittedTotal.inc({ action }),
            // The lag of a live source's bars (bar close → processed), under the shard's name.
            pipelineLagSeconds: (sec) =>
              liveMetrics.pipelineLagSeconds.set({ symbol: `shard_${o.shard}`, timeframe: o.timeframe }, sec),
            ...signalSloMetrics(config, o.shard, o.timeframe),
          },
          alerts,
          stopRequested: () => signals.stopRequested !== undefined,
          reloadRequested: () => signals.takeReload(),
          ...(o.source === 'replay' ? {} : { openFeed: () => openFeed(config) }),
          reload: async () => {
            const next = loadConfig(configDirOption(raw));
            return { config: next, modelDir: await modelDirOf(next) };
          },
        },
      );
      if (result.restart === undefined) break;
      log.info({ event: 'restart', details: { changes: result.restart } });
      config = loadConfig(configDirOption(raw));
      modelDir = await modelDirOf(config);
    }
    for (const n of result.notes) process.stdout.write(`note: ${n}\n`);
    process.stdout.write(
      `live shard ${o.shard} (${result.pairIds.join(', ')}), model ${result.modelVersion}, θ from ${result.thetaSource}: ${result.emitted} bar times emitted of ${result.barTimes} replayed${result.stopped ? ' (stopped by a signal)' : ''}; last seq ${result.lastSeq ?? '-'}\n` +
        `signal.json ${result.paths.signalPath}\nhistory ${join(result.paths.historyDir)}\n`,
    );
    return 0;
  } finally {
    await alerts.flush(ALERT_FLUSH_MS);
    await alerts.close();
    await server?.close();
    signals.dispose();
  }
}
