import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { runPt, repoRoot } from '../helpers/runPt.js';
import { loadOnnxClassifier } from '../../src/ml/onnx/index.js';
import { treeEnsembleFromJson, predictMargin, sigmoid, type TreeEnsembleJson } from '../../src/ml/treeEnsemble.js';
import { SeededRng } from '../../src/core/rng.js';
import { loadModelBundle, scorePair } from '../../src/ml/modelBundle.js';
import { sha256Hex } from '../../src/ml/registry/index.js';
import { computePairFeatures } from '../../src/features/computePairFeatures.js';
import { featureParamsFrom } from '../../src/features/featureParams.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { syntheticPair } from '../helpers/syntheticPair.js';

const configDir = join(repoRoot, 'config');
let dir = '';
const env = { HOME: '' };
const pt = (args: string[]) =>
  runPt(
    ['-c', configDir, ...args],
    { ...env, PT_MODEL_SIGNING_KEY: '', PT_MODEL_VERIFY_KEY: '', SERVICE_ENV: '' },
    dir,
  );

describe('pt cv, pt train and pt models on the synthetic group (the shared trained version)', () => {
  // The store and the trained version come from the e2e tier's shared fixture (test/e2eSetup.ts), copied.
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pt-cli-train-'));
    cpSync(inject('fixtures').root, dir, { recursive: true });
    env.HOME = dir;
  });

  it('pt cv prints the folds and a per-fold table with mean ± std for AI1 and AI2; --out-folds round-trips the fold tables', () => {
    const r = pt(['cv', '--group', 'synthetic', '--timeframe', '1h', '--out-folds', 'folds.csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^AI1 events: \d+ \(\d+ positive\): SYNA_SYNB \d+ \(\d+ positive\)$/m);
    expect(r.stdout).toMatch(/AI1 purged \d-fold CV: metrics/);
    expect(r.stdout).toMatch(/AI2 purged \d-fold CV: metrics/);
    expect(r.stdout).toMatch(/fold 1 .*\n/);
    expect(r.stdout).toMatch(/mean ± std/);
    expect(r.stdout).toMatch(/\bauc\b.*\bbrier\b.*\bpr_auc\b.*\bece\b/);
    expect(r.stdout).toMatch(/^fold roles: \d+ rows written to .*folds\.csv$/m);

    // Every count of the printed fold tables, recomputed from the file.
    const [head, ...lines] = readFileSync(join(dir, 'folds.csv'), 'utf8').trim().split('\n');
    expect(head).toBe('kind,scheme,fold,row,pair_id,t0,t1,y,role');
    const counts = new Map<string, number>();
    const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
    const t0s = new Map<string, number[]>();
    for (const line of lines) {
      const [kind, scheme, fold, , , t0, , y, role] = line.split(',');
      const key = `${kind} ${scheme} ${fold}`;
      add(`${key} ${role}`);
      if (y === '1') add(`${key} pos ${role}`);
      const k = `${key} ${role}`;
      t0s.set(k, [...(t0s.get(k) ?? []), Date.parse(t0!)]);
    }
    const roles = ['train', 'valid', 'test', 'purged', 'embargoed', 'valid_purged', 'valid_embargoed'];
    let tables = 0;
    for (const [kind, scheme, title] of [
      ['ai1', 'cv', /^AI1 purged \d-fold CV: folds/m],
      ['ai1', 'wf', /^AI1 walk-forward: \d+ steps/m],
      ['ai2', 'cv', /^AI2 purged \d-fold CV: folds/m],
      ['ai2', 'wf', /^AI2 walk-forward: \d+ steps/m],
    ] as const) {
      const at = r.stdout.search(title);
      expect(at, String(title)).toBeGreaterThanOrEqual(0);
      const rows = r.stdout
        .slice(at)
        .split('\n\n')[0]!
        .split('\n')
        .slice(2)
        .filter((l) => /^(fold|step) \d/.test(l));
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const fold = /^(?:fold|step) (\d+)/.exec(row)![1]!;
        const cells = row.trim().split(/\s+/).slice(-10).map(Number);
        const key = `${kind} ${scheme} ${fold}`;
        const expected = [
          ...roles.map((role) => counts.get(`${key} ${role}`) ?? 0),
          ...['train', 'valid', 'test'].map((role) => counts.get(`${key} pos ${role}`) ?? 0),
        ];
        expect(cells, `${key}: ${row}`).toEqual(expected);
        tables++;
        // Validation lies before the test block, after it only for the first fold.
        const valid = t0s.get(`${key} valid`) ?? [];
        const test = t0s.get(`${key} test`) ?? [];
        if (valid.length && test.length) {
          if (scheme === 'cv' && fold === '1') expect(Math.min(...valid)).toBeGreaterThan(Math.max(...test));
          else expect(Math.max(...valid)).toBeLessThan(Math.min(...test));
        }
      }
    }
    expect(tables).toBeGreaterThan(4);
  });

  it('pt cv and pt train refuse less history than min_training_months, giving the count', () => {
    for (const cmd of ['cv', 'train']) {
      const r = pt([cmd, '--group', 'synthetic', '--timeframe', '1h', '--from', '2024-03-01']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /^ERROR CORE_TRAIN_HISTORY: group synthetic 1h: (9|10)\.\d months of valid feature rows \(\d+ AI1 events\); min_training_months is 24/m,
      );
    }
  });

  it('pt train writes a signed version that pt models verify accepts, OOS table first; tampering is caught', async () => {
    const r = { stdout: inject('fixtures').trainStdout };
    // What AI1 learns from and its folds come before any table; OOS results before CV results.
    expect(r.stdout).toMatch(/^AI1 events: \d+ \(\d+ positive\): SYNA_SYNB/m);
    expect(r.stdout.indexOf('AI1 events')).toBeLessThan(r.stdout.indexOf('pos train'));
    expect(r.stdout.indexOf('pos train')).toBeLessThan(r.stdout.indexOf('walk-forward OOS'));
    expect(r.stdout.indexOf('walk-forward OOS')).toBeLessThan(r.stdout.indexOf('CV: metrics'));
    const version = /model (\d{8}_\d{4}_[0-9a-f]{7}) written/.exec(r.stdout)![1]!;
    const vdir = join(dir, 'models', version);
    for (const f of [
      'model_ai1.onnx',
      'model_ai2.onnx',
      'feature_schema.json',
      'params.yaml',
      'metrics.json',
      'SIGNATURE',
    ])
      expect(existsSync(join(vdir, f)), f).toBe(true);
    expect(readdirSync(join(dir, 'data/predictions/1h/synthetic', version)).sort()).toEqual([
      'oos_ai1.parquet',
      'oos_ai2.parquet',
    ]);
    // Each calibration table is bound to its ONNX file by digest (the bundle refuses any other).
    const tables = (['ai1', 'ai2'] as const).filter((k) => existsSync(join(vdir, `calibration_${k}.json`)));
    expect(tables.length).toBeGreaterThan(0);
    for (const k of tables)
      expect(
        (JSON.parse(readFileSync(join(vdir, `calibration_${k}.json`), 'utf8')) as { onnx_sha256: string }).onnx_sha256,
      ).toBe(sha256Hex(readFileSync(join(vdir, `model_${k}.onnx`))));
    const ok = pt(['models', 'verify', version]);
    expect(ok.stdout).toMatch(new RegExp(`^OK ${version} \\(\\d+ files\\)`));
    expect(ok.code).toBe(0);

    // The exported ONNX model gives the native model's probabilities.
    const schema = JSON.parse(readFileSync(join(vdir, 'feature_schema.json'), 'utf8')) as { names: string[] };
    const native = treeEnsembleFromJson(
      JSON.parse(readFileSync(join(vdir, 'model_ai2.json'), 'utf8')) as TreeEnsembleJson,
    );
    const onnx = await loadOnnxClassifier(readFileSync(join(vdir, 'model_ai2.onnx')), schema.names);
    const rng = new SeededRng(5);
    const cols = schema.names.map(() => Float64Array.from({ length: 10_000 }, () => 3 * rng.gaussian()));
    const p = await onnx.predictProba(cols);
    let worst = 0;
    for (let i = 0; i < 10_000; i++)
      worst = Math.max(
        worst,
        Math.abs(
          p[i]! -
            sigmoid(
              predictMargin(
                native,
                cols.map((c) => c[i]!),
              ),
            ),
        ),
      );
    expect(worst).toBeLessThan(1e-6);

    // The bundle the backtest and live use scores every valid bar with calibrated probabilities.
    const bundle = await loadModelBundle(vdir, { localKeyDir: join(dir, '.pt', 'keys'), env: {} });
    expect(bundle.version).toBe(version);
    const pair = await syntheticPair(Date.UTC(2024, 0, 1), Date.UTC(2024, 6, 1));
    const f = computePairFeatures(pair, featureParamsFrom(loadConfig(configDir)));
    const scores = await scorePair(bundle, f);
    for (let t = 0; t < f.length; t++) {
      if (!f.valid[t]) {
        expect(scores.riskScore[t]).toBeNaN();
        continue;
      }
      expect(scores.riskScore[t]).toBeGreaterThanOrEqual(0);
      expect(scores.riskScore[t]).toBeLessThanOrEqual(1);
      expect(scores.returnProb[t]).toBeGreaterThanOrEqual(0);
    }

    const metrics = join(vdir, 'metrics.json');
    writeFileSync(metrics, readFileSync(metrics, 'utf8').replace('"seed": 42', '"seed": 43'));
    const bad = pt(['models', 'verify', version]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('metrics.json: digest');
  });

  it('refuses an unknown group with a clear error', () => {
    expect(pt(['train', '--group', 'nope', '--timeframe', '1h']).stderr).toMatch(
      /^ERROR CORE_CLI_USAGE: unknown group "nope"/,
    );
  });
});
