// pt train refuses to write a version whose final AI1 learned nothing, after printing the tables;
// --allow-degenerate writes and records it, and pt bt run refuses to filter trades with it. The
// store is the e2e tier's shared synthetic one; AI1 learns nothing when M (max_holding_bars) is one
// bar: no event reverts in one bar, so every label is 0 and the fit is the base rate.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { runPt, repoRoot } from '../helpers/runPt.js';

let dir = '';
const env = () => ({ HOME: dir, PT_MODEL_SIGNING_KEY: '', PT_MODEL_VERIFY_KEY: '', SERVICE_ENV: '' });
const pt = (args: string[], configDir = join(dir, 'config-m1')) => runPt(['-c', configDir, ...args], env(), dir);
const train = ['train', '--group', 'synthetic', '--timeframe', '1h', '--out', 'models-m1'];

interface FinalKind {
  trees: number;
  splits: number;
  calibrated_levels: number;
  min_data_in_leaf: number;
  num_leaves: number;
  degenerate: { degenerate: boolean; reasons: string[] };
}

describe('degenerate models through the CLI', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pt-cli-degenerate-'));
    cpSync(inject('fixtures').root, dir, { recursive: true });
    const config = join(dir, 'config-m1');
    cpSync(join(repoRoot, 'config'), config, { recursive: true });
    const edit = (file: string, from: RegExp, to: string) => {
      const text = readFileSync(join(config, file), 'utf8');
      expect(text).toMatch(from);
      writeFileSync(join(config, file), text.replace(from, to));
    };
    // backtest_policy's exit rule must repeat core_policy's M (a cross-file rule).
    edit('core_policy.yaml', /^max_holding_bars: \{ value: 48,/m, 'max_holding_bars: { value: 1,');
    edit('backtest_policy.yaml', /M: 48,/, 'M: 1,');
  });

  it('the shared synthetic model learned something: both final models have splits and ≥ 3 distinct scores', () => {
    const metrics = JSON.parse(readFileSync(join(inject('fixtures').modelDir, 'metrics.json'), 'utf8')) as {
      final: Record<'ai1' | 'ai2', FinalKind>;
    };
    for (const kind of ['ai1', 'ai2'] as const) {
      expect(metrics.final[kind].degenerate, kind).toEqual({ degenerate: false, reasons: [] });
      expect(metrics.final[kind].splits, kind).toBeGreaterThan(0);
      expect(metrics.final[kind].calibrated_levels, kind).toBeGreaterThanOrEqual(3);
    }
    // AI2 has tens of thousands of rows: the tree size is the configured one.
    expect(metrics.final.ai2).toMatchObject({ min_data_in_leaf: 50, num_leaves: 31 });
  });

  it('pt train prints the tables, then refuses with CORE_MODEL_DEGEN and writes nothing', () => {
    const predictions = readdirSync(join(dir, 'data', 'predictions', '1h', 'synthetic'));
    const r = pt(train);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/AI1 purged \d-fold CV/);
    expect(r.stdout).toMatch(/^fold 1 .* no_split,constant_predictions$/m);
    expect(r.stdout).toMatch(
      /^AI1 final fit on \d+ rows: 0 trees, 0 splits, 1 distinct score .*: DEGENERATE \(no_split, constant_predictions\)$/m,
    );
    expect(r.stdout).toMatch(/^AI2 final fit on \d+ rows: \d+ trees?, \d+ splits?, \d+ distinct scores? .*: ok$/m);
    expect(r.stdout).not.toMatch(/written to/);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('ERROR'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^ERROR CORE_MODEL_DEGEN: no model version written: the final AI1 learned nothing \(no_split, constant_predictions: .*\); .*--allow-degenerate/,
    );
    expect(existsSync(join(dir, 'models-m1'))).toBe(false);
    expect(readdirSync(join(dir, 'data', 'predictions', '1h', 'synthetic'))).toEqual(predictions);
  });

  it('pt train --allow-degenerate writes the version and records it; pt bt run refuses to filter with it', () => {
    const r = pt([...train, '--allow-degenerate']);
    expect(r.stderr).not.toMatch(/^ERROR/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\(signed; AI1 degenerate, written with --allow-degenerate\)/);
    const [version] = readdirSync(join(dir, 'models-m1')).filter((v) => /^\d{8}_\d{4}_[0-9a-f]{7}$/.test(v));
    const vdir = join(dir, 'models-m1', version!);
    const metrics = JSON.parse(readFileSync(join(vdir, 'metrics.json'), 'utf8')) as {
      allow_degenerate?: boolean;
      final: Record<'ai1' | 'ai2', FinalKind>;
      cv: { ai1: { folds: Array<{ degenerate: { degenerate: boolean } }> } };
      oos: { ai1: { degenerate_steps: number } };
    };
    expect(metrics.allow_degenerate).toBe(true);
    expect(metrics.final.ai1).toMatchObject({
      trees: 0,
      splits: 0,
      calibrated_levels: 1,
      degenerate: { degenerate: true, reasons: ['no_split', 'constant_predictions'] },
    });
    expect(metrics.final.ai1.min_data_in_leaf).toBeLessThanOrEqual(50);
    expect(metrics.final.ai2.degenerate.degenerate).toBe(false);
    expect(metrics.cv.ai1.folds.every((f) => f.degenerate.degenerate)).toBe(true);
    expect(metrics.oos.ai1.degenerate_steps).toBeGreaterThan(0);
    expect((parse(readFileSync(join(vdir, 'params.yaml'), 'utf8')) as Record<string, unknown>).allow_degenerate).toBe(
      true,
    );
    // Both records are under the signature.
    expect(pt(['models', 'verify', version!, '--models-dir', join(dir, 'models-m1')]).code).toBe(0);

    const bt = pt(['bt', 'run', '--pairs', 'SYNA_SYNB', '--timeframe', '1h', '--model-dir', vdir, '--out', 'bt-m1']);
    expect(bt.code).toBe(1);
    expect(bt.stderr).toMatch(
      new RegExp(
        `^ERROR CORE_MODEL_DEGEN: ${version}: AI1 learned nothing \\(no_split, constant_predictions: no tree has a split, its probabilities are one constant\\); refusing to filter trades with it: run with --rule-only`,
        'm',
      ),
    );
  });
});
