// pt serve's default backtest: reports/bt when it holds a finished run, else the newest finished run under reports/.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newestBacktestRun } from '../../../src/adapters/files/newestBacktestRun.js';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

function run(name: string, ageSeconds: number): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'bt_summary.parquet');
  writeFileSync(file, '');
  const t = Date.now() / 1000 - ageSeconds;
  utimesSync(file, t, t);
  return dir;
}

describe('newestBacktestRun', () => {
  it('prefers reports/bt, else the newest finished run, else reports/bt as given', () => {
    root = mkdtempSync(join(tmpdir(), 'pt-btrun-'));
    const preferred = join(root, 'bt');
    expect(newestBacktestRun(preferred, root)).toBe(preferred);
    mkdirSync(join(root, 'unfinished'));
    run('quickstart-baseline', 300);
    const quickstart = run('quickstart', 100);
    expect(newestBacktestRun(preferred, root)).toBe(quickstart);
    run('bt', 1000);
    expect(newestBacktestRun(preferred, root)).toBe(preferred);
    expect(newestBacktestRun(preferred, join(root, 'missing'))).toBe(preferred);
  });
});
