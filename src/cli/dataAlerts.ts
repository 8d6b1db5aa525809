// pt ingest's and pt dq's alerts: a source failing for over 10 minutes (DATA_API_DOWN, across runs),
// an open circuit breaker, a symbol refused by a guard (its own id: price scale or range, revise
// limit, …), a month newly quarantined by DQ, a symbol whose outlier rate is over 10%.
import { join, resolve } from 'node:path';
import { markSource, SOURCE_DOWN_FILE, SOURCE_DOWN_MS } from '../alerts/sourceDownState.js';
import type { PtConfig } from '../config/schemas/index.js';
import { ERROR_CATALOG, type ErrorId } from '../core/errorCatalog.js';
import type { DqReport } from '../data/dq/runDq.js';
import type { IngestSummary } from '../data/ingest/runIngest.js';
import type { AlertInput } from '../ports/alerts.js';
import { sendAlerts } from './opsAlerts.js';

/** Seed: outlier rate > 10% warns. */
export const OUTLIER_ALERT_RATE = 0.1;

const isId = (id: string): id is ErrorId => id in ERROR_CATALOG;

/** A symbol refused by these (the DQ of new bars at the door) is an alert under that id; an unreadable input file is not. */
const GUARD_IDS: ReadonlySet<ErrorId> = new Set<ErrorId>([
  'DATA_PRICE_SCALE',
  'DATA_PRICE_RANGE',
  'DATA_REVISE_LIMIT',
  'DATA_SCHEMA_BAR',
  'DATA_STORAGE_CORRUPT',
  'DATA_STORAGE_IOFAIL',
]);

export async function ingestAlerts(
  config: PtConfig,
  summary: IngestSummary,
  nowMs = Date.now(),
): Promise<AlertInput[]> {
  const opsDir = resolve(config.signals_policy.ops_dir);
  const source = `ingest ${summary.source}`;
  const out: AlertInput[] = [];
  const asked = summary.symbols.filter((s) => !s.upToDate);
  const apiFailed = summary.symbols.filter((s) => s.error?.id.startsWith('DATA_API_'));
  // Down: every symbol asked of the source failed at the source (none answered).
  const down = asked.length > 0 && apiFailed.length === asked.length;
  // The streak's file is a convenience: unreadable or unwritable, the run's other alerts still go.
  const since = await markSource(
    join(opsDir, SOURCE_DOWN_FILE),
    `${summary.source}|${summary.timeframe}`,
    down,
    nowMs,
  ).catch(() => undefined);
  if (since !== undefined && nowMs - since > SOURCE_DOWN_MS)
    out.push({
      errorId: 'DATA_API_DOWN',
      source,
      message: `${summary.source} ${summary.timeframe} has failed since ${new Date(since).toISOString()} (${Math.round((nowMs - since) / 60_000)} min): ${apiFailed[0]!.error!.id} ${apiFailed[0]!.error!.message}`,
      details: {
        source: summary.source,
        timeframe: summary.timeframe,
        down_since: new Date(since).toISOString(),
        symbols: apiFailed.map((s) => s.symbol),
      },
      dedupeKey: `${summary.source}|${summary.timeframe}`,
    });
  const circuit = summary.symbols.filter((s) => s.error?.id === 'DATA_API_CIRCUIT');
  if (circuit.length > 0)
    out.push({
      errorId: 'DATA_API_CIRCUIT',
      source,
      message: `circuit open for ${summary.source} ${summary.timeframe} (${circuit.map((s) => s.symbol).join(', ')})`,
      details: { source: summary.source, timeframe: summary.timeframe, symbols: circuit.map((s) => s.symbol) },
      dedupeKey: `${summary.source}|${summary.timeframe}`,
    });
  for (const s of summary.symbols) {
    const id = s.error?.id;
    if (id === undefined || !isId(id) || !GUARD_IDS.has(id)) continue;
    out.push({
      errorId: id,
      source,
      message: `${s.symbol} ${summary.timeframe}: ${s.error!.message}`,
      details: { symbol: s.symbol, timeframe: summary.timeframe },
      dedupeKey: s.symbol,
    });
  }
  return out;
}

export function dqAlerts(report: DqReport): AlertInput[] {
  const out: AlertInput[] = [];
  const added = new Set(report.quarantine.added);
  for (const e of report.quarantine.entries)
    if (added.has(`${e.symbol} ${e.month}`))
      out.push({
        errorId: 'DATA_DQ_THRESHOLD',
        source: 'dq',
        message: `${e.symbol} ${e.timeframe} ${e.month} quarantined: ${e.reason}`,
        details: { symbol: e.symbol, timeframe: e.timeframe, month: e.month, reason: e.reason },
        dedupeKey: `${e.symbol}|${e.month}`,
      });
  for (const s of report.symbols)
    if (s.outlier_rate > OUTLIER_ALERT_RATE)
      out.push({
        errorId: 'DATA_DQ_OUTLIER',
        source: 'dq',
        message: `${s.symbol} ${report.timeframe}: outlier rate ${(s.outlier_rate * 100).toFixed(1)}% over ${s.bars} bars (> ${OUTLIER_ALERT_RATE * 100}%)`,
        details: { symbol: s.symbol, timeframe: report.timeframe, outlier_rate: s.outlier_rate, bars: s.bars },
        dedupeKey: s.symbol,
      });
  return out;
}

/** Raises and delivers (bounded); never fails the command for an alert's sake. */
export async function sendDataAlerts(config: PtConfig, alerts: readonly AlertInput[], source: string): Promise<void> {
  await sendAlerts(config, resolve(config.signals_policy.ops_dir), alerts, source);
}
