// pt ops rollback (model pointer, θ record) and pt ops status as a user runs them, on files in a temp folder.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.js';
import { writeAppliedTheta, writeCurrentModel } from '../../src/ml/registry/index.js';
import { verifyAuditFile } from '../../src/ops/audit/verifyAuditLog.js';
import { bundledPair } from '../helpers/bundledPairs.js';
import { writeRandomModelVersion } from '../helpers/randomModelVersion.js';
import { repoRoot, runPt } from '../helpers/runPt.js';

const env = { PT_MODEL_SIGNING_KEY: '', PT_MODEL_VERIFY_KEY: '', SERVICE_ENV: '', REDIS_URL: '' };
let dir = '';
let v1 = '';
let v2 = { version: '', dir: '' };
const pt = (args: string[]) => runPt(['-c', join(repoRoot, 'config'), ...args], { HOME: dir, ...env }, dir);
const current = () => readFileSync(join(dir, 'models', 'custom', 'CURRENT'), 'utf8').trim();
const auditLines = () =>
  readFileSync(join(dir, 'data', 'ops', 'audit.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pt-ops-'));
  const config = loadConfig(join(repoRoot, 'config'));
  const pair = await bundledPair('XAUUSD_XAGUSD');
  v1 = (await writeRandomModelVersion(config, pair, join(dir, 'models'), dir, 1)).version;
  // Version names carry the minute: the second one must differ from the first.
  do v2 = await writeRandomModelVersion(config, pair, join(dir, 'models'), dir, 2);
  while (v2.version === v1);
  await writeCurrentModel(join(dir, 'models'), 'custom', v2.version);
  const keys = { localKeyDir: join(dir, '.pt', 'keys'), env: {}, notice: () => {} };
  const fields = (theta1: number, theta2: number, run: string) => ({
    theta1,
    theta2,
    old: { theta1: 0.6, theta2: 0.4, source: 'params.yaml' },
    proposed: { theta1, theta2 },
    reason: 'test',
    improvement_ci: { lower: 0.1, upper: 0.2, level: 0.95, metric: 'sharpe' },
    oos_trades: 200,
    trades_min: 150,
    run_id: run,
    source: 'pt optimize' as const,
  });
  await writeAppliedTheta(v2.dir, fields(0.55, 0.45, 'runa'), { keys, createdAt: new Date('2026-11-01T03:00:00Z') });
  await writeAppliedTheta(v2.dir, fields(0.62, 0.38, 'runb'), { keys, createdAt: new Date('2026-12-01T03:00:00Z') });
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pt ops rollback and status', () => {
  it('status shows the flags, no heartbeat yet, and the model and θ in force for the group', () => {
    const r = pt(['ops', 'status']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/global halt\s+none/);
    expect(r.stdout).toMatch(/heartbeat\s+none/);
    expect(r.stdout).toContain(`model      ${v2.version} (group custom)`);
    expect(r.stdout).toMatch(/θ1\/θ2\s+0\.62\/0\.38 \(applied 20261201T030000Z/);
    const json = JSON.parse(pt(['ops', 'status', '--json']).stdout) as { shards: Array<{ model: string }> };
    expect(json.shards[0]!.model).toBe(v2.version);
  });

  it('θ rollback writes a new signed record repeating the older θ, audited; an unknown record changes nothing', () => {
    const bad = pt(['ops', 'rollback', '--target', 'theta', '--group', 'custom', '--version', '20200101T000000Z']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/OPS_ROLLBACK_UNKNOWN/);
    const r = pt([
      'ops',
      'rollback',
      '--target',
      'theta',
      '--group',
      'custom',
      '--version',
      '20261101T030000Z',
      '--reason',
      'worse OOS',
      '--actor',
      'bob',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/0\.62\/0\.38 .* → 0\.55\/0\.45/);
    const status = pt(['ops', 'status']);
    expect(status.stdout).toMatch(/θ1\/θ2\s+0\.55\/0\.45 \(applied \d{8}T\d{6}Z \(pt ops rollback run rollback-/);
    expect(existsSync(join(dir, 'data', 'ops', 'reload'))).toBe(true);
    const last = auditLines().at(-1)!;
    expect(last).toMatchObject({
      action: 'ops.rollback',
      actor: 'bob',
      reason: 'worse OOS',
      scope: `theta:${v2.version}`,
    });
  });

  it('model rollback moves CURRENT back, audited; a version that does not exist leaves it', () => {
    const bad = pt(['ops', 'rollback', '--target', 'model', '--group', 'custom', '--version', '20200101_0000_abcdef1']);
    expect(bad.code).toBe(1);
    expect(current()).toBe(v2.version);
    // A group that does not exist (a typo) is refused, and no group is made; a malformed version is an input error.
    const typo = pt(['ops', 'rollback', '--target', 'model', '--group', 'custm', '--version', v1, '--reason', 'x']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('OPS_ROLLBACK_UNKNOWN');
    expect(existsSync(join(dir, 'models', 'custm'))).toBe(false);
    const malformed = pt(['ops', 'rollback', '--target', 'model', '--group', 'custom', '--version', 'nope']);
    expect(malformed.stderr).toContain('CORE_MODEL_NOTFOUND');
    expect(malformed.stderr).not.toContain('CORE_INTERNAL_BUG');
    expect(current()).toBe(v2.version);
    const r = pt([
      'ops',
      'rollback',
      '--target',
      'model',
      '--group',
      'custom',
      '--version',
      v1,
      '--reason',
      'Sharpe -25%',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(current()).toBe(v1);
    expect(auditLines().at(-1)).toMatchObject({
      action: 'ops.rollback',
      scope: 'model:custom',
      before: v2.version,
      after: v1,
    });
    const config = pt(['ops', 'rollback', '--target', 'config', '--group', 'custom', '--version', 'v1']);
    expect(config.code).toBe(2);
  });

  it('halt with a pair outside the universe is a usage error; the audit chain of all the above verifies', async () => {
    const r = pt(['ops', 'halt', '--scope', 'pair', '--pair', 'NOPE_PAIR']);
    expect(r.code).toBe(2);
    const audit = await verifyAuditFile(join(dir, 'data', 'ops', 'audit.jsonl'));
    expect(audit.firstBroken).toBeUndefined();
    expect(audit.lines).toBe(2);
  });
});
