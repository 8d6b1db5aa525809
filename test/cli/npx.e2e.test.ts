// `npx pt` on a fresh copy of the repository: npm ci, then calls killed part-way, then a normal call.
// npm 11's npx installs a project into its npx cache whenever the project's own package.json declares the bin
// asked for, and a call killed mid-install leaves a broken cache entry (ENOENT, exit 254, ever after). So the
// root declares no bin: bin/package.json does, linked in as the "pt-bin": "file:bin" dependency, and npx runs
// node_modules/.bin/pt directly.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/runPt.js';

let clone = '';
let npxCache = '';
const npx = (args: string[]) =>
  spawnSync('npx', args, { cwd: clone, encoding: 'utf8', env: { ...process.env, npm_config_cache: npxCache } });

/** Starts `npx pt --help` and kills it with SIGKILL after `ms`. */
function killedAfter(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['pt', '--help'], {
      cwd: clone,
      env: { ...process.env, npm_config_cache: npxCache },
      stdio: 'ignore',
      detached: true,
    });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already done
      }
    }, ms);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('npx pt on a fresh copy', () => {
  beforeAll(() => {
    // A fresh clone of the working tree: the files git tracks (or would), nothing built, no node_modules.
    clone = mkdtempSync(join(tmpdir(), 'pt-npx-'));
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: repoRoot,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((f) => f && existsSync(join(repoRoot, f)));
    for (const f of files) {
      mkdirSync(join(clone, dirname(f)), { recursive: true });
      cpSync(join(repoRoot, f), join(clone, f));
    }
    const ci = spawnSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: clone,
      encoding: 'utf8',
    });
    expect(ci.status, ci.stderr).toBe(0);
    // Its own cache for the npx calls: whatever npx would install shows up here.
    npxCache = mkdtempSync(join(tmpdir(), 'pt-npx-cache-'));
  }, 300_000);

  afterAll(() => {
    if (clone) rmSync(clone, { recursive: true, force: true });
    if (npxCache) rmSync(npxCache, { recursive: true, force: true });
  });

  it('links pt into node_modules/.bin', () => {
    expect(existsSync(join(clone, 'node_modules', '.bin', 'pt'))).toBe(true);
  });

  it('an interrupted first call does not break later ones, and npm prints no warning', async () => {
    for (const ms of [30, 150, 400, 1000]) await killedAfter(ms);
    const r = npx(['pt', '--help']);
    expect(r.stderr).not.toMatch(/npm (warn|error|ERR)/i);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: pt');
    // npx found pt in the project: nothing was installed into its cache
    expect(existsSync(join(npxCache, '_npx')) ? readdirSync(join(npxCache, '_npx')) : []).toEqual([]);
  });

  it('timeout 1 npx pt --help; npx pt --help exits 0', () => {
    spawnSync('timeout', ['1', 'npx', 'pt', '--help'], {
      cwd: clone,
      env: { ...process.env, npm_config_cache: npxCache },
    });
    const r = npx(['pt', '--version']);
    expect(r.stderr).not.toMatch(/npm (warn|error|ERR)/i);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('onnxruntime-node did not download its CUDA files', () => {
    const bin = join(clone, 'node_modules/onnxruntime-node/bin/napi-v6/linux/x64');
    const files = existsSync(bin) ? readdirSync(bin) : [];
    expect(files.filter((f) => /cuda|tensorrt/i.test(f))).toEqual([]);
  });
});
