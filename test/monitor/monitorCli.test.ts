// pt monitor as a user starts it (the built CLI), up to the point a terminal is needed: an ops folder
// that is not there is refused at start, before the screen, with the folder named and the way out.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runPt } from '../helpers/runPt.js';

const dir = mkdtempSync(join(tmpdir(), 'pt-monitor-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// No REDIS_URL: the files bus, as on a machine without Redis.
const env = { PT_CONFIG_DIR: join(repoRoot, 'config'), REDIS_URL: '' };

describe('pt monitor on the files bus', () => {
  it('--ops-dir of a folder that does not exist: one error line naming it, non-zero, no screen', () => {
    const missing = join(dir, 'no-such-ops');
    const r = runPt(['monitor', '--ops-dir', missing], env, dir);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `ERROR UI_MONITOR_NOOPSDIR: no ops folder at ${missing}: pass the one the shards write with --ops-dir (signals_policy.yaml ops_dir), --replay for a replay's, or --redis URL / REDIS_URL for Redis`,
    );
  });

  it('--replay without a replay run, and a path that is a file, are refused the same way', () => {
    const replay = runPt(['monitor', '--replay'], env, dir);
    expect(replay.code).not.toBe(0);
    expect(replay.stderr).toMatch(
      new RegExp(`^ERROR UI_MONITOR_NOOPSDIR: no ops folder at ${join(dir, 'data', 'replay', 'ops')}: `),
    );
    const file = join(dir, 'ops.txt');
    writeFileSync(file, 'not a folder\n');
    const r = runPt(['monitor', '--ops-dir', file], env, dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^ERROR UI_MONITOR_NOOPSDIR: no ops folder at .*ops\.txt: /);
  });

  it('an ops folder that exists passes the check: without a terminal the next refusal is UI_MONITOR_NOTTY', () => {
    const ops = join(dir, 'ops');
    mkdirSync(ops);
    const r = runPt(['monitor', '--ops-dir', ops], env, dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^ERROR UI_MONITOR_NOTTY: /);
  });
});
