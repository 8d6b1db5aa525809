// pt dq: DQ report (JSON file + tables on screen) and quarantine for the given symbols.
import { dirname, join, resolve } from 'node:path';
import { loadConfig } from '../../config/loadConfig.js';
import { ensureDirDurable, writeFileAtomic } from '../../core/durableFs.js';
import { openBarStore } from '../../adapters/duckdb/index.js';
import { dqEventsCsv, runDq, formatDqTables } from '../../data/dq/runDq.js';
import { maybeDate, maybeRange, maybeSymbols, maybeTimeframeOption } from '../cliOptions.js';
import { createLogger } from '../../core/logger.js';

export async function runDqCommand(options: Record<string, unknown>): Promise<number> {
  const config = loadConfig(options.configDir as string | undefined);
  const timeframe = maybeTimeframeOption(options.timeframe, config);
  const dataDir = resolve(String(options.dataDir ?? 'data'));
  const fromMs = maybeDate(options.from, '--from');
  const toMs = maybeDate(options.to, '--to');
  maybeRange(fromMs, toMs);
  const store = await openBarStore(dataDir);
  try {
    const symbols = options.symbols === undefined ? await store.listSymbols(timeframe) : maybeSymbols(options.symbols);
    const report = await runDq(config, store, dataDir, symbols, timeframe, { fromMs, toMs });
    const reportPath = resolve(
      String(options.report ?? join('reports', 'dq', `${timeframe}_${report.generated_at.replace(/[:.]/g, '-')}.json`)),
    );
    await ensureDirDurable(dirname(reportPath));
    await writeFileAtomic(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    const eventsPath = reportPath.replace(/(\.json)?$/, '_events.csv');
    await writeFileAtomic(eventsPath, dqEventsCsv(report));
    for (const line of formatDqTables(report)) process.stdout.write(`${line}\n`);
    const q = report.quarantine;
    process.stdout.write(
      `dq ${timeframe}: ${report.symbols.length} symbols, ${q.entries.length} months quarantined (${q.added.length} new, ${q.released.length} released); report ${reportPath}; every touched bar in ${eventsPath}\n`,
    );
    createLogger({ source: 'dq', run_id: report.dq_run_id, timeframe }, process.stderr, 'warn').info({
      event: 'dq_done',
      details: { symbols, quarantined: q.entries.length, report: reportPath },
    });
    return 0;
  } finally {
    await store.close();
  }
}
