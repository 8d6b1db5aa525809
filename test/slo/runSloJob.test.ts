// The SLO arithmetic on a hand-made signals history with known gaps and late bars over a weekend,
// an ingest run log and DQ reports: golden numbers computed by hand (sloFixture.ts says what is where).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParquetTable } from '../../src/adapters/duckdb/tableParquetReader.js';
import { PairSessionGate } from '../../src/decision/sessionGate.js';
import { expectedBarOpens, latestDueBarClose } from '../../src/slo/expectedBars.js';
import { runSloJob } from '../../src/slo/runSloJob.js';
import { formatSloTable } from '../../src/slo/sloReport.js';
import { config, pairOf } from '../decision/config.js';
import {
  AS_OF,
  FROM,
  H,
  OPENS,
  P1,
  TO,
  writeFixtureDqReports,
  writeFixtureHistory,
  writeFixtureIngestRuns,
} from './sloFixture.js';

const root = mkdtempSync(join(tmpdir(), 'pt-slo-'));
let historyDir = '';
beforeAll(async () => {
  historyDir = await writeFixtureHistory(root);
  await writeFixtureIngestRuns(join(root, 'data'));
  writeFixtureDqReports(join(root, 'reports', 'dq'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const job = (asOfMs = AS_OF, shard = 1) =>
  runSloJob(
    config,
    {
      fromMs: FROM,
      toMs: TO,
      asOfMs,
      shard,
      timeframe: '1h',
      historyDir,
      dataDir: join(root, 'data'),
      dqReportsDir: join(root, 'reports', 'dq'),
    },
    { readTable: readParquetTable },
  );

/** The default job, read once (each read opens every Parquet file of the window). */
let full: ReturnType<typeof job> | undefined;
const fullJob = () => (full ??= job());

describe('expected bars', () => {
  it('owes the bars opening in trading time whose close is in the window: none in the weekly close', () => {
    expect(expectedBarOpens(new PairSessionGate(config, pairOf(P1)), FROM, TO, H)).toEqual(OPENS);
  });

  it('the newest bar due at an instant skips the weekly close and waits out the budget', () => {
    const gates = [new PairSessionGate(config, pairOf(P1))];
    const due = (t: number) => new Date(latestDueBarClose(gates, t, H, 120_000)).toISOString();
    // Sunday noon: the last bar owed is Friday's 21:00Z bar (close 22:00Z).
    expect(due(Date.UTC(2024, 1, 4, 12))).toBe('2024-02-02T22:00:00.000Z');
    // Mon 00:01Z: the 23:00Z bar closed at 00:00Z has 2 min of budget left, so Sunday's 22:00Z bar is the newest due.
    expect(due(Date.UTC(2024, 1, 5, 0, 1))).toBe('2024-02-04T23:00:00.000Z');
    expect(due(Date.UTC(2024, 1, 5, 0, 2))).toBe('2024-02-05T00:00:00.000Z');
    expect(latestDueBarClose(gates, Date.UTC(2024, 1, 4, 12), H, 120_000, 86_400_000)).toBeNaN();
  });
});

describe('runSloJob', () => {
  it('availability counts bars served within the budget; freshness is measured on every served bar', async () => {
    const r = await fullJob();
    expect(r.shards).toEqual([1]);
    // 4 pairs × 8 owed bars = 32; P2 misses 2 → 30 served; P1's 200 s bar is late → 29 in time.
    expect(r.signal).toMatchObject({ expected: 32, delivered: 30, inTime: 29 });
    expect(r.signal.availability).toBeCloseTo(29 / 32, 12);
    expect(r.signal.availabilityAnyTime).toBeCloseTo(30 / 32, 12);
    // Lags sorted: 5, 10, 15, 20 ×22 (ranks 4-25), 30, 60, 90, 120, 200. Nearest rank: p50 = rank 15 = 20,
    // p95 = rank ⌈28.5⌉ = 29 = 120 (exactly the budget: in time), p99 = rank 30 = 200.
    expect(r.signal.freshness).toEqual({ n: 30, p50: 20, p95: 120, p99: 200, max: 200, withinBudget: 29 / 30 });
    expect(r.signal.missed).toEqual([
      { pairId: 'AUDUSD_NZDUSD', barTs: '2024-02-02T19:00:00.000Z', lateSeconds: null },
      { pairId: 'EURUSD_GBPUSD', barTs: '2024-02-02T20:00:00.000Z', lateSeconds: 200 },
      { pairId: 'AUDUSD_NZDUSD', barTs: '2024-02-04T23:00:00.000Z', lateSeconds: null },
    ]);
    expect(r.rows.map((x) => [x.slo, x.measured, x.met])).toEqual([
      ['signal_availability', '90.63%', false],
      ['signal_freshness', 'p95 120 s', true],
      ['ingest_success_rate', 'worst day 95.00%', false],
      ['dq_pass_rate', 'worst day 75.00%', false],
    ]);
  });

  it('a bar whose close + budget is after the as-of time is not owed yet', async () => {
    // At Mon 00:30Z the Mon 00:00Z bar (close 01:00Z) is not due: 4 × 7 = 28 owed, 26 served, 25 in time.
    const r = await job(Date.UTC(2024, 1, 5, 0, 30));
    expect(r.signal).toMatchObject({ expected: 28, delivered: 26, inTime: 25 });
  });

  it('ingest success and DQ pass rates are per UTC day of the window, the worst day measured', async () => {
    const r = await fullJob();
    // Fri 5/5, Sat 19/20 (the 4h run is another timeframe, the three impossible lines are skipped), Sun
    // 10/10; Thursday is outside the window.
    expect(r.ingest.days.map((d) => [d.day, d.checked, d.failed])).toEqual([
      ['2024-02-02', 5, 0],
      ['2024-02-03', 20, 1],
      ['2024-02-04', 10, 0],
    ]);
    expect(r.ingest.worstDay).toBeCloseTo(0.95, 12);
    expect(r.ingest.overall).toBeCloseTo(34 / 35, 12);
    expect(r.ingest.belowTarget.map((d) => d.day)).toEqual(['2024-02-03']);
    // Sat 3/4 (0.06 > 0.05 fails; 0.05 and 0.08 exactly pass), Sun 4/4.
    expect(r.dq.days.map((d) => [d.day, d.checked, d.failed])).toEqual([
      ['2024-02-03', 4, 1],
      ['2024-02-04', 4, 0],
    ]);
    expect(r.dq.worstDay).toBe(0.75);
    expect(r.dq.overall).toBe(7 / 8);
    expect(r.notes).toEqual([
      `not an ingest run record, skipped: ${join(root, 'data', 'runs', 'ingest_runs.jsonl')} lines 7, 8, 9`,
      `not a DQ report, skipped: ${join(root, 'reports', 'dq')}/1h_broken.json`,
    ]);
  });

  it('prints one line per SLO with the missed bars as evidence', async () => {
    const lines = formatSloTable(await fullJob());
    expect(lines[0]).toBe(
      'SLOs of shard 1 (1h) from 2024-02-02T18:00:00.000Z to 2024-02-05T02:00:00.000Z, bars judged at 2024-02-05T12:00:00.000Z',
    );
    expect(lines[1]).toMatch(/^SLO\s+target\s+measured\s+met\s+evidence$/);
    expect(lines[2]).toMatch(
      /^signal_availability\s+≥ 99\.50%\s+90\.63%\s+NO\s+29\/32 bars in time, 30 at all \(93\.75%\); missed: AUDUSD_NZDUSD 2024-02-02T19:00:00\.000Z, EURUSD_GBPUSD 2024-02-02T20:00:00\.000Z \(\+200 s\), AUDUSD_NZDUSD 2024-02-04T23:00:00\.000Z$/,
    );
    expect(lines[3]).toMatch(
      /^signal_freshness\s+≤ 120 s\s+p95 120 s\s+yes\s+30 bars: p50 20 s, p95 120 s, p99 200 s, max 200 s; 96\.67% within budget$/,
    );
  });

  it('a shard with no history folder is CORE_FS_MISSING', async () => {
    await expect(
      runSloJob(
        config,
        {
          fromMs: FROM,
          toMs: TO,
          asOfMs: AS_OF,
          shard: 1,
          timeframe: '1h',
          historyDir: join(root, 'nope'),
          dataDir: root,
          dqReportsDir: root,
        },
        { readTable: readParquetTable },
      ),
    ).rejects.toMatchObject({ id: 'CORE_FS_MISSING' });
  });
});
