// pt ops slo as a library job: the expected bars of each shard's pairs, the shard's signals history,
// the ingest run log and the DQ reports, measured against pipeline_policy.yaml slo_targets.
import type { PtConfig } from '../config/schemas/index.js';
import { PtError } from '../core/ptError.js';
import { DAY_MS, timeframeMs, type Timeframe } from '../core/time.js';
import { ingestRunLogPath, readIngestRuns } from '../data/ingest/ingestRunLog.js';
import { PairSessionGate } from '../decision/sessionGate.js';
import type { ReadTable } from '../ports/tableWriter.js';
import { dailyRate } from './dailyRate.js';
import { expectedBarOpens } from './expectedBars.js';
import { historyDays, readDeliveries } from './readDeliveries.js';
import { readDqChecks } from './readDqChecks.js';
import { measureSignalSlo, type Deliveries, type PairExpectation } from './signalSlo.js';
import { sloRows, type SloReport } from './sloReport.js';

export interface SloJobOptions {
  /**
   * The window: bars closing in [fromMs, toMs). Left out: for a replay, the days of its history (either
   * end); otherwise up to `asOfMs`, slo_targets.window_days long.
   */
  fromMs?: number;
  toMs?: number;
  /** Bars are owed once their close + budget is at or before this (the wall clock; not used for a replay). */
  asOfMs: number;
  /**
   * The history is a replay's (pt live --replay): its generated_at is the wall clock of the run, not the
   * replay clock, so freshness is not measured and availability is bars served at all; only shards with
   * history count, and of each only the bars between its first and last replayed bar in the window.
   */
  replay?: boolean;
  /** undefined: every shard of universe.yaml. */
  shard?: number;
  timeframe: Timeframe;
  /** The signals history folder (<signal dir>/history). */
  historyDir: string;
  /** The bar store's folder (its runs/ingest_runs.jsonl). */
  dataDir: string;
  /** pt dq's reports folder (reports/dq). */
  dqReportsDir: string;
}

export async function runSloJob(
  config: PtConfig,
  o: SloJobOptions,
  deps: { readTable: ReadTable },
): Promise<SloReport> {
  const barMs = timeframeMs(o.timeframe);
  const budgetSeconds = config.pipeline_policy.freshness_budget_seconds[o.timeframe];
  const targets = config.pipeline_policy.slo_targets;
  const replay = o.replay === true;
  const pairs = config.universe.pairs.filter((p) => o.shard === undefined || p.shard === o.shard);
  const universeShards = [...new Set(pairs.map((p) => p.shard))].sort((a, b) => a - b);
  const { fromMs, toMs } = sloWindow(o, universeShards, barMs, targets.window_days);
  // Bars whose close is in the window open up to one bar before it.
  const deliveries: Deliveries = new Map();
  const unreadableHistory: string[] = [];
  const ranges = new Map<number, { firstBarMs: number; lastBarMs: number }>();
  for (const shard of universeShards) {
    const read = await readDeliveries(o.historyDir, shard, deps.readTable, fromMs - barMs, toMs);
    for (const [k, v] of read.deliveries) deliveries.set(k, v);
    unreadableHistory.push(...read.unreadable);
    if (read.deliveries.size > 0) ranges.set(shard, { firstBarMs: read.firstBarMs, lastBarMs: read.lastBarMs });
  }
  // A replay owes only what it replayed: shards it ran, between their first and last bar.
  const shards = replay ? universeShards.filter((n) => ranges.has(n)) : universeShards;
  const unreplayed = universeShards.filter((n) => !shards.includes(n));
  const expectations: PairExpectation[] = pairs
    .filter((p) => shards.includes(p.shard))
    .map((p) => {
      const opens = expectedBarOpens(new PairSessionGate(config, p), fromMs, toMs, barMs);
      const range = ranges.get(p.shard);
      return {
        pairId: p.pair_id,
        barOpens: replay && range ? opens.filter((t) => t >= range.firstBarMs && t <= range.lastBarMs) : opens,
      };
    });
  const signal = measureSignalSlo(expectations, deliveries, {
    barMs,
    budgetMs: budgetSeconds * 1000,
    asOfMs: o.asOfMs,
    replay,
  });
  const runLog = await readIngestRuns(o.dataDir);
  const runs = runLog.runs.filter((r) => r.timeframe === o.timeframe);
  const ingest = dailyRate(
    runs.map((r) => ({ atMs: Date.parse(r.finished_at), checked: r.asked, failed: r.failed })),
    fromMs,
    toMs,
    targets.ingest_success_rate,
  );
  const dqRead = readDqChecks(o.dqReportsDir, o.timeframe);
  const dq = dailyRate(dqRead.checks, fromMs, toMs, targets.dq_pass_rate);
  return {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    as_of: new Date(o.asOfMs).toISOString(),
    timeframe: o.timeframe,
    shards,
    budget_seconds: budgetSeconds,
    rows: sloRows(signal, ingest, dq, targets, budgetSeconds, replay),
    ...(replay
      ? {
          replay: {
            ranges: shards.map((shard) => ({
              shard,
              first_bar: new Date(ranges.get(shard)!.firstBarMs).toISOString(),
              last_bar: new Date(ranges.get(shard)!.lastBarMs).toISOString(),
            })),
            shards_without_history: unreplayed,
          },
        }
      : {}),
    signal,
    ingest,
    dq,
    unreadable_history: unreadableHistory,
    notes: [
      ...unreplayed.map((n) => `shard ${n}: no replay history in the window, not counted`),
      // Their bars count as not served: the report says why, rather than failing as a whole.
      ...unreadableHistory.map((path) => `unreadable signals history file, skipped: ${path}`),
      ...(runLog.unreadableLines.length > 0
        ? [
            `not an ingest run record, skipped: ${ingestRunLogPath(o.dataDir)} line${runLog.unreadableLines.length === 1 ? '' : 's'} ${runLog.unreadableLines.join(', ')}`,
          ]
        : []),
      ...dqRead.unreadable.map((name) => `not a DQ report, skipped: ${o.dqReportsDir}/${name}`),
    ],
  };
}

/** The window: as given; a replay's missing ends from its history's days; else window_days up to asOf. */
function sloWindow(
  o: SloJobOptions,
  shards: readonly number[],
  barMs: number,
  windowDays: number,
): { fromMs: number; toMs: number } {
  if (o.replay && (o.fromMs === undefined || o.toMs === undefined)) {
    const days = historyDays(o.historyDir, shards);
    if (!days)
      throw new PtError(
        'CORE_FS_MISSING',
        `no replay history of shard${shards.length === 1 ? '' : 's'} ${shards.join(', ')} in ${o.historyDir}: run pt live --shard N --replay first, or give --from and --to`,
        { source: 'slo' },
      );
    // The last day's last bar closes when the day ends: its close must be inside [from, to).
    return { fromMs: o.fromMs ?? days.fromMs, toMs: o.toMs ?? days.toMs + barMs };
  }
  const toMs = o.toMs ?? o.asOfMs;
  return { fromMs: o.fromMs ?? toMs - windowDays * DAY_MS, toMs };
}
