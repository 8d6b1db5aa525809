// pt bt run against a small synthetic store: repeated or empty pair lists, impossible periods, a
// reused --out (issue 13, probe #84–#88), an empty period's BT_DATA_EMPTY hint (#82), a missing
// baseline run and a --data-dir that does not exist (#97).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runOutputDir } from '../../src/adapters/files/runOutputDir.js';
import { BT_OUTPUT_FILES } from '../../src/backtest/job/btOutputTables.js';
import { startAlertReceiver } from '../helpers/alertReceiver.js';
import { repoRoot, runPt, runPtAsync } from '../helpers/runPt.js';

let dir = '';
const pt = (args: string[]) => runPt(['-c', join(repoRoot, 'config'), ...args], { HOME: dir }, dir);
const bt = (...args: string[]) =>
  pt(['bt', 'run', '--timeframe', '1h', '--rule-only', '--data-dir', join(dir, 'data'), ...args]);

/** Every file in a folder with its bytes. */
function snapshot(folder: string): Map<string, string> {
  return new Map(readdirSync(folder).map((f) => [f, readFileSync(join(folder, f)).toString('base64')]));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-bt-inputs-'));
  const r = pt(
    ['ingest', '--source', 'synthetic', '--symbols', 'SYNA,SYNB', '--timeframe', '1h'].concat([
      '--from',
      '2024-01-01',
      '--to',
      '2024-07-01',
      '--data-dir',
      join(dir, 'data'),
    ]),
  );
  expect(r.code, r.stderr).toBe(0);
});

describe('pt bt run: pairs and period', () => {
  it('--pairs X,X is refused naming the pair (it traded the pair twice), and writes nothing', () => {
    const r = bt('--pairs', 'SYNA_SYNB,SYNA_SYNB', '--out', 'twice');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('ERROR CORE_CLI_USAGE: --pairs names SYNA_SYNB more than once: give each pair once');
    expect(existsSync(join(dir, 'twice'))).toBe(false);
  });

  it('--pairs "" is a usage error, not CORE_INTERNAL_BUG', () => {
    const r = bt('--pairs', '', '--out', 'nopairs');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^ERROR CORE_CLI_USAGE: --pairs "" names no pair/);
  });

  it('--period 2021-13:2022-01 is refused (it ran 2022-01)', () => {
    const r = bt('--pairs', 'SYNA_SYNB', '--period', '2021-13:2022-01', '--out', 'm13');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('ERROR CORE_CLI_USAGE: --period "2021-13:2022-01": 2021-13 is not a month (01–12)');
  });

  it('a period outside the stored history is BT_DATA_EMPTY naming the stored range, not "run pt ingest"', () => {
    const r = bt('--pairs', 'SYNA_SYNB', '--period', '2030-01:2030-06', '--out', 'future');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'ERROR BT_DATA_EMPTY: SYNA_SYNB 1h: no aligned bars in the period (2030-01-01 00:00 up to 2030-07-01 00:00 UTC): ' +
        'the stored aligned history is 2024-01-01 22:00 … 2024-06-30 23:00 UTC; choose a --period inside it',
    );
    expect(r.stderr).not.toContain('pt ingest');
    expect(existsSync(join(dir, 'future'))).toBe(false);
  });

  it('a pair with nothing stored is BT_DATA_EMPTY saying to run pt ingest for its legs', () => {
    const r = bt('--pairs', 'XAUUSD_XAGUSD', '--out', 'nodata');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `ERROR BT_DATA_EMPTY: XAUUSD_XAGUSD 1h: no aligned bars: no 1h bars of XAUUSD or XAGUSD in ${join(dir, 'data')}; run pt ingest for XAUUSD and XAGUSD`,
    );
  });
});

describe('pt bt run --out is the run’s own folder', () => {
  it('a reused --out is refused without --force and left intact; --force leaves no file of the earlier run', () => {
    const out = join(dir, 'bm');
    const first = bt('--pairs', 'SYNA_SYNB', '--stress', '--csv', '--out', out);
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(join(out, 'notes.txt'), 'mine\n');
    const before = snapshot(out);
    expect([...before.keys()].sort()).toEqual([...BT_OUTPUT_FILES, 'notes.txt'].sort());

    const again = bt('--pairs', 'SYNA_SYNB', '--out', out);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(
      `ERROR BT_OUT_EXISTS: --out ${out} is not empty (11 entries: bt_daily_equity.csv, bt_daily_equity.parquet, bt_run.json, …): ` +
        'give a new folder, or --force to replace the outputs pt writes there',
    );
    expect(snapshot(out)).toEqual(before);

    const firstRun = JSON.parse(readFileSync(join(out, 'bt_run.json'), 'utf8')) as { run_id: string };
    const forced = bt('--pairs', 'SYNA_SYNB', '--out', out, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    // Run 2 has no --stress and no --csv: none of run 1's stress or CSV files may remain.
    expect(readdirSync(out).sort()).toEqual([
      'bt_daily_equity.parquet',
      'bt_run.json',
      'bt_summary.parquet',
      'bt_trades.parquet',
      'notes.txt',
      'report.html',
    ]);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine\n');
    const secondRun = JSON.parse(readFileSync(join(out, 'bt_run.json'), 'utf8')) as { run_id: string };
    expect(secondRun.run_id).not.toBe(firstRun.run_id);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(secondRun.run_id);
  });

  it('an --out that is a file is refused with BT_OUT_EXISTS', () => {
    writeFileSync(join(dir, 'afile'), 'x');
    const r = bt('--pairs', 'SYNA_SYNB', '--out', join(dir, 'afile'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ERROR BT_OUT_EXISTS: --out .*afile exists and is not a folder/);
  });

  it('--force removes only pt’s own names and their leftover temp files', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pt-bt-force-'));
    const ours = ['bt_summary.csv', 'bt_stress_results.parquet', 'report.html', '.bt_trades.parquet.tmp-4242'];
    const theirs = ['bt_summary.xlsx', 'report.html.bak', '.other.tmp-1', 'keep.csv'];
    for (const f of [...ours, ...theirs]) writeFileSync(join(out, f), f);
    mkdirSync(join(out, 'sub'));
    await expect(runOutputDir.check(out, false)).rejects.toMatchObject({ id: 'BT_OUT_EXISTS' });
    await runOutputDir.check(out, true);
    expect(readdirSync(out)).toHaveLength(9);
    await runOutputDir.removeOwn(out, BT_OUTPUT_FILES);
    expect(readdirSync(out).sort()).toEqual([...theirs, 'sub'].sort());
    // absent and empty folders are fine and stay as they are
    await runOutputDir.check(join(out, 'absent'), false);
    await runOutputDir.removeOwn(join(out, 'absent'), BT_OUTPUT_FILES);
    expect(existsSync(join(out, 'absent'))).toBe(false);
    await runOutputDir.check(join(out, 'sub'), false);
    expect(statSync(join(out, 'sub')).isDirectory()).toBe(true);
  });

  it('a --force run that fails leaves the earlier outputs in place', () => {
    const out = join(dir, 'bm');
    const before = snapshot(out);
    const failed = bt('--pairs', 'SYNA_SYNB', '--period', '2030-01:2030-02', '--out', out, '--force');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^ERROR BT_DATA_EMPTY: /);
    expect(snapshot(out)).toEqual(before);
  });
});

describe('pt bt run: missing inputs', () => {
  it('a --baseline-run folder that is missing or incomplete is BT_RUN_MISSING', () => {
    const missing = bt('--pairs', 'SYNA_SYNB', '--out', 'b1', '--baseline-run', join(dir, 'no-such-run'));
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toMatch(/^ERROR BT_RUN_MISSING: --baseline-run .*no-such-run: no such folder/);
    mkdirSync(join(dir, 'half'));
    const empty = bt('--pairs', 'SYNA_SYNB', '--out', 'b2', '--baseline-run', join(dir, 'half'));
    expect(empty.stderr.trim()).toMatch(/^ERROR BT_RUN_MISSING: .*half: no bt_run\.json there/);
    writeFileSync(join(dir, 'half', 'bt_run.json'), '{"run_id": "x", "kpis": {');
    const cut = bt('--pairs', 'SYNA_SYNB', '--out', 'b3', '--baseline-run', join(dir, 'half'));
    expect(cut.stderr.trim()).toMatch(/^ERROR BT_RUN_MISSING: .*half: bt_run\.json is not readable JSON/);
    writeFileSync(join(dir, 'half', 'bt_run.json'), '{"run_id": "x", "kpis": {}}');
    const partial = bt('--pairs', 'SYNA_SYNB', '--out', 'b4', '--baseline-run', join(dir, 'half'));
    expect(partial.stderr.trim()).toMatch(
      /^ERROR BT_RUN_MISSING: .*half: bt_run\.json lacks initial_capital_usd, daily/,
    );
    for (const o of ['b1', 'b2', 'b3', 'b4']) expect(existsSync(join(dir, o))).toBe(false);
  });

  it('every store reader refuses a --data-dir that does not exist, and does not create it', () => {
    const typo = join(dir, 'no-such-store');
    const runs = {
      dq: pt(['dq', '--data-dir', typo]),
      features: pt(['features', '--pair', 'SYNA_SYNB', '--timeframe', '1h', '--data-dir', typo, '--out', 'f.csv']),
      label: pt(['label', '--pair', 'SYNA_SYNB', '--timeframe', '1h', '--data-dir', typo]),
      cv: pt(['cv', '--pairs', 'SYNA_SYNB', '--timeframe', '1h', '--data-dir', typo]),
      train: pt(['train', '--pairs', 'SYNA_SYNB', '--timeframe', '1h', '--data-dir', typo]),
      'bt run': bt('--pairs', 'SYNA_SYNB', '--data-dir', typo, '--out', 'b5'),
    };
    for (const [name, r] of Object.entries(runs)) {
      expect(r.code, name).toBe(1);
      expect(r.stderr.trim(), name).toBe(
        `ERROR CORE_FS_MISSING: --data-dir ${typo} does not exist (check the path, or run pt ingest to fill a new store)`,
      );
    }
    expect(existsSync(typo)).toBe(false);
  });
});

describe('pt bt run --alert', () => {
  it('a failed acceptance verdict sends BT_ACCEPT_FAIL to Slack and PagerDuty receivers; without --alert nothing is sent', async () => {
    const slack = await startAlertReceiver('ok');
    const pager = await startAlertReceiver('accepted');
    try {
      const env = {
        HOME: dir,
        SLACK_WEBHOOK_URL: slack.url('/hook'),
        PAGERDUTY_INTEGRATION_KEY: 'test-key',
        PAGERDUTY_EVENTS_URL: pager.url('/v2/enqueue'),
        REDIS_URL: '',
      };
      const run = (out: string, ...extra: string[]) =>
        runPtAsync(
          ['-c', join(repoRoot, 'config'), 'bt', 'run', '--timeframe', '1h', '--rule-only'].concat([
            '--data-dir',
            join(dir, 'data'),
            '--pairs',
            'SYNA_SYNB',
            '--out',
            out,
            ...extra,
          ]),
          { env, cwd: dir },
        );
      const quiet = await run('alert-off');
      expect(quiet.code, quiet.stderr).toBe(0);
      // The synthetic half year fails SPEC §7's acceptance (too few trades a year, among others).
      expect(quiet.stdout).toMatch(/^acceptance: FAIL$/m);
      expect(slack.received).toEqual([]);
      const loud = await run('alert-on', '--alert');
      expect(loud.code, loud.stderr).toBe(0);
      const [msg] = await slack.waitFor(1);
      expect(msg!.body).toEqual({
        channel: '#risk-alerts',
        text: expect.stringMatching(
          /^\[CRITICAL\] BT_ACCEPT_FAIL bt run: run \S+ \(rule-only, .*\) failed acceptance: /,
        ),
      });
      const [page] = await pager.waitFor(1);
      expect(page!.body).toMatchObject({ payload: { custom_details: { error_id: 'BT_ACCEPT_FAIL' } } });
      const record = JSON.parse(
        readFileSync(join(dir, 'data', 'ops', 'alerts.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .pop()!,
      );
      expect(record).toMatchObject({ error_id: 'BT_ACCEPT_FAIL', severity: 'CRITICAL', source: 'bt run' });
    } finally {
      await slack.close();
      await pager.close();
    }
  });
});
