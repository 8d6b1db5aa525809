import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { writeModelVersion } from '../../src/ml/registry/index.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { runPt, repoRoot } from '../helpers/runPt.js';
import { exportTreeEnsembleOnnx } from '../../src/ml/onnx/exportTreeEnsembleOnnx.js';
import { MODEL_FEATURES } from '../../src/train/modelFeatures.js';
import { randomEnsemble } from '../ml/onnx/randomEnsemble.js';

let dir = '';
const pt = (args: string[]) => runPt(['-c', join(repoRoot, 'config'), ...args], { HOME: dir }, dir);

describe('pt bt run', () => {
  // The synthetic store comes from the e2e tier's shared fixture (test/e2eSetup.ts), copied.
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pt-cli-bt-'));
    cpSync(inject('fixtures').dataDir, join(dir, 'data'), { recursive: true });
    // the local verify key the trained version was signed with (HOME is the test folder)
    cpSync(join(inject('fixtures').root, '.pt'), join(dir, '.pt'), { recursive: true });
  });

  it('runs with a model pt train made: its θ, its version on every output', () => {
    const { modelDir, modelVersion } = inject('fixtures');
    const r = pt([
      'bt',
      'run',
      '--pairs',
      'SYNA_SYNB',
      '--timeframe',
      '1h',
      '--model-dir',
      modelDir,
      '--out',
      'bt-trained',
    ]);
    expect(r.stderr).not.toMatch(/^ERROR/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^backtest ${modelVersion} 1h `));
    expect(r.stdout).toContain(`from model ${modelVersion} params.yaml`);
    const run = JSON.parse(readFileSync(join(dir, 'bt-trained', 'bt_run.json'), 'utf8')) as { model_version: string };
    expect(run.model_version).toBe(modelVersion);
  });

  it('--rule-only writes the four outputs, CSV copies and a report, and prints KPIs and verdicts', () => {
    const r = pt([
      'bt',
      'run',
      '--pairs',
      'SYNA_SYNB',
      '--timeframe',
      '1h',
      '--rule-only',
      '--out',
      'bt',
      '--csv',
      '--stress',
    ]);
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

  it('--baseline-run compares with an earlier run (relative verdicts and Diebold–Mariano); --cost takes another cost table', () => {
    const cost = join(dir, 'cost.yaml');
    writeFileSync(
      cost,
      readFileSync(join(repoRoot, 'config/cost_table.yaml'), 'utf8').replace(
        'commission_bps: 10',
        'commission_bps: 30',
      ),
    );
    const r = pt([
      'bt',
      'run',
      '--pairs',
      'SYNA_SYNB',
      '--timeframe',
      '1h',
      '--rule-only',
      '--out',
      'bt2',
      '--baseline-run',
      'bt',
      '--cost',
      cost,
    ]);
    expect(r.stderr).not.toMatch(/^ERROR/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/vs baseline rule-only \(run [0-9a-f-]{36}\): (PASS|FAIL)/);
    expect(r.stdout).toMatch(/Diebold–Mariano on \d+ common weeks: statistic -?[\d.]+/);
    const run = JSON.parse(readFileSync(join(dir, 'bt2', 'bt_run.json'), 'utf8')) as {
      comparison: { weeks: number } | null;
    };
    expect(run.comparison!.weeks).toBeGreaterThan(50);
    // a cost profile by name: the ECN profile costs far less than the seed's table
    const ecn = pt([
      'bt',
      'run',
      '--pairs',
      'SYNA_SYNB',
      '--timeframe',
      '1h',
      '--rule-only',
      '--out',
      'bt-ecn',
      '--cost',
      'ecn',
    ]);
    expect(ecn.stderr).not.toMatch(/^ERROR/m);
    const costBps = (out: string) => Number(/the cost table costs (-?[\d.]+) bps/.exec(out)![1]);
    expect(costBps(ecn.stdout)).toBeLessThan(
      costBps(
        pt([
          'bt',
          'run',
          '--pairs',
          'SYNA_SYNB',
          '--timeframe',
          '1h',
          '--rule-only',
          '--out',
          'bt-seed',
          '--cost',
          'seed',
        ]).stdout,
      ) / 5,
    );
    const unknown = pt(['bt', 'run', '--pairs', 'SYNA_SYNB', '--rule-only', '--cost', 'cheap', '--out', 'bt-cheap']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^ERROR CORE_CLI_USAGE: --cost cheap: no such cost profile \(config\/cost_profiles\/ has ecn, seed\)/,
    );
    const bad = join(dir, 'bad-cost.yaml');
    writeFileSync(bad, 'defaults: { value: { commission_bps: -1 } }\n');
    const e = pt(['bt', 'run', '--pairs', 'SYNA_SYNB', '--rule-only', '--cost', bad, '--out', 'bt3']);
    expect(e.code).toBe(1);
    expect(e.stderr).toMatch(/^ERROR CORE_CONFIG_INVALID: .*bad-cost\.yaml is not a valid cost_table\.yaml/);
    expect(existsSync(join(dir, 'bt3'))).toBe(false);
  });

  it('refuses a model whose feature schema names features pt does not compute, writing nothing', async () => {
    const keys = { localKeyDir: join(dir, '.pt', 'keys'), env: {}, notice: () => {} };
    const { dir: vdir } = await writeModelVersion(
      join(dir, 'fake-models'),
      {
        'model_ai1.onnx': new Uint8Array([1]),
        'model_ai2.onnx': new Uint8Array([2]),
        'feature_schema.json': JSON.stringify({ names: ['z', 'not_a_feature'], normalisation: {} }),
        'params.yaml': 'theta1: 0.7\ntheta2: 0.3\nz_entry: 2\nz_exit: 0.5\nM: 48\ntheta_stop: 0.45\n',
        'metrics.json': '{}',
      },
      { keys },
    );
    const r = pt(['bt', 'run', '--pairs', 'SYNA_SYNB', '--model-dir', vdir, '--out', 'bt4']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^ERROR CORE_MODEL_ARTEFACT: .*names features pt does not compute: not_a_feature/);
    expect(existsSync(join(dir, 'bt4'))).toBe(false);
  });

  it("takes θ from the model version's params.yaml, --theta1/--theta2 over it, and says which", async () => {
    const keys = { localKeyDir: join(dir, '.pt', 'keys'), env: {}, notice: () => {} };
    const names = [...MODEL_FEATURES];
    const scaler = {
      names,
      median: names.map(() => 0),
      mad: names.map(() => 1),
      lower: names.map(() => -1e9),
      upper: names.map(() => 1e9),
      clipped: [],
      clip: 5,
    };
    const onnx = (seed: number) =>
      exportTreeEnsembleOnnx({ ...randomEnsemble(seed, 10, names.length, 3), featureNames: names });
    const { dir: vdir, version } = await writeModelVersion(
      join(dir, 'test-models'),
      {
        'model_ai1.onnx': onnx(1),
        'model_ai2.onnx': onnx(2),
        'feature_schema.json': JSON.stringify({ names, normalisation: { ai1: scaler, ai2: scaler } }),
        'params.yaml': 'theta1: 0.61\ntheta2: 0.39\nz_entry: 2\nz_exit: 0.5\nM: 48\ntheta_stop: 0.45\n',
        'metrics.json': '{}',
      },
      { keys },
    );
    const model = pt(['bt', 'run', '--pairs', 'SYNA_SYNB', '--model-dir', vdir, '--out', 'bt-model']);
    expect(model.stderr).not.toMatch(/^ERROR/m);
    expect(model.stdout).toContain(`θ1 0.61 θ2 0.39 from model ${version} params.yaml`);
    const over = pt([
      'bt',
      'run',
      '--pairs',
      'SYNA_SYNB',
      '--model-dir',
      vdir,
      '--theta1',
      '0.55',
      '--out',
      'bt-theta',
    ]);
    expect(over.stdout).toContain(`θ1 0.55 θ2 0.39 from --theta1 over model ${version} params.yaml`);
    expect(readFileSync(join(dir, 'bt-theta', 'report.html'), 'utf8')).toContain(
      `0.55 / 0.39 (--theta1 over model ${version} params.yaml)`,
    );
    const bad = pt(['bt', 'run', '--pairs', 'SYNA_SYNB', '--model-dir', vdir, '--theta2', '1.5', '--out', 'bt-bad']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^ERROR CORE_CLI_USAGE: --theta2 must be a number in \[0, 1\], got "1.5"/);
    expect(existsSync(join(dir, 'bt-bad'))).toBe(false);
  });

  it('gives clear errors and writes nothing: bad period, a period with no data, no model', () => {
    expect(pt(['bt', 'run', '--pairs', 'SYNA_SYNB', '--rule-only', '--period', '2022-13']).stderr).toMatch(
      /^ERROR CORE_CLI_USAGE: --period "2022-13" must look like 2022-01:2024-06/,
    );
    const empty = pt([
      'bt',
      'run',
      '--pairs',
      'SYNA_SYNB',
      '--rule-only',
      '--period',
      '2015-01:2015-06',
      '--out',
      'none',
    ]);
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toMatch(
      /^ERROR BT_DATA_EMPTY: SYNA_SYNB 1h: no aligned bars in the period \(2015-01-01 00:00 up to 2015-07-01 00:00 UTC\): the stored aligned history is /,
    );
    expect(existsSync(join(dir, 'none'))).toBe(false);
    expect(pt(['bt', 'run', '--pairs', 'SYNA_SYNB']).stderr).toMatch(
      /^ERROR CORE_MODEL_NOTFOUND: no model version under models\//,
    );
  });
});
