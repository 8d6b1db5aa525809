import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPt, repoRoot } from '../helpers/runPt.js';

describe('pt quickstart', () => {
  it('runs the whole pipeline on the bundled sample and ends with KPIs, verdicts and the report path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-quickstart-'));
    const r = runPt(
      ['-c', join(repoRoot, 'config'), 'quickstart'],
      { HOME: dir, PT_MODEL_SIGNING_KEY: '', PT_MODEL_VERIFY_KEY: '', SERVICE_ENV: '' },
      dir,
    );
    expect(r.stderr).not.toMatch(/^ERROR/m);
    expect(r.code).toBe(0);
    for (let n = 1; n <= 7; n++) expect(r.stdout).toContain(`== ${n}/7 `);
    expect(r.stdout).toMatch(/pair XAUUSD_XAGUSD: \d+ aligned bars/);
    // pt dq lists the bars it filled and the outliers it flagged, with their times
    expect(r.stdout).toContain('bars the DQ rules touched');
    expect(r.stdout).toMatch(
      /^ {4}20\d\d-\d\d-\d\dT\d\d:00:00\.000Z {2}filled {4} {2}missing bar 1 of its run: filled forward at [\d.]+$/m,
    );
    expect(r.stdout).toMatch(/^ {4}20\d\d-\d\d-\d\dT\d\d:00:00\.000Z {2}outlier {3} {2}outlier kept: /m);
    // The sample's ~240 AI1 events are too few: the final AI1 calibrates to two scores, so pt train
    // refuses to write the version, and the quickstart skips the model backtest for the baseline.
    expect(r.stdout).toMatch(
      /^AI1 final fit on \d+ rows: \d+ trees?, \d+ splits?, [12] distinct scores? \(min_data_in_leaf 5, num_leaves \d+\): DEGENERATE \(/m,
    );
    expect(r.stdout).toMatch(/^AI2 final fit on \d+ rows: .*: ok$/m);
    expect(r.stdout).toMatch(/^CORE_MODEL_DEGEN: no model version written: the final AI1 learned nothing \(/m);
    expect(r.stdout).toMatch(/^== 6\/7 skipped: AI1 learned nothing \([a-z_, ]+\); the z-score baseline follows$/m);
    expect(existsSync(join(dir, 'data', 'quickstart', 'models'))).toBe(false);
    expect(r.stdout).toMatch(/Sharpe \(daily ×√252\)/);
    expect(r.stdout).toMatch(/acceptance: (PASS|FAIL)/);
    // gross beside net, the cost-sensitivity table and the break-even cost (issue: honest outputs)
    expect(r.stdout).toMatch(/^gross \(no costs, no swaps\): Sharpe /m);
    expect(r.stdout).toMatch(/^ {2}0 \(gross\) /m);
    expect(r.stdout).toMatch(/^ {2}2 {10}/m);
    expect(r.stdout).toMatch(/^break-even cost: -?[\d.]+ bps per round trip/m);
    expect(r.stdout).toMatch(/^lot sizing skipped \d+ of \d+ entries/m);
    const report = /without a model backtest: baseline report (\S+report\.html)/.exec(r.stdout)![1]!;
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('<h2>Gross and net</h2>');
    for (const f of ['bt_summary.parquet', 'bt_trades.parquet', 'bt_daily_equity.parquet'])
      expect(existsSync(join(dir, 'reports/quickstart-baseline', f)), f).toBe(true);
    // The baseline trades: the rules alone open positions on real data.
    const baseline = r.stdout.slice(r.stdout.indexOf('== 7/7'));
    expect(Number(/trades \/ year\s+([\d.]+)/.exec(baseline)![1])).toBeGreaterThan(1);

    // Acceptance of the kernel issue, as a user would check it: every entry of `pt bt run --rule-only`
    // on the bundled pairs is an AI1 event start of `pt label`, and AUDUSD_USDCAD (β < 0) holds
    // long-long or short-short legs.
    const data = ['--data-dir', join(dir, 'data', 'quickstart'), '--timeframe', '1h'];
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
  }, 300_000);
});
