// pt bt run on a model version pt train made, with an applied-θ record: the record's θ and its source are used and
// reported; the flags win over it; a tampered record is refused like a tampered model.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { writeAppliedTheta, type AppliedTheta } from '../../src/ml/registry/index.js';
import { runPt, repoRoot } from '../helpers/runPt.js';

let dir = '';
let vdir = '';
let record: AppliedTheta;
const pt = (args: string[]) => runPt(['-c', join(repoRoot, 'config'), ...args], { HOME: dir }, dir);
const source = 'applied 20261203T101500Z (pt optimize run abc123)';

describe('pt bt run with an applied θ', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pt-cli-bt-applied-'));
    const { dataDir, root, modelVersion } = inject('fixtures');
    cpSync(dataDir, join(dir, 'data'), { recursive: true });
    // a copy of the trained version and the local key pair it was signed with
    cpSync(join(root, 'models', modelVersion), join(dir, 'models', modelVersion), { recursive: true });
    cpSync(join(root, '.pt'), join(dir, '.pt'), { recursive: true });
    vdir = join(dir, 'models', modelVersion);
    record = await writeAppliedTheta(
      vdir,
      {
        theta1: 0.12,
        theta2: 0.81,
        old: { theta1: 0.7, theta2: 0.3, source: 'params.yaml' },
        proposed: { theta1: 0.1, theta2: 0.9 },
        reason: 'apply: e2e',
        improvement_ci: { lower: 0.01, upper: 0.1, level: 0.95, metric: 'annualised_mean_daily_return_difference' },
        oos_trades: 200,
        trades_min: 150,
        search: { trials: 305, dsr: 0.42, pbo: 0.3 },
        run_id: 'abc123',
        source: 'pt optimize',
      },
      { keys: { env: {}, localKeyDir: join(dir, '.pt', 'keys') }, createdAt: new Date('2026-12-03T10:15:00Z') },
    );
  });

  it('uses the latest applied θ and says where it came from, in the summary and the report', () => {
    const { modelVersion } = inject('fixtures');
    const r = pt(['bt', 'run', '--pairs', 'SYNA_SYNB', '--timeframe', '1h', '--model-dir', vdir, '--out', 'bt-a']);
    expect(r.stderr).not.toMatch(/^ERROR/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`θ1 0.12 θ2 0.81 from ${source} of model ${modelVersion}`);
    // θ from a search: the verdicts carry that search's Deflated Sharpe.
    expect(r.stdout).toMatch(/^ {2}FAIL dsr: dsr 0\.42 not ≥ 0\.95 \(Deflated Sharpe over 305 trials\)$/m);
    expect(readFileSync(join(dir, 'bt-a', 'report.html'), 'utf8')).toContain(
      `0.12 / 0.81 (${source} of model ${modelVersion})`,
    );
    const verify = pt(['models', 'verify', vdir]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(new RegExp(`^OK ${modelVersion} \\(\\d+ files; 1 applied θ record\\)`));
  });

  it('--theta1 wins over the record for θ1 only', () => {
    const { modelVersion } = inject('fixtures');
    const r = pt(['bt', 'run', '--pairs', 'SYNA_SYNB', '--model-dir', vdir, '--theta1', '0.5', '--out', 'bt-f']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`θ1 0.5 θ2 0.81 from --theta1 over ${source} of model ${modelVersion}`);
  });

  it('refuses a tampered record (CORE_THETA_SIGNATURE), in pt bt run and pt models verify', () => {
    const text = readFileSync(record.path, 'utf8');
    writeFileSync(record.path, text.replace('"theta1": 0.12', '"theta1": 0.02'));
    try {
      const r = pt(['bt', 'run', '--pairs', 'SYNA_SYNB', '--model-dir', vdir, '--out', 'bt-t']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(
        /^ERROR CORE_THETA_SIGNATURE: applied θ of \S+ does not verify \(applied\/theta_20261203T101500Z_abc123\.json: digest\)/m,
      );
      const verify = pt(['models', 'verify', vdir]);
      expect(verify.code).toBe(1);
      expect(verify.stdout).toContain('applied/theta_20261203T101500Z_abc123.json: digest');
      expect(verify.stderr).toMatch(
        /^ERROR CORE_THETA_SIGNATURE: .*1 applied θ record does not verify; the version's own files do/m,
      );
    } finally {
      writeFileSync(record.path, text);
    }
  });
});
