// What pt serve's app is given, wired as pt ops and pt bt run wire it: the ops bus (Redis or files), the
// backtest job with the DuckDB store and the table writers, pt ops's INFO alert, the reload request.
import { join } from 'node:path';
import { openBarStore } from '../adapters/duckdb/index.js';
import { FileOpsControl } from '../adapters/files/fileOpsControl.js';
import { readRunRecord } from '../adapters/files/readRunRecord.js';
import { runOutputDir } from '../adapters/files/runOutputDir.js';
import { RedisOpsControl } from '../adapters/redis/redisOpsControl.js';
import type { ApiDeps, BtRunRequest } from '../api/apiTypes.js';
import { runBacktestJob } from '../backtest/job/index.js';
import type { PtConfig } from '../config/schemas/index.js';
import { createLogger } from '../core/logger.js';
import { parseBtRunOptions } from './options/parseBtRunOptions.js';
import type { ServeOptions } from './options/parseServeOptions.js';
import { opsActionAlert, sendAlerts } from './opsAlerts.js';
import { VERSION } from './program.js';
import { requestShardReload } from './requestShardReload.js';
import { writeTable } from './writeTable.js';

export type ServeDepsOptions = Pick<
  ServeOptions,
  | 'bus'
  | 'redisUrl'
  | 'redisPrefix'
  | 'opsDir'
  | 'auditPath'
  | 'dataDir'
  | 'modelsDir'
  | 'dqReportsDir'
  | 'btDefaultRun'
  | 'btRunsDir'
>;

/** A request body as pt bt run's flags: the same parser, so the same defaults and checks. */
export function btRawOptions(req: BtRunRequest, o: ServeDepsOptions, outDir: string): Record<string, unknown> {
  return {
    ...(req.pair_ids ? { pairs: req.pair_ids.join(',') } : {}),
    ...(req.timeframe ? { timeframe: req.timeframe } : {}),
    ...(req.period ? { period: req.period } : {}),
    ruleOnly: req.rule_only === true,
    ...(req.model_version ? { modelDir: join(o.modelsDir, req.model_version) } : {}),
    ...(req.theta1 !== undefined ? { theta1: req.theta1 } : {}),
    ...(req.theta2 !== undefined ? { theta2: req.theta2 } : {}),
    ...(req.seed !== undefined ? { seed: String(req.seed) } : {}),
    stress: req.stress === true,
    dataDir: o.dataDir,
    out: outDir,
  };
}

export function serveDeps(config: PtConfig, o: ServeDepsOptions, jwtSecret: Uint8Array, quiet = false): ApiDeps {
  const log = quiet ? undefined : createLogger({ source: 'api' });
  return {
    config,
    jwtSecret,
    auditPath: o.auditPath,
    openOpsControl: async () =>
      o.bus === 'redis' ? RedisOpsControl.open(o.redisUrl!, o.redisPrefix) : new FileOpsControl(o.opsDir),
    modelsDir: o.modelsDir,
    dqReportsDir: o.dqReportsDir,
    btDefaultRun: o.btDefaultRun,
    btRunsDir: o.btRunsDir,
    backtest: async (req, outDir) => {
      const options = parseBtRunOptions(btRawOptions(req, o, outDir), config);
      const r = await runBacktestJob(config, options, {
        openBarStore,
        writeTable,
        outputDir: runOutputDir,
        readRunRecord,
      });
      return { runId: r.runId, modelVersion: r.modelVersion, period: r.period };
    },
    onOpsAction: async (e) => {
      // The server owns no terminal: a failed delivery is a log line, not a stderr warning.
      await sendAlerts(config, o.opsDir, [opsActionAlert(e)], 'api', quiet ? null : undefined);
    },
    requestReload: () =>
      requestShardReload(config, {
        dataDir: o.dataDir,
        opsDir: o.opsDir,
        ...(o.bus === 'redis' && o.redisUrl ? { redisUrl: o.redisUrl } : {}),
      }),
    version: VERSION,
    ...(log ? { log: (level, event, details) => log[level]({ event, details }) } : {}),
  };
}
