// The SLO arithmetic on a hand-made signals history with known gaps and late bars over a weekend,
// an ingest run log and DQ reports: golden numbers computed by hand (sloFixture.ts says what is where).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  REPLAY_RAN_AT,
  REPLAYED,
  TO,
  writeFixtureDqReports,
  writeFixtureHistory,
  writeFixtureIngestRuns,
  writeReplayHistory,
} from './sloFixture.js';

const iso = (ms: number) => new Date(ms).toISOString();

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

  it('an unreadable history file is skipped and listed; the rest is measured, its bars count as not served', async () => {
    const damaged = mkdtempSync(join(tmpdir(), 'pt-slo-damaged-'));
    try {
      const dir = await writeFixtureHistory(damaged);
      // Seq 100 is the first file: P1's Fri 17:00Z bar (served in 5 s). Garbage where Parquet should be,
      // and a file cut short, in two day folders.
      const bad = join(dir, 'date=2024-02-02', 'shard_1-100.parquet');
      writeFileSync(bad, 'not parquet at all');
      const cut = join(dir, 'date=2024-02-05', 'shard_1-115.parquet');
      writeFileSync(cut, readFileSync(cut).subarray(0, 40));
      const r = await runSloJob(
        config,
        {
          fromMs: FROM,
          toMs: TO,
          asOfMs: AS_OF,
          shard: 1,
          timeframe: '1h',
          historyDir: dir,
          dataDir: join(root, 'data'),
          dqReportsDir: join(root, 'reports', 'dq'),
        },
        { readTable: readParquetTable },
      );
      // 115 is the Mon 00:00Z bar of the other three pairs: 32 owed, 30 − 1 (P1 Fri 17Z) − 3 = 26 served.
      expect(r.signal).toMatchObject({ expected: 32, delivered: 26, inTime: 25 });
      expect(r.unreadable_history).toEqual([bad, cut]);
      expect(r.notes.slice(0, 2)).toEqual([
        `unreadable signals history file, skipped: ${bad}`,
        `unreadable signals history file, skipped: ${cut}`,
      ]);
      expect(formatSloTable(r)).toContain(`unreadable signals history file, skipped: ${bad}`);
    } finally {
      rmSync(damaged, { recursive: true, force: true });
    }
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

describe('runSloJob of a replay', () => {
  const replayRoot = mkdtempSync(join(tmpdir(), 'pt-slo-replay-'));
  let replayHistory = '';
  beforeAll(async () => {
    replayHistory = await writeReplayHistory(replayRoot);
  });
  afterAll(() => rmSync(replayRoot, { recursive: true, force: true }));
  const replayJob = (o: { shard?: number; fromMs?: number; toMs?: number; historyDir?: string } = {}) =>
    runSloJob(
      config,
      {
        // The wall clock of the report, after the replay ran: no bar is "not yet owed" in a replay.
        asOfMs: REPLAY_RAN_AT + H,
        replay: true,
        timeframe: '1h',
        historyDir: o.historyDir ?? replayHistory,
        dataDir: join(root, 'data'),
        dqReportsDir: join(root, 'reports', 'dq'),
        ...o,
      },
      { readTable: readParquetTable },
    );

  it("counts the bars of the replayed range served at all; freshness is n/a (generated_at is the run's wall clock)", async () => {
    const r = await replayJob({ shard: 1, fromMs: FROM, toMs: TO });
    // 4 pairs × the 5 replayed bars (Fri 17-18Z and Mon 00Z are in the window but were not replayed);
    // P2 misses 2 → 18 served, however long after the bar the run wrote them.
    expect(r.signal).toMatchObject({ expected: 20, delivered: 18, inTime: 18 });
    expect(r.signal.availability).toBe(0.9);
    expect(r.signal.missed).toEqual([
      { pairId: 'AUDUSD_NZDUSD', barTs: '2024-02-02T19:00:00.000Z', lateSeconds: null },
      { pairId: 'AUDUSD_NZDUSD', barTs: '2024-02-04T23:00:00.000Z', lateSeconds: null },
    ]);
    expect(r.signal.freshness.n).toBe(0);
    expect(r.rows.slice(0, 2).map((x) => [x.slo, x.measured, x.met])).toEqual([
      ['signal_availability', '90.00%', false],
      ['signal_freshness', 'n/a (replay)', undefined],
    ]);
    expect(r.replay).toEqual({
      ranges: [{ shard: 1, first_bar: iso(REPLAYED[0]!), last_bar: iso(REPLAYED.at(-1)!) }],
      shards_without_history: [],
    });
    const lines = formatSloTable(r);
    expect(lines[0]).toBe(
      'SLOs of the replay of shard 1 (1h) from 2024-02-02T18:00:00.000Z to 2024-02-05T02:00:00.000Z, bars of the replayed range only (shard 1 2024-02-02T19:00:00.000Z to 2024-02-04T23:00:00.000Z)',
    );
    expect(lines[2]).toMatch(
      /^signal_availability\s+≥ 99\.50%\s+90\.00%\s+NO\s+18\/20 bars of the replayed range served; missed: /,
    );
    expect(lines[3]).toMatch(
      /^signal_freshness\s+≤ 120 s\s+n\/a \(replay\)\s+-\s+a replay's generated_at is the wall clock/,
    );
  });

  it("without --shard only replayed shards count (the others listed); without a window, the history's days", async () => {
    const r = await replayJob();
    expect(r.shards).toEqual([1]);
    expect(r.replay?.shards_without_history).toEqual([0]);
    expect(r.notes).toContain('shard 0: no replay history in the window, not counted');
    // Day folders 2024-02-02 … 2024-02-04; the last day's 23:00Z bar closes at 2024-02-05T00:00Z.
    expect([r.from, r.to]).toEqual(['2024-02-02T00:00:00.000Z', '2024-02-05T01:00:00.000Z']);
    expect(r.signal).toMatchObject({ expected: 20, delivered: 18 });
  });

  it('a replay history without any file of the shards is CORE_FS_MISSING, naming the shards', async () => {
    const empty = join(replayRoot, 'empty', 'history');
    mkdirSync(empty, { recursive: true });
    await expect(replayJob({ shard: 0, historyDir: empty })).rejects.toMatchObject({
      id: 'CORE_FS_MISSING',
      message: expect.stringMatching(
        /^no replay history of shard 0 in .*empty\/history: run pt live --shard N --replay first/,
      ),
    });
  });
});
