// Applying θ: hysteresis under a lock, a signed record on apply, one chained audit line per decision, a stale run refused.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PtError } from '../../src/core/ptError.js';
import { latestAppliedTheta, verifyModelVersion, writeModelVersion } from '../../src/ml/registry/index.js';
import { verifyAuditLog } from '../../src/ops/audit/verifyAuditLog.js';
import { applyTheta, currentTheta, defaultThetaAuditPath } from '../../src/optimize/applyTheta.js';
import { fakeArtefacts, makeKeyPair, tempDir } from '../ml/registry/registryFixtures.js';
import { repoRoot } from '../helpers/runPt.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let pair: ReturnType<typeof makeKeyPair>;
let keys: { signingKey: ReturnType<typeof makeKeyPair>['privateKey']; env: NodeJS.ProcessEnv; localKeyDir: string };
let dir: string;
let version: string;
const modelTheta = { theta1: 0.7, theta2: 0.3 };
const ci = { lower: 0.01, upper: 0.2, level: 0.95, metric: 'annualised_mean_daily_return_difference' };

beforeEach(async () => {
  tmp = await tempDir('pt-apply-');
  pair = makeKeyPair();
  keys = { signingKey: pair.privateKey, env: {}, localKeyDir: join(tmp.path, '.pt', 'keys') };
  ({ dir, version } = await writeModelVersion(join(tmp.path, 'models'), fakeArtefacts(), { keys }));
});
afterEach(() => tmp.remove());

const auditLines = async () =>
  (await readFile(defaultThetaAuditPath(dir), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => ({ text: l, json: JSON.parse(l) as Record<string, unknown> }));

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('applyTheta', () => {
  it('applies the blended step as a signed record and appends the decision to <models>/../audit', async () => {
    expect(defaultThetaAuditPath(dir)).toBe(join(tmp.path, 'audit', 'theta_decisions.jsonl'));
    const r = await applyTheta({
      versionDir: dir,
      modelTheta,
      expectedBasis: null,
      proposed: { theta1: 0.6, theta2: 0.34 },
      oosTrades: 120,
      tradesMin: 150,
      improvementCi: ci,
      runId: 'run1',
      keys,
      now: () => new Date('2026-12-03T10:15:00Z'),
    });
    // 0.7 + clip(0.3·(−0.1)) = 0.67; 0.3 + 0.3·0.04 = 0.312
    expect(r.decision).toBe('apply');
    expect(r.applied).toEqual({ theta1: 0.67, theta2: 0.312 });
    expect(r.record?.file).toBe('theta_20261203T101500Z_run1.json');
    const latest = (await latestAppliedTheta(dir, { keys }))!;
    expect(latest.record).toMatchObject({ theta1: 0.67, theta2: 0.312, oos_trades: 120, improvement_ci: ci });
    expect((await verifyModelVersion(dir, { keys })).ok).toBe(true);
    const [line] = await auditLines();
    expect(line!.json).toEqual({
      time: '2026-12-03T10:15:00.000Z',
      actor: process.env.USER || userInfo().username,
      os_user: userInfo().username,
      action: 'theta.apply',
      scope: `model:${version}`,
      reason: r.reason,
      before: { theta1: 0.7, theta2: 0.3, source: 'params.yaml' },
      after: { theta1: 0.67, theta2: 0.312 },
      run_id: 'run1',
      source: 'pt optimize',
      proposed: { theta1: 0.6, theta2: 0.34 },
      ci,
      oos_trades: 120,
      trades_min: 150,
      record: 'theta_20261203T101500Z_run1.json',
      prev_sha256: null,
      entry_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
    });
    expect(verifyAuditLog(await readFile(defaultThetaAuditPath(dir), 'utf8'))).toMatchObject({ ok: true, lines: 1 });
  });

  it('a hold writes no record but one audit line; the next apply starts from the record, chained to the line before', async () => {
    const base = { versionDir: dir, modelTheta, keys, improvementCi: ci, tradesMin: 150 };
    const hold = await applyTheta({
      ...base,
      expectedBasis: null,
      proposed: { theta1: 0.6, theta2: 0.3 },
      oosTrades: 74,
      runId: 'h',
    });
    expect(hold.decision).toBe('hold');
    expect(hold.record).toBeUndefined();
    expect(await readdir(join(dir, 'applied'))).toEqual([]);
    const first = await applyTheta({
      ...base,
      expectedBasis: null,
      proposed: { theta1: 0.6, theta2: 0.3 },
      oosTrades: 75,
      runId: 'a1',
    });
    const now = await currentTheta(dir, modelTheta, { keys });
    expect(now.basis).toBe(first.record!.file);
    expect(now.theta).toEqual({ theta1: 0.67, theta2: 0.3 });
    const second = await applyTheta({
      ...base,
      expectedBasis: now.basis,
      proposed: { theta1: 0.6, theta2: 0.3 },
      oosTrades: 200,
      runId: 'a2',
    });
    // from 0.67: 0.3·(−0.07) = −0.021 → 0.649
    expect(second.applied.theta1).toBe(0.649);
    expect(second.old).toEqual({ theta1: 0.67, theta2: 0.3, source: first.record!.file });
    const lines = await auditLines();
    expect(lines.map((l) => l.json.action)).toEqual(['theta.hold', 'theta.apply', 'theta.apply']);
    expect(lines[0]!.json.prev_sha256).toBeNull();
    expect(lines[1]!.json.prev_sha256).toBe(sha(lines[0]!.text));
    expect(lines[2]!.json.prev_sha256).toBe(sha(lines[1]!.text));
    expect((await latestAppliedTheta(dir, { keys }))!.record.theta1).toBe(0.649);
  });

  it('refuses a run whose starting θ is no longer in force (CORE_THETA_CHANGED), with a refused line', async () => {
    const base = { versionDir: dir, modelTheta, keys, improvementCi: ci, tradesMin: 150, oosTrades: 200 };
    await applyTheta({ ...base, expectedBasis: null, proposed: { theta1: 0.6, theta2: 0.3 }, runId: 'w' });
    const e = await applyTheta({
      ...base,
      expectedBasis: null,
      proposed: { theta1: 0.8, theta2: 0.3 },
      runId: 'l',
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(PtError);
    expect((e as PtError).id).toBe('CORE_THETA_CHANGED');
    const lines = await auditLines();
    expect(lines.map((l) => [l.json.run_id, l.json.action])).toEqual([
      ['w', 'theta.apply'],
      ['l', 'theta.refused'],
    ]);
    expect((await latestAppliedTheta(dir, { keys }))!.record.run_id).toBe('w');
  });

  it('refuses to apply over a tampered record (CORE_THETA_SIGNATURE), writing nothing', async () => {
    const base = { versionDir: dir, modelTheta, keys, improvementCi: ci, tradesMin: 150, oosTrades: 200 };
    const r = await applyTheta({ ...base, expectedBasis: null, proposed: { theta1: 0.6, theta2: 0.3 }, runId: 'w' });
    const text = await readFile(r.record!.path, 'utf8');
    await writeFile(r.record!.path, text.replace('"theta1": 0.67', '"theta1": 0.61'));
    const e = await applyTheta({
      ...base,
      expectedBasis: r.record!.file,
      proposed: { theta1: 0.6, theta2: 0.3 },
      runId: 'x',
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((e as PtError).id).toBe('CORE_THETA_SIGNATURE');
    expect((await auditLines()).length).toBe(1);
  });
});

function child(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolveRun) => {
    const p = spawn(process.execPath, [join(repoRoot, 'test/helpers/applyThetaChild.mjs'), ...args], {
      env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => resolveRun({ code, out, err }));
  });
}

describe('--apply racing another --apply (two real processes)', () => {
  it('one wins, the other fails cleanly with CORE_THETA_CHANGED, and the audit has both lines', async () => {
    const go = join(tmp.path, 'go');
    const env = { PT_MODEL_SIGNING_KEY: pair.privatePem, PT_MODEL_VERIFY_KEY: '', SERVICE_ENV: '' };
    const runs = [child([dir, '0.6', '0.35', 'racer-a', go], env), child([dir, '0.8', '0.25', 'racer-b', go], env)];
    await new Promise((r) => setTimeout(r, 300)); // both started and polling for the go file
    await writeFile(go, '');
    const results = await Promise.all(runs);
    const parsed = results.map(
      (r) => JSON.parse(r.out.trim()) as { decision?: string; record?: string; error?: string },
    );
    expect(results.map((r) => r.err)).toEqual(['', '']);
    expect(parsed.filter((p) => p.decision === 'apply')).toHaveLength(1);
    expect(parsed.filter((p) => p.error === 'CORE_THETA_CHANGED')).toHaveLength(1);
    expect(results.map((r) => r.code).sort()).toEqual([0, 3]);
    const lines = await auditLines();
    expect(lines.map((l) => l.json.action).sort()).toEqual(['theta.apply', 'theta.refused']);
    expect(lines[1]!.json.prev_sha256).toBe(sha(lines[0]!.text));
    const winner = parsed.find((p) => p.decision === 'apply')!;
    const latest = (await latestAppliedTheta(dir, { keys }))!;
    expect(latest.file).toBe(winner.record);
    expect(await readdir(join(dir, 'applied'))).toEqual([winner.record, `${winner.record}.sig`]);
  });
});
