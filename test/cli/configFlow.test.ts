// pt config propose → approve → merge → apply → rollback as a user runs them, on a real git repository
// in a temp folder (a copy of config/): five audit entries in a log that verifies, config/ back byte for byte.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditFile } from '../../src/ops/audit/verifyAuditLog.js';
import { repoRoot, runPt } from '../helpers/runPt.js';

let dir = '';
const env = { REDIS_URL: '', SERVICE_ENV: '' };
// The repository is the working folder: pt reads its config/ and writes data/ops/ (audit log, reload file) there.
const pt = (args: string[]) => runPt(args, { HOME: dir, PT_CONFIG_DIR: join(dir, 'config'), ...env }, dir);
const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
  }).trim();
const changed = () => join(dir, 'config', 'analytics_policy.yaml');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-config-cli-'));
  cpSync(join(repoRoot, 'config'), join(dir, 'config'), { recursive: true });
  writeFileSync(join(dir, '.gitignore'), 'data/\nedited/\n');
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'config');
  // The editor's copy of config/ with one change.
  cpSync(join(dir, 'config'), join(dir, 'edited'), { recursive: true });
  const text = readFileSync(join(dir, 'edited', 'analytics_policy.yaml'), 'utf8');
  expect(text).toContain('trading_page: 15,');
  writeFileSync(join(dir, 'edited', 'analytics_policy.yaml'), text.replace('trading_page: 15,', 'trading_page: 30,'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pt config propose → approve → merge → apply → rollback', () => {
  it('runs the workflow end to end: five audit entries, config/ back byte for byte', () => {
    const before = readFileSync(changed());

    const proposed = pt([
      'config',
      'propose',
      '--from',
      'edited',
      '--title',
      'slower trading page',
      '--actor',
      'alice',
    ]);
    expect(proposed.stderr).toBe('');
    expect(proposed.code).toBe(0);
    expect(proposed.stdout).toMatch(
      /^proposed cfg-1 on branch config\/cfg-1 \([0-9a-f]{12}\): analytics_policy\.yaml; risk normal, needs 1 approval/,
    );
    expect(proposed.stdout).toContain('analytics_policy.yaml refresh_intervals_seconds: {"trading_page":15,');
    expect(proposed.stdout).toContain('validation: config OK');

    // Refusals change nothing and write no entry.
    const self = pt(['config', 'approve', 'cfg-1', '--actor', 'alice']);
    expect(self.code).toBe(1);
    expect(self.stderr).toMatch(/^ERROR OPS_CONFIG_SELF: alice proposed cfg-1 and cannot approve it/);
    const early = pt(['config', 'merge', 'cfg-1', '--actor', 'bob']);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(
      /^ERROR OPS_CONFIG_APPROVALS: cfg-1 has 0 approval\(s\); its normal-risk change needs 1/,
    );

    const approved = pt(['config', 'approve', 'cfg-1', '--actor', 'bob', '--checklist-url', 'https://wiki/cl/1']);
    expect(approved.stdout).toMatch(/^cfg-1 approved by bob \(1 of 1\); status approved: ready to merge; audit entry/);

    const merged = pt(['config', 'merge', 'cfg-1', '--actor', 'bob']);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toMatch(/^merged cfg-1 \(config\/cfg-1\) into main: [0-9a-f]{40}/);
    expect(git('rev-parse', 'HEAD^2')).toBe(git('rev-parse', 'config/cfg-1'));

    const applied = pt(['config', 'apply', 'cfg-1', '--actor', 'bob', '--env', 'prod']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(
      /^applied cfg-1 as config-v1 \(\d{8}_\d{4}_[0-9a-f]{7}\) to prod: checksum [0-9a-f]{64}/,
    );
    expect(applied.stdout).toMatch(/^reload: .*data\/ops\/reload written$/m);
    expect(existsSync(join(dir, 'data', 'ops', 'reload'))).toBe(true);
    expect(readFileSync(changed(), 'utf8')).toContain('trading_page: 30,');
    expect(git('tag', '--list', 'config-v*').split('\n')).toEqual(['config-v0', 'config-v1']);

    const back = pt(['config', 'rollback', '--actor', 'carol', '--reason', 'too slow', '--env', 'prod']);
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(/^rolled back config-v1 → config-v0: main at [0-9a-f]{12}/);
    expect(Buffer.compare(readFileSync(changed()), before)).toBe(0);
    expect(git('status', '--porcelain')).toBe('');

    const audit = pt(['config', 'audit', '--json']);
    expect(audit.code).toBe(0);
    const { entries, chain } = JSON.parse(audit.stdout) as {
      entries: { action: string; actor: string }[];
      chain: { ok: boolean };
    };
    expect(chain.ok).toBe(true);
    expect(entries.map((e) => `${e.action} ${e.actor}`)).toEqual([
      'config.propose alice',
      'config.approve bob',
      'config.merge bob',
      'config.apply bob',
      'config.rollback carol',
    ]);
    const text = pt(['config', 'audit', '--step', 'apply']);
    expect(text.stdout).toMatch(/config\.apply\s+bob\s+cfg-1\s+config-v1\s+analytics_policy\.yaml\s+prod/);
    expect(text.stdout).toContain('1 config workflow entry in');
    const listed = pt(['config', 'audit', '--proposals']);
    expect(listed.stdout).toMatch(/^cfg-1\s+rolled_back\s+by alice\s+risk normal \(1\/1 approvals\)/);
    expect(listed.stdout).toMatch(/^config-v1 .* bob\s+prod\s+rolled back to config-v0$/m);
  });

  it('the audit log verifies with pt ops audit verify: the five entries', async () => {
    expect((await verifyAuditFile(join(dir, 'data', 'ops', 'audit.jsonl'))).ok).toBe(true);
    const r = pt(['ops', 'audit', 'verify']);
    expect(r.stdout).toMatch(/: 5 entries, chain intact/);
  });

  it('an unknown id, a bad id and a rollback with nothing before are refused', () => {
    expect(pt(['config', 'merge', 'cfg-9']).stderr).toMatch(/^ERROR OPS_CONFIG_UNKNOWN/);
    const bad = pt(['config', 'apply', 'nine']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^ERROR CORE_CLI_USAGE: a proposal id looks like cfg-3/);
    const none = pt(['config', 'rollback']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^ERROR OPS_CONFIG_NOPREV/);
  });
});
