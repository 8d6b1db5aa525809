import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPt, repoRoot } from '../helpers/runPt.js';

let dir = '';
const pt = (args: string[]) => runPt(['-c', join(repoRoot, 'config'), ...args], { HOME: dir }, dir);

describe('pt bt run', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pt-cli-bt-'));
    expect(pt(['ingest', '--source', 'synthetic', '--symbols', 'SYNA,SYNB', '--timeframe', '1h', '--from', '2022-01-01', '--to', '2024-01-01']).code).toBe(0);
  });

  it('--rule-only writes the four outputs, CSV copies and a report, and prints KPIs and verdicts', () => {
    const r = pt(['bt', 'run', '--pairs', 'SYNA_SYNB', '--timeframe', '1h', '--rule-only', '--out', 'bt', '--csv', '--stress']);
    expect(r.stderr).not.toMatch(/^ERROR/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^backtest rule-only 1h /);
    expect(r.stdout).toMatch(/acceptance: (PASS|FAIL)/);
    for (const f of ['bt_summary', 'bt_trades', 'bt_daily_equity', 'bt_stress_results']) {
      expect(existsSync(join(dir, 'bt', `${f}.parquet`)), f).toBe(true);
      expect(existsSync(join(dir, 'bt', `${f}.csv`)), f).toBe(true);
    }
    expect(existsSync(join(dir, 'bt', 'report.html'))).toBe(true);
  });

  it('gives clear errors and writes nothing: bad period, a period with no data, no model', () => {
    expect(pt(['bt', 'run', '--pairs', 'SYNA_SYNB', '--rule-only', '--period', '2022-13']).stderr).toMatch(/^ERROR CORE_CLI_USAGE: --period "2022-13" must look like 2022-01:2024-06/);
    const empty = pt(['bt', 'run', '--pairs', 'SYNA_SYNB', '--rule-only', '--period', '2015-01:2015-06', '--out', 'none']);
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toMatch(/^ERROR CORE_FEATURES_WARMUP: SYNA_SYNB 1h: no aligned bars in the period/);
    expect(existsSync(join(dir, 'none'))).toBe(false);
    expect(pt(['bt', 'run', '--pairs', 'SYNA_SYNB']).stderr).toMatch(/^ERROR CORE_MODEL_NOTFOUND: no model version under models\//);
  });
});
