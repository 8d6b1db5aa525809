// A hand-made history for the SLO tests: shard 1 of the shipped universe (four FX pairs), 1h bars over
// the weekend of Fri 2024-02-02 → Mon 2024-02-05 (New York on EST: the weekly close is Fri 22:00 UTC →
// Sun 22:00 UTC), written through the real SignalHistory and Parquet writer, plus an ingest run log
// and DQ reports.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeParquetTable } from '../../src/adapters/duckdb/tableParquetWriter.js';
import { appendIngestRun, ingestRunLogPath } from '../../src/data/ingest/ingestRunLog.js';
import { SignalHistory } from '../../src/live/signal/signalHistory.js';
import type { SignalEntry, SignalFile } from '../../src/live/signal/signalTypes.js';

export const H = 3_600_000;
/** The window: bars closing in [Fri 18:00Z, Mon 02:00Z). */
export const FROM = Date.UTC(2024, 1, 2, 18);
export const TO = Date.UTC(2024, 1, 5, 2);
/** Well after every deadline. */
export const AS_OF = Date.UTC(2024, 1, 5, 12);
/**
 * The 8 bar opens owed per pair: Fri 17..21Z (the bar opening 22:00Z is NY 17:00, the weekly close),
 * Sun 22Z, 23Z and Mon 00Z (the bar closing 02:00Z is outside the window).
 */
export const OPENS = [
  ...[17, 18, 19, 20, 21].map((h) => Date.UTC(2024, 1, 2, h)),
  Date.UTC(2024, 1, 4, 22),
  Date.UTC(2024, 1, 4, 23),
  Date.UTC(2024, 1, 5, 0),
];
export const P1 = 'EURUSD_GBPUSD';
export const P2 = 'AUDUSD_NZDUSD';
export const OTHERS = ['SYNA_SYNB', 'EURUSD_EURCHF'];
/** P1's seconds from bar close to signal, per OPENS: one late (200 s), one exactly at the 120 s budget. */
export const P1_LAG_S = [5, 10, 30, 200, 60, 90, 120, 15];
/** P2 has no signal for Fri 19:00Z and Sun 23:00Z; P2 and the others answer every other bar in 20 s. */
export const P2_MISSING = [Date.UTC(2024, 1, 2, 19), Date.UTC(2024, 1, 4, 23)];

function entry(pairId: string, barOpen: number): SignalEntry {
  return {
    signal_id: `1-${pairId}-${barOpen}-hold`,
    pair_id: pairId,
    bar_ts: new Date(barOpen).toISOString(),
    action: 'hold',
    side: 'FLAT',
    target: { side: 'FLAT', legs: [] },
    z: 0.1,
    beta: 0.9,
    return_prob: null,
    risk_score: null,
    position_scale: 1,
    reason: 'no entry',
    expires_at: null,
  };
}

function file(shard: number, seq: number, generatedMs: number, signals: SignalEntry[]): SignalFile {
  return {
    schema_version: 'v1',
    shard,
    seq,
    generated_at: new Date(generatedMs).toISOString(),
    model_version: 'v-test',
    stale: false,
    ops: { global_halt: false, leverage_scale: 1 },
    signals,
  };
}

/** Writes `<root>/signals/history/…`; returns the history folder. */
export async function writeFixtureHistory(root: string): Promise<string> {
  const historyDir = join(root, 'signals', 'history');
  const history = new SignalHistory(historyDir, writeParquetTable);
  let seq = 100;
  for (let k = 0; k < OPENS.length; k++) {
    const open = OPENS[k]!;
    const close = open + H;
    await history.append(file(1, seq++, close + P1_LAG_S[k]! * 1000, [entry(P1, open)]));
    const rest = [...OTHERS, ...(P2_MISSING.includes(open) ? [] : [P2])].map((p) => entry(p, open));
    await history.append(file(1, seq++, close + 20_000, rest));
  }
  // A restart re-wrote P1's Fri 18:00Z bar an hour later (newer seq): its first time (10 s) counts.
  await history.append(file(1, seq++, OPENS[1]! + 2 * H, [entry(P1, OPENS[1]!)]));
  // A provider bar inside the weekly close (Sat 12:00Z) is owed nothing and counts nowhere.
  await history.append(file(1, seq++, Date.UTC(2024, 1, 3, 13, 0, 5), [entry(P1, Date.UTC(2024, 1, 3, 12))]));
  // Shard 4's file holds P2's missing bar: another shard's files are not read.
  await history.append(file(4, 1, OPENS[2]! + H + 5000, [entry(P2, OPENS[2]!)]));
  return historyDir;
}

/** When the replay of writeReplayHistory ran: its generated_at, years after the bars it replayed. */
export const REPLAY_RAN_AT = Date.UTC(2026, 0, 15, 9);
/** The bars the replay ran: Fri 19:00Z to Sun 23:00Z (OPENS[2..6]), inside the window and short of both ends. */
export const REPLAYED = OPENS.slice(2, 7);

/**
 * A replay's history (pt live --replay) of shard 1 only, under `<root>/data/replay/signals/history`:
 * the bars of REPLAYED, written seconds apart at REPLAY_RAN_AT (the wall clock of the run). P2 has no
 * signal for the two bars of P2_MISSING (both in the replayed range); every other pair answers each bar.
 */
export async function writeReplayHistory(root: string): Promise<string> {
  const historyDir = join(root, 'data', 'replay', 'signals', 'history');
  const history = new SignalHistory(historyDir, writeParquetTable);
  let seq = 1;
  for (const open of REPLAYED) {
    const pairs = [P1, ...OTHERS, ...(P2_MISSING.includes(open) ? [] : [P2])];
    await history.append(
      file(
        1,
        seq,
        REPLAY_RAN_AT + seq * 1000,
        pairs.map((p) => entry(p, open)),
      ),
    );
    seq++;
  }
  return historyDir;
}

/**
 * Ingest runs (1h unless said): Fri 20:00Z 5 asked 0 failed; Sat 10 asked 0 failed and 10 asked 1 failed
 * (the day: 19/20 = 95%); Sun 10 asked 0 failed (100%). Outside: Thu 10 asked 10 failed, and a 4h run.
 * Then three Saturday lines no run could write (lines 7-9: 50 of 10 failed, negative counts, half a
 * symbol): unreadable, they must not move Saturday's 95%.
 */
export async function writeFixtureIngestRuns(dataDir: string): Promise<void> {
  const run = (at: number, asked: number, failed: number, timeframe: '1h' | '4h' = '1h') =>
    appendIngestRun(dataDir, {
      finished_at: new Date(at).toISOString(),
      run_id: `r${at}`,
      source: 'twelvedata',
      timeframe,
      asked,
      failed,
      failures: Array.from({ length: failed }, (_, i) => ({ symbol: `S${i}`, error_id: 'DATA_API_TIMEOUT' })),
    });
  await run(Date.UTC(2024, 1, 1, 10), 10, 10);
  await run(Date.UTC(2024, 1, 2, 20), 5, 0);
  await run(Date.UTC(2024, 1, 3, 1), 10, 0);
  await run(Date.UTC(2024, 1, 3, 2), 10, 1);
  await run(Date.UTC(2024, 1, 3, 3), 10, 5, '4h');
  await run(Date.UTC(2024, 1, 4, 1), 10, 0);
  const bad = (asked: number, failed: number) =>
    JSON.stringify({
      finished_at: new Date(Date.UTC(2024, 1, 3, 4)).toISOString(),
      run_id: 'bad',
      source: 'twelvedata',
      timeframe: '1h',
      asked,
      failed,
      failures: [],
    });
  appendFileSync(ingestRunLogPath(dataDir), [bad(10, 50), bad(-10, -5), bad(10.5, 0)].join('\n') + '\n');
}

const month = (missingRate: number, outlierRate: number) => ({ missingRate, outlierRate });
function dqReport(generatedMs: number, timeframe: string, months: Array<ReturnType<typeof month>[]>): string {
  return JSON.stringify({
    dq_run_id: `dq${generatedMs}`,
    generated_at: new Date(generatedMs).toISOString(),
    timeframe,
    thresholds: { missing_rate: 0.05, outlier_rate: 0.08 },
    symbols: months.map((m, i) => ({ symbol: `S${i}`, months: m })),
    pairs: [],
  });
}

/**
 * DQ reports: Sat 2 symbols × 2 months, one over missing_rate (0.06 > 0.05), one exactly at it (passes:
 * the rule is strictly greater) → 3/4 = 75%; Sun 4/4 = 100%. A 4h report and a broken file are skipped.
 */
export function writeFixtureDqReports(reportsDir: string): void {
  mkdirSync(reportsDir, { recursive: true });
  const sat = Date.UTC(2024, 1, 3, 6);
  const sun = Date.UTC(2024, 1, 4, 6);
  writeFileSync(
    join(reportsDir, '1h_sat.json'),
    dqReport(sat, '1h', [
      [month(0.06, 0), month(0.05, 0.08)],
      [month(0, 0), month(0.01, 0.01)],
    ]),
  );
  writeFileSync(
    join(reportsDir, '1h_sun.json'),
    dqReport(sun, '1h', [
      [month(0, 0), month(0, 0)],
      [month(0, 0), month(0, 0)],
    ]),
  );
  writeFileSync(join(reportsDir, '4h_sat.json'), dqReport(sat, '4h', [[month(1, 1)]]));
  writeFileSync(join(reportsDir, '1h_broken.json'), '{ not json');
}
