// pt ops slo as a user runs it, on the hand-made weekend history of test/slo/sloFixture.ts laid out
// where pt live (--signal-dir signals), pt live --replay, pt ingest and pt dq leave their files: the
// table, --json, a replay's report, a damaged history file, and bad input.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runPt } from '../helpers/runPt.js';
import {
  writeFixtureDqReports,
  writeFixtureHistory,
  writeFixtureIngestRuns,
  writeReplayHistory,
} from '../slo/sloFixture.js';

const dir = mkdtempSync(join(tmpdir(), 'pt-slo-cli-'));
/** The same live history with one file damaged. */
const damaged = mkdtempSync(join(tmpdir(), 'pt-slo-cli-damaged-'));
beforeAll(async () => {
  await writeFixtureHistory(dir);
  await writeReplayHistory(dir);
  await writeFixtureIngestRuns(join(dir, 'data'));
  writeFixtureDqReports(join(dir, 'reports', 'dq'));
  const history = await writeFixtureHistory(damaged);
  writeFileSync(join(history, 'date=2024-02-02', 'shard_1-100.parquet'), 'not parquet');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(damaged, { recursive: true, force: true });
});

const env = { PT_CONFIG_DIR: join(repoRoot, 'config') };
const range = ['--timeframe', '1h', '--from', '2024-02-02T18:00:00Z', '--to', '2024-02-05T02:00Z'];
const window = ['--signal-dir', 'signals', '--shard', '1', ...range];

describe('pt ops slo', () => {
  it('prints the table, NO where an SLO is missed, and exits 0 (a report, not a check)', () => {
    const r = runPt(['ops', 'slo', ...window], env, dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SLOs of shard 1 \(1h\) from 2024-02-02T18:00:00\.000Z to 2024-02-05T02:00:00\.000Z/);
    expect(lines.slice(2, 6).map((l) => l.split(/\s{2,}/).slice(0, 4))).toEqual([
      ['signal_availability', '≥ 99.50%', '90.63%', 'NO'],
      ['signal_freshness', '≤ 120 s', 'p95 120 s', 'yes'],
      ['ingest_success_rate', '≥ 99.00% daily', 'worst day 95.00%', 'NO'],
      ['dq_pass_rate', '≥ 95.00% daily', 'worst day 75.00%', 'NO'],
    ]);
    expect(lines[2]).toContain(
      'missed: AUDUSD_NZDUSD 2024-02-02T19:00:00.000Z, EURUSD_GBPUSD 2024-02-02T20:00:00.000Z (+200 s)',
    );
    expect(lines[4]).toContain('below: 2024-02-03 95.00%');
  });

  it('--json: one object with the rows and every missed bar', () => {
    const r = runPt(['ops', 'slo', ...window, '--json'], env, dir);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const report = JSON.parse(r.stdout) as {
      shards: number[];
      rows: Array<{ slo: string; met: boolean }>;
      signal: { expected: number; inTime: number; missed: unknown[]; freshness: { p99: number } };
      ingest: { worstDay: number };
    };
    expect(report.shards).toEqual([1]);
    expect(report.rows.map((x) => [x.slo, x.met])).toEqual([
      ['signal_availability', false],
      ['signal_freshness', true],
      ['ingest_success_rate', false],
      ['dq_pass_rate', false],
    ]);
    expect(report.signal).toMatchObject({ expected: 32, inTime: 29, freshness: { p99: 200 } });
    expect(report.signal.missed).toHaveLength(3);
    expect(report.ingest.worstDay).toBe(0.95);
  });

  it('--replay: the replayed bars served at all, freshness n/a, unreplayed shards listed and not counted', () => {
    const r = runPt(['ops', 'slo', '--replay', ...range], env, dir);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^SLOs of the replay of shard 1 \(1h\) .*bars of the replayed range only \(shard 1 2024-02-02T19:00:00\.000Z to 2024-02-04T23:00:00\.000Z\)$/,
    );
    expect(lines.slice(2, 4).map((l) => l.split(/\s{2,}/).slice(0, 4))).toEqual([
      ['signal_availability', '≥ 99.50%', '90.00%', 'NO'],
      ['signal_freshness', '≤ 120 s', 'n/a (replay)', '-'],
    ]);
    expect(lines).toContain('shard 0: no replay history in the window, not counted');
    // No window: the replay's own days.
    const json = runPt(['ops', 'slo', '--replay', '--timeframe', '1h', '--json'], env, dir);
    expect([json.code, json.stderr]).toEqual([0, '']);
    const report = JSON.parse(json.stdout) as {
      from: string;
      shards: number[];
      signal: { expected: number; delivered: number };
      replay: { shards_without_history: number[] };
    };
    expect(report).toMatchObject({
      from: '2024-02-02T00:00:00.000Z',
      shards: [1],
      signal: { expected: 20, delivered: 18 },
      replay: { shards_without_history: [0] },
    });
  });

  it('a damaged history file: a WARNING line, the file listed, the report from the rest, exit 0', () => {
    const r = runPt(['ops', 'slo', ...window, '--data-dir', join(dir, 'data')], env, damaged);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'WARNING 1 signals history file could not be read and was skipped (listed in the report); its bars count as not served\n',
    );
    const lines = r.stdout.trimEnd().split('\n');
    // P1's Fri 17:00Z bar was in that file: 28 of 32 in time now.
    expect(lines[2]).toMatch(/^signal_availability\s+≥ 99\.50%\s+87\.50%\s+NO\s+28\/32 bars in time/);
    expect(lines).toContain(
      `unreadable signals history file, skipped: ${join(damaged, 'signals', 'history', 'date=2024-02-02', 'shard_1-100.parquet')}`,
    );
  });

  it('bad input is one line with its error id and a non-zero exit', () => {
    const shard = runPt(['ops', 'slo', '--shard', '99'], env, dir);
    expect(shard.code).toBe(2);
    expect(shard.stderr.trim().split('\n')).toHaveLength(1);
    expect(shard.stderr).toMatch(/CORE_CLI_USAGE.*--shard 99/);
    const missing = runPt(['ops', 'slo', '--signal-dir', join(dir, 'nowhere')], env, dir);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/CORE_FS_MISSING.*no signals history/);
  });
});
