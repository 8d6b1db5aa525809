// pt ops slo as a library job: the expected bars of each shard's pairs, the shard's signals history,
// the ingest run log and the DQ reports, measured against pipeline_policy.yaml slo_targets.
import type { PtConfig } from '../config/schemas/index.js';
import { timeframeMs, type Timeframe } from '../core/time.js';
import { ingestRunLogPath, readIngestRuns } from '../data/ingest/ingestRunLog.js';
import { PairSessionGate } from '../decision/sessionGate.js';
import type { ReadTable } from '../ports/tableWriter.js';
import { dailyRate } from './dailyRate.js';
import { expectedBarOpens } from './expectedBars.js';
import { readDeliveries } from './readDeliveries.js';
import { readDqChecks } from './readDqChecks.js';
import { measureSignalSlo, type Deliveries, type PairExpectation } from './signalSlo.js';
import { sloRows, type SloReport } from './sloReport.js';

export interface SloJobOptions {
  fromMs: number;
  toMs: number;
  /** Bars are owed once their close + budget is at or before this (the wall clock). */
  asOfMs: number;
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
  const pairs = config.universe.pairs.filter((p) => o.shard === undefined || p.shard === o.shard);
  const shards = [...new Set(pairs.map((p) => p.shard))].sort((a, b) => a - b);
  const expectations: PairExpectation[] = pairs.map((p) => ({
    pairId: p.pair_id,
    barOpens: expectedBarOpens(new PairSessionGate(config, p), o.fromMs, o.toMs, barMs),
  }));
  // Bars whose close is in the window open up to one bar before it.
  const deliveries: Deliveries = new Map();
  for (const shard of shards) {
    const read = await readDeliveries(o.historyDir, shard, deps.readTable, o.fromMs - barMs, o.toMs);
    for (const [k, v] of read.deliveries) deliveries.set(k, v);
  }
  const signal = measureSignalSlo(expectations, deliveries, {
    barMs,
    budgetMs: budgetSeconds * 1000,
    asOfMs: o.asOfMs,
  });
  const runLog = await readIngestRuns(o.dataDir);
  const runs = runLog.runs.filter((r) => r.timeframe === o.timeframe);
  const ingest = dailyRate(
    runs.map((r) => ({ atMs: Date.parse(r.finished_at), checked: r.asked, failed: r.failed })),
    o.fromMs,
    o.toMs,
    targets.ingest_success_rate,
  );
  const dqRead = readDqChecks(o.dqReportsDir, o.timeframe);
  const dq = dailyRate(dqRead.checks, o.fromMs, o.toMs, targets.dq_pass_rate);
  return {
    from: new Date(o.fromMs).toISOString(),
    to: new Date(o.toMs).toISOString(),
    as_of: new Date(o.asOfMs).toISOString(),
    timeframe: o.timeframe,
    shards,
    budget_seconds: budgetSeconds,
    rows: sloRows(signal, ingest, dq, targets, budgetSeconds),
    signal,
    ingest,
    dq,
    notes: [
      ...(runLog.unreadableLines.length > 0
        ? [
            `not an ingest run record, skipped: ${ingestRunLogPath(o.dataDir)} line${runLog.unreadableLines.length === 1 ? '' : 's'} ${runLog.unreadableLines.join(', ')}`,
          ]
        : []),
      ...dqRead.unreadable.map((name) => `not a DQ report, skipped: ${o.dqReportsDir}/${name}`),
    ],
  };
}
