// pt dq as a library job: the DQ report of the asked (or every stored) symbol with quarantine,
// written as JSON plus a CSV of every bar the rules touched.
import { dirname, join, resolve } from 'node:path';
import type { PtConfig } from '../../config/schemas/index.js';
import { ensureDirDurable, writeFileAtomic } from '../../core/durableFs.js';
import { createLogger, logPtError, type Logger } from '../../core/logger.js';
import { PtError } from '../../core/ptError.js';
import type { Timeframe } from '../../core/time.js';
import type { OpenBarStore } from '../../ports/barStore.js';
import { dqEventsCsv, formatDqTables, runDq, type DqReport } from '../dq/runDq.js';

export interface DqJobOptions {
  /** Every symbol stored for the timeframe when undefined. */
  symbols?: string[];
  timeframe: Timeframe;
  fromMs?: number;
  toMs?: number;
  /** Absolute path of the bar store's folder. */
  dataDir: string;
  /** Where the JSON report goes; reports/dq/<timeframe>_<time>.json when undefined. */
  reportPath?: string;
  /** Fail with DATA_STORAGE_LOCKED instead of waiting when another process rewrites the quarantine file. */
  noWait?: boolean;
}

export interface DqJobResult {
  report: DqReport;
  symbols: string[];
  timeframe: Timeframe;
  reportPath: string;
  eventsPath: string;
}

export async function runDqJob(
  config: PtConfig,
  o: DqJobOptions,
  deps: { openBarStore: OpenBarStore; logger?: Logger; onLockWait?: (message: string) => void },
): Promise<DqJobResult> {
  const store = await deps.openBarStore(o.dataDir);
  try {
    const symbols = o.symbols ?? (await store.listSymbols(o.timeframe));
    const report = await runDq(
      config,
      store,
      o.dataDir,
      symbols,
      o.timeframe,
      { fromMs: o.fromMs, toMs: o.toMs },
      { noWait: o.noWait, onWait: deps.onLockWait },
    );
    const log =
      deps.logger ??
      createLogger({ source: DQ_SOURCE, run_id: report.dq_run_id, timeframe: o.timeframe }, process.stderr, 'warn');
    logQuarantined(log, report);
    const reportPath =
      o.reportPath ??
      resolve(join('reports', 'dq', `${o.timeframe}_${report.generated_at.replace(/[:.]/g, '-')}.json`));
    await ensureDirDurable(dirname(reportPath));
    await writeFileAtomic(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    const eventsPath = reportPath.replace(/(\.json)?$/, '_events.csv');
    await writeFileAtomic(eventsPath, dqEventsCsv(report));
    return { report, symbols, timeframe: o.timeframe, reportPath, eventsPath };
  } finally {
    await store.close();
  }
}

const DQ_SOURCE = 'dq';

/**
 * One DATA_DQ_THRESHOLD warning per month in quarantine after this run (a warning, not a failure:
 * the month is excluded downstream and the command goes on).
 */
function logQuarantined(log: Logger, report: DqReport): void {
  const added = new Set(report.quarantine.added);
  for (const e of report.quarantine.entries) {
    const warning = new PtError('DATA_DQ_THRESHOLD', `${e.symbol} ${e.timeframe} ${e.month} quarantined: ${e.reason}`, {
      source: DQ_SOURCE,
      details: {
        symbol: e.symbol,
        month: e.month,
        reason: e.reason,
        missing_rate: e.missing_rate,
        outlier_rate: e.outlier_rate,
        thresholds: e.thresholds,
        new: added.has(`${e.symbol} ${e.month}`),
      },
    });
    logPtError(log.child({ symbol: e.symbol }), 'warn', 'dq_quarantine', warning);
  }
}

/** The tables per symbol and pair, then the one-line summary with the report's paths. */
export function formatDqRun(r: DqJobResult): string[] {
  const q = r.report.quarantine;
  return [
    ...formatDqTables(r.report),
    `dq ${r.timeframe}: ${r.report.symbols.length} symbols, ${q.entries.length} months quarantined (${q.added.length} new, ${q.released.length} released); report ${r.reportPath}; every touched bar in ${r.eventsPath}`,
  ];
}
