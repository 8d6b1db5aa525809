// pt ops audit verify as a user runs it: a good log prints its head hash (or only that, --anchor); a
// 1-byte edit fails naming the line; a missing log is one clear line.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/ops/audit/appendAudit.js';
import { repoRoot, runPt } from '../helpers/runPt.js';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pt-audit-cli-'));
  // where config/runbook_policy.yaml's audit_log_path (data/ops/audit.jsonl) points from `dir`
  path = join(dir, 'data', 'ops', 'audit.jsonl');
  for (const [action, reason] of [
    ['ops.halt', 'CPI release'],
    ['ops.flatten', 'CPI release'],
    ['ops.resume', 'released'],
  ] as const)
    await appendAudit(path, { action, scope: 'portfolio', reason, before: null, after: null, actor: 'oncall' });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const env = { PT_CONFIG_DIR: join(repoRoot, 'config') };

describe('pt ops audit verify', () => {
  it('a good log at the configured path: exit 0, the entry count and the head hash', async () => {
    const head = sha((await readFile(path, 'utf8')).split('\n')[2]!);
    const r = runPt(['ops', 'audit', 'verify'], env, dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`audit log ${path}: 3 entries, chain intact, head ${head}\n`);
    const anchor = runPt(['ops', 'audit', 'verify', '--anchor'], env, dir);
    expect([anchor.code, anchor.stdout, anchor.stderr]).toEqual([0, `${head}\n`, '']);
  });

  it('a 1-byte edit: exit 1, one OPS_AUDIT_BROKEN line naming the edited line', async () => {
    const text = await readFile(path, 'utf8');
    const at = text.indexOf('"ops.flatten"') + 5;
    await writeFile(path, `${text.slice(0, at)}F${text.slice(at + 1)}`); // ops.flatten → ops.Flatten
    const r = runPt(['ops', 'audit', 'verify', '--path', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `ERROR OPS_AUDIT_BROKEN: audit log ${path}: line 2 does not match its own entry_sha256: the line was edited\n`,
    );
    // --anchor never prints the head of a broken chain
    expect(runPt(['ops', 'audit', 'verify', '--path', path, '--anchor']).stdout).toBe('');
  });

  it('a missing log: exit 1, one OPS_AUDIT_MISSING line naming the path', () => {
    const missing = join(dir, 'nowhere', 'audit.jsonl');
    const r = runPt(['ops', 'audit', 'verify', '--path', missing]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `ERROR OPS_AUDIT_MISSING: no audit log at ${missing} (nothing recorded yet, or the file was removed); --path names another file\n`,
    );
  });
});
