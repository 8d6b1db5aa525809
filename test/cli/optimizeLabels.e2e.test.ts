// pt optimize --labels on the e2e tier's shared synthetic store: a small sweep (two points run, two
// skipped for z_exit ≥ z_entry) prints its table, writes one row per point and every θ trial, counts
// every trial of every point in the DSR/PBO, and at the point pt train used re-trains the very same
// walk-forward and so repeats pt optimize's search trial for trial. --labels with --apply is refused.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { repoRoot, runPt } from '../helpers/runPt.js';

let dir = '';
let configDir = '';
const pt = (args: string[]) =>
  runPt(
    ['-c', configDir, ...args],
    { HOME: dir, PT_MODEL_SIGNING_KEY: '', PT_MODEL_VERIFY_KEY: '', SERVICE_ENV: '' },
    dir,
  );

const csv = (path: string) => {
  const [head, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return rows.map((r) => {
    const cells = r.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i]!]));
  });
};

describe('pt optimize --labels on the shared synthetic store', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pt-cli-optimize-labels-'));
    cpSync(inject('fixtures').root, dir, { recursive: true });
    configDir = join(dir, 'config-sweep');
    cpSync(join(repoRoot, 'config'), configDir, { recursive: true });
    const core = join(configDir, 'core_policy.yaml');
    const text = readFileSync(core, 'utf8').replace(
      /^label_sweep:\n {2}value: \{[^}]*\}/m,
      'label_sweep:\n  value: { z_entry: [2.0, 2.5], z_exit: [0.5, 3.0], max_holding_bars: [48] }',
    );
    expect(text).toContain('z_exit: [0.5, 3.0]');
    writeFileSync(core, text);
  });

  it('sweeps the points, counts every trial in the statistics and repeats pt optimize at the trained point', () => {
    const { modelVersion } = inject('fixtures');
    const sweepOut = join(dir, 'sweep');
    const common = ['--group', 'synthetic', '--timeframe', '1h', '--trials', '6'];
    const r = pt([
      'optimize',
      '--labels',
      '--model-dir',
      join(dir, 'models', modelVersion),
      ...common,
      '--out',
      sweepOut,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^optimize --labels \w+: 2 label points; 2 points with z_exit ≥ z_entry skipped/m);

    const points = csv(join(sweepOut, 'label_sweep.csv'));
    expect(points.map((p) => [p.z_entry, p.z_exit, p.max_holding_bars])).toEqual([
      ['2', '0.5', '48'],
      ['2.5', '0.5', '48'],
    ]);
    expect(points.map((p) => p.in_force)).toEqual(['1', '0']);
    // Fewer events with a higher z_entry: the points really re-label.
    expect(Number(points[1]!.events)).toBeLessThan(Number(points[0]!.events));

    const trials = csv(join(sweepOut, 'trials.csv'));
    const total = trials.length;
    expect(total).toBe(points.reduce((a, p) => a + Number(p.trials), 0));
    expect(r.stdout).toContain(`${total} θ trials in all`);
    // Every θ trial of every point is one of the N the DSR deflates by (when a θ was chosen).
    const dsr = r.stdout.match(/^Deflated Sharpe [-\d.]+ \(N = (\d+) trials/m);
    if (dsr) expect(Number(dsr[1])).toBe(total);
    else
      expect(r.stdout).toMatch(
        /^no feasible θ at any label point \(nearest z_entry [\d.]+, z_exit [\d.]+, M \d+ with θ1=/m,
      );
    expect(r.stdout).toMatch(/^PBO [\d.]+ \(CSCV, 16 blocks/m);

    // At the trained point the sweep's walk-forward is pt train's: pt optimize finds the same trials.
    const optOut = join(dir, 'opt');
    const o = pt(['optimize', '--model-dir', join(dir, 'models', modelVersion), ...common, '--out', optOut]);
    expect(o.code, o.stderr).toBe(0);
    const single = csv(join(optOut, 'trials.csv'));
    const atPoint = trials.filter((t) => t.point === '1');
    expect(atPoint.length).toBe(single.length);
    for (const [i, t] of single.entries())
      for (const c of [
        'stage',
        'theta1',
        'theta2',
        'score',
        'feasible',
        'sharpe',
        'max_dd',
        'trades_per_year',
        'trades',
      ])
        expect(atPoint[i]![c], `trial ${i} ${c}`).toBe(t[c]);
  });

  it('refuses --labels with --apply before doing anything', () => {
    const r = pt(['optimize', '--labels', '--apply', '--group', 'synthetic', '--timeframe', '1h']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ERROR CORE_CLI_USAGE: --labels applies nothing/m);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
