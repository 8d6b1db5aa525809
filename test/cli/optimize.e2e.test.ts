// pt optimize on the e2e tier's shared synthetic model: the grids and TPE run through the engine on
// the walk-forward OOS predictions; trials, report and summary come out; a chosen θ is feasible; a
// version without OOS predictions is refused.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { repoRoot, runPt } from '../helpers/runPt.js';

const configDir = join(repoRoot, 'config');
let dir = '';
const pt = (args: string[]) =>
  runPt(
    ['-c', configDir, ...args],
    { HOME: dir, PT_MODEL_SIGNING_KEY: '', PT_MODEL_VERIFY_KEY: '', SERVICE_ENV: '' },
    dir,
  );

/** The shared model version, its group and timeframe, as every run here names them. */
const versionArgs = (version: string) => [
  '--model-dir',
  join(dir, 'models', version),
  '--group',
  'synthetic',
  '--timeframe',
  '1h',
];

describe('pt optimize on the shared synthetic model', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pt-cli-optimize-'));
    cpSync(inject('fixtures').root, dir, { recursive: true });
  });

  it('writes every trial, the report and a summary; the chosen θ meets the hard constraints', () => {
    const { modelVersion } = inject('fixtures');
    const out = join(dir, 'opt');
    const r = pt(['optimize', ...versionArgs(modelVersion), '--trials', '8', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(modelVersion);
    const [head, ...rows] = readFileSync(join(out, 'trials.csv'), 'utf8').trim().split('\n');
    const cols = head!.split(',');
    expect(cols).toEqual(expect.arrayContaining(['stage', 'theta1', 'theta2', 'score', 'feasible', 'chosen']));
    const at = (row: string, name: string) => row.split(',')[cols.indexOf(name)]!;
    // 13 × 13 seed grid, up to 13 × 13 quantile cells (equal quantiles merge), then at most 8 TPE trials.
    expect(rows.filter((x) => at(x, 'stage') === 'seed_grid')).toHaveLength(169);
    const tpe = rows.filter((x) => at(x, 'stage') === 'tpe').length;
    expect(tpe).toBeGreaterThan(0);
    expect(tpe).toBeLessThanOrEqual(8);
    expect(existsSync(join(out, 'trials.parquet'))).toBe(true);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
    const chosen = rows.filter((x) => at(x, 'chosen') === '1');
    if (chosen.length === 1) {
      // Never a θ that breaks a hard constraint (SPEC §6: MaxDD ≤ 0.12, trades/yr ≥ 150).
      expect(at(chosen[0]!, 'feasible')).toBe('1');
      expect(Number(at(chosen[0]!, 'max_dd'))).toBeLessThanOrEqual(0.12);
      expect(Number(at(chosen[0]!, 'trades_per_year'))).toBeGreaterThanOrEqual(150);
      expect(r.stdout).toMatch(/Deflated Sharpe/);
      expect(r.stdout).toMatch(/dry run: --apply would/);
    } else {
      expect(chosen).toHaveLength(0);
      expect(rows.every((x) => at(x, 'feasible') === '0')).toBe(true);
      expect(r.stdout).toMatch(/^no feasible θ \(nearest θ1=[\d.]+, θ2=[\d.]+; binding: .+\)$/m);
    }
    expect(r.stdout).toMatch(/PBO/);
  });

  it.each([
    ['an empty θ range', 'theta_search_range:\n  value: { theta1: [0.60, 0.85], theta2: [0.45, 0.20] }', []],
    [
      'an empty label-sweep range',
      'label_sweep:\n  value: { z_entry: [], z_exit: [0, 0.5], max_holding_bars: [48] }',
      ['--labels'],
    ],
  ])('refuses %s before searching anything, writing nothing', (_what, yaml, extra) => {
    const { modelVersion } = inject('fixtures');
    const cfg = join(dir, `config-${extra.length}`);
    cpSync(configDir, cfg, { recursive: true });
    const core = join(cfg, 'core_policy.yaml');
    const key = yaml.split(':')[0]!;
    const text = readFileSync(core, 'utf8').replace(new RegExp(`^${key}:\\n  value: \\{[^}]*\\}`, 'm'), yaml);
    expect(text).toContain(yaml);
    writeFileSync(core, text);
    const out = join(dir, `opt-empty-${extra.length}`);
    const r = runPt(['-c', cfg, 'optimize', ...extra, ...versionArgs(modelVersion), '--out', out], { HOME: dir }, dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /^ERROR CORE_CONFIG_INVALID: .*\n {2}core_policy\.yaml: (theta_search_range|label_sweep)\.value/m,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a version without OOS predictions with BT_OPT_NOOOS', () => {
    const { modelVersion } = inject('fixtures');
    rmSync(join(dir, 'data', 'predictions'), { recursive: true, force: true });
    const r = pt(['optimize', ...versionArgs(modelVersion)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^ERROR BT_OPT_NOOOS: no usable OOS predictions for this model version: .*oos_ai1\.parquet/m,
    );
  });
});
