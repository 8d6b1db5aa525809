import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPt, repoRoot } from '../helpers/runPt.js';

describe('pt quickstart', () => {
  it('runs the whole pipeline on the bundled sample and ends with KPIs, verdicts and the report path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-quickstart-'));
    const r = runPt(['-c', join(repoRoot, 'config'), 'quickstart'], { HOME: dir, PT_MODEL_SIGNING_KEY: '', PT_MODEL_VERIFY_KEY: '', SERVICE_ENV: '' }, dir);
    expect(r.stderr).not.toMatch(/^ERROR/m);
    expect(r.code).toBe(0);
    for (let n = 1; n <= 7; n++) expect(r.stdout).toContain(`== ${n}/7 `);
    expect(r.stdout).toMatch(/pair XAUUSD_XAGUSD: \d+ aligned bars/);
    expect(r.stdout).toMatch(/Sharpe \(daily ×√252\)/);
    expect(r.stdout).toMatch(/acceptance: (PASS|FAIL)/);
    expect(r.stdout).toMatch(/gap_-2pct/);
    const report = /report (\S+report\.html)/.exec(r.stdout)![1]!;
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<svg');
    for (const f of ['bt_summary.parquet', 'bt_trades.parquet', 'bt_daily_equity.parquet', 'bt_stress_results.parquet']) expect(existsSync(join(dir, 'reports/quickstart', f)), f).toBe(true);
    // The baseline trades: the rules alone open positions on real data.
    const baseline = r.stdout.slice(r.stdout.indexOf('== 7/7'));
    expect(Number(/trades \/ year\s+([\d.]+)/.exec(baseline)![1])).toBeGreaterThan(1);
  }, 300_000);
});
