import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUICKSTART_GROUP, SAMPLE_PAIR_IDS } from '../../src/cli/commands/quickstart.js';
import { runPt, repoRoot } from '../helpers/runPt.js';
import { btTrades, historyTrades, readSignalHistory } from '../helpers/signalHistory.js';
import { validateSignalFile } from '../../src/live/signal/index.js';

describe('pt quickstart', () => {
  it('runs the whole pipeline on the bundled sample and ends with KPIs, verdicts and the report path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-quickstart-'));
    const r = runPt(
      ['-c', join(repoRoot, 'config'), 'quickstart'],
      { HOME: dir, PT_MODEL_SIGNING_KEY: '', PT_MODEL_VERIFY_KEY: '', SERVICE_ENV: '' },
      dir,
    );
    expect(r.stderr).not.toMatch(/^ERROR/m);
    expect(r.code).toBe(0);
    for (let n = 1; n <= 8; n++) expect(r.stdout).toContain(`== ${n}/8 `);
    expect(r.stdout).toMatch(/pair XAUUSD_XAGUSD: \d+ aligned bars/);
    // pt dq lists the bars it filled and the outliers it flagged, with their times
    expect(r.stdout).toContain('bars the DQ rules touched');
    expect(r.stdout).toMatch(
      /^ {4}20\d\d-\d\d-\d\dT\d\d:00:00\.000Z {2}filled {4} {2}missing bar 1 of its run: filled forward at [\d.]+$/m,
    );
    expect(r.stdout).toMatch(/^ {4}20\d\d-\d\d-\d\dT\d\d:00:00\.000Z {2}outlier {3} {2}outlier kept: /m);
    // The six bundled pairs give AI1 their pooled events; the count printed is the sum of the pairs'.
    const ai1 = /^AI1 events: (\d+) \((\d+) positive\), pooled from 6 pairs: (.*)$/m.exec(r.stdout)!;
    expect(ai1, 'AI1 events line').not.toBeNull();
    const perPair = [...ai1[3]!.matchAll(/([A-Z]+_[A-Z]+) (\d+) \((\d+) positive\)/g)];
    expect(perPair.map((m) => m[1])).toEqual([...SAMPLE_PAIR_IDS]);
    expect(perPair.reduce((n, m) => n + Number(m[2]), 0)).toBe(Number(ai1[1]));
    expect(perPair.reduce((n, m) => n + Number(m[3]), 0)).toBe(Number(ai1[2]));
    // On them the final AI1 is not degenerate, so pt train writes a signed version and step 6
    // backtests it with θ from its params.yaml (config's initial θ until pt optimize applies one).
    expect(r.stdout).toMatch(/^AI1 final fit on \d+ rows: \d+ trees?, \d+ splits?, \d+ distinct scores \(.*\): ok$/m);
    expect(r.stdout).toMatch(/^AI2 final fit on \d+ rows: .*: ok$/m);
    const version = /^model (\S+) written to \S+ \(signed\)/m.exec(r.stdout)![1]!;
    expect(existsSync(join(dir, 'models', version, 'SIGNATURE'))).toBe(true);
    // The group's CURRENT pointer names that version, for pt live to find without flags.
    const pointer = join(dir, 'models', QUICKSTART_GROUP, 'CURRENT');
    expect(r.stdout).toContain(`model ${version} is CURRENT of group ${QUICKSTART_GROUP} (${pointer})\n`);
    expect(readFileSync(pointer, 'utf8')).toBe(`${version}\n`);
    // Step 6 searches θ on the OOS predictions and applies it with hysteresis, or says plainly that
    // no θ meets the hard constraints; the DSR/PBO lines and the held-out result follow.
    const optimize = r.stdout.slice(r.stdout.indexOf('== 6/8'), r.stdout.indexOf('== 7/8'));
    expect(optimize).toContain(
      `optimize θ1/θ2 on the walk-forward OOS predictions, apply with hysteresis (model ${version})`,
    );
    const feasible = !/^no feasible θ \(nearest θ1=[\d.]+, θ2=[\d.]+; binding: .+\)$/m.test(optimize);
    if (feasible) {
      expect(optimize).toMatch(/^(applied|held) θ1=/m);
      expect(optimize).toMatch(/Deflated Sharpe/);
    } else expect(optimize).toMatch(/^nothing applied/m);
    expect(optimize).toMatch(/^held out /m);
    expect(optimize).toMatch(/^PBO /m);
    expect(existsSync(join(dir, 'reports', 'quickstart-optimize', 'report.html'))).toBe(true);
    expect(r.stdout).toContain(`== 7/8 backtest with stress scenarios (model ${version}, θ in force after step 6)`);
    const modelRun = r.stdout.slice(r.stdout.indexOf('== 7/8'), r.stdout.indexOf('== 8/8'));
    expect(modelRun).toMatch(
      new RegExp(`^θ1 [\\d.]+ θ2 [\\d.]+ from (model ${version} params\\.yaml|applied .* of model ${version})$`, 'm'),
    );
    expect(modelRun).toMatch(/^ {2}trades \/ year +[\d.]+$/m);
    expect(modelRun).toMatch(/^stress:$/m);
    expect(existsSync(join(dir, 'reports', 'quickstart', 'report.html'))).toBe(true);
    const report = / \(baseline (\S+report\.html)\)$/m.exec(r.stdout)![1]!;
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('<h2>Gross and net</h2>');
    for (const f of ['bt_summary.parquet', 'bt_trades.parquet', 'bt_daily_equity.parquet'])
      expect(existsSync(join(dir, 'reports/quickstart-baseline', f)), f).toBe(true);
    // The baseline trades: the rules alone open positions on real data.
    const baseline = r.stdout.slice(r.stdout.indexOf('== 8/8'));
    expect(Number(/trades \/ year\s+([\d.]+)/.exec(baseline)![1])).toBeGreaterThan(1);

    // Acceptance of the kernel issue, as a user would check it: every entry of `pt bt run --rule-only`
    // on the bundled pairs is an AI1 event start of `pt label`, and AUDUSD_USDCAD (β < 0) holds
    // long-long or short-short legs.
    const data = ['--data-dir', join(dir, 'data'), '--timeframe', '1h'];
    const bt = runPt(
      [
        '-c',
        join(repoRoot, 'config'),
        'bt',
        'run',
        '--rule-only',
        '--pairs',
        'XAUUSD_XAGUSD,AUDUSD_USDCAD',
        '--out',
        'bt-rule',
        '--csv',
        ...data,
      ],
      { HOME: dir },
      dir,
    );
    expect(bt.code).toBe(0);
    expect(bt.stdout).toMatch(/^θ not applied \(rule-only\)$/m);
    expect(bt.stdout).toMatch(
      /^bars in DD levels: XAUUSD_XAGUSD warn [\d.]+% halt [\d.]+% flatten [\d.]+%; AUDUSD_USDCAD /m,
    );
    const rows = (file: string) => {
      const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
      const names = head!.split(',');
      return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i]!, v])));
    };
    const trades = rows(join(dir, 'bt-rule', 'bt_trades.csv'));
    let sameSide = 0;
    for (const pair of ['XAUUSD_XAGUSD', 'AUDUSD_USDCAD']) {
      expect(
        runPt(
          ['-c', join(repoRoot, 'config'), 'label', '--pair', pair, '--out-events', `ev-${pair}.csv`, ...data],
          { HOME: dir },
          dir,
        ).code,
      ).toBe(0);
      const starts = new Set(rows(join(dir, `ev-${pair}.csv`)).map((e) => Date.parse(e.ts_t0!)));
      const mine = trades.filter((t) => t.pair_id === pair);
      expect(mine.length).toBeGreaterThan(5);
      // latency_bars 0: the entry fills at the close of the event-start bar, one hour after its open
      const notStarts = mine.filter((t) => !starts.has(Date.parse(t.timestamp_entry!) - 3_600_000));
      expect(notStarts.map((t) => t.timestamp_entry)).toEqual([]);
      if (pair === 'AUDUSD_USDCAD')
        sameSide = mine.filter((t) => Math.sign(Number(t.qty_A)) === Math.sign(Number(t.qty_B))).length;
    }
    expect(sameSide).toBeGreaterThan(5);

    // Acceptance of the live issue, as a user would check it: after the quickstart, shard 0 replays
    // its pairs with no data or model flag and writes a schema-valid signal.json and a history.
    const signals = join(dir, 'signals');
    // Shard 0's replay as a user types it: no data or model flag, Redis unset.
    const replayShard0 = (args: string[]) =>
      runPt(
        ['-c', join(repoRoot, 'config'), 'live', '--shard', '0', '--replay', ...args],
        { HOME: dir, REDIS_URL: '' },
        dir,
      );
    const live = replayShard0(['--from', '2022-02-01', '--speed', 'max', '--signal-dir', signals]);
    expect(live.code, live.stderr).toBe(0);
    const file = JSON.parse(readFileSync(join(signals, 'shard_0', 'signal.json'), 'utf8')) as unknown;
    validateSignalFile(file);
    expect(file.model_version).toBe(version);
    expect(file.signals.map((x) => x.pair_id).sort()).toEqual([...SAMPLE_PAIR_IDS].sort());
    expect((await readSignalHistory(signals)).length).toBeGreaterThan(500);

    // Parity inside pt on a real-data year: pt live --replay's opens and closes are pt bt run's entries
    // and exits, same model, same θ (a what-if θ low enough to trade), same bars.
    const theta = ['--theta1', '0.07', '--theta2', '0.9'];
    const from = Date.parse('2021-03-01');
    const to = Date.parse('2022-03-01');
    const yearSignals = join(dir, 'signals-year');
    const replay = replayShard0(['--from', '2021-03-01', '--to', '2022-03-01', ...theta, '--signal-dir', yearSignals]);
    expect(replay.code, replay.stderr).toBe(0);
    const year = runPt(
      [
        '-c',
        join(repoRoot, 'config'),
        'bt',
        'run',
        '--pairs',
        SAMPLE_PAIR_IDS.join(','),
        '--model-dir',
        join(dir, 'models', version),
        ...theta,
        '--out',
        'bt-year',
        '--csv',
        ...data,
      ],
      { HOME: dir },
      dir,
    );
    expect(year.code, year.stderr).toBe(0);
    // The replay has no account.json, hence no DD level: the comparison needs the backtest's to stay normal too.
    expect(year.stdout).toMatch(/^bars in DD levels: (\S+ warn 0\.00% halt 0\.00% flatten 0\.00%(; )?){6}$/m);
    const expected = btTrades(join(dir, 'bt-year', 'bt_trades.csv'), from, to);
    expect(expected.length).toBeGreaterThan(10);
    expect(historyTrades(await readSignalHistory(yearSignals))).toEqual(expected);
  }, 900_000);
});
