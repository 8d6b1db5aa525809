// pt ops slo as a user runs it, on the hand-made weekend history of test/slo/sloFixture.ts laid out
// where pt live --replay, pt ingest and pt dq leave their files: the table, --json, and bad input.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runPt } from '../helpers/runPt.js';
import { writeFixtureDqReports, writeFixtureHistory, writeFixtureIngestRuns } from '../slo/sloFixture.js';

const dir = mkdtempSync(join(tmpdir(), 'pt-slo-cli-'));
beforeAll(async () => {
  await writeFixtureHistory(join(dir, 'data', 'replay'));
  await writeFixtureIngestRuns(join(dir, 'data'));
  writeFixtureDqReports(join(dir, 'reports', 'dq'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = { PT_CONFIG_DIR: join(repoRoot, 'config') };
const window = [
  '--replay',
  '--shard',
  '1',
  '--timeframe',
  '1h',
  '--from',
  '2024-02-02T18:00:00Z',
  '--to',
  '2024-02-05T02:00Z',
];

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
