// pt monitor's exit status in a real terminal (tmux): q is a normal end (0), Ctrl-C an interrupt
// (130 = 128 + SIGINT), as a script or shell that started it reads them.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOpsDir } from '../helpers/monitorFixtures.js';
import { repoRoot } from '../helpers/runPt.js';
import { isCi } from '../helpers/services.js';

const SOCKET = `ptmonexit-${process.pid}`;
const sleep = (ms: number) => new Promise((d) => setTimeout(d, ms));
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'pt-monitor-exit-'));
const opsDir = join(dir, 'ops');

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });

beforeAll(async () => {
  if (isCi && !hasTmux) throw new Error('tmux is not installed, and CI=true requires it (.ci/run installs it)');
  await writeOpsDir(opsDir);
});
afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  rmSync(dir, { recursive: true, force: true });
});

async function until<T>(read: () => T | undefined, what: string, ms = 30_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(200)) {
    const v = read();
    if (v !== undefined) return v;
  }
  throw new Error(`no ${what} within ${ms} ms`);
}

/** Starts the monitor in a tmux session, waits for its screen, sends `keys`, returns its exit status. */
async function exitStatusAfter(session: string, keys: string): Promise<number> {
  const statusFile = join(dir, `${session}.status`);
  const monitor = [
    'env -u CI TERM=xterm-256color',
    `PT_CONFIG_DIR=${join(repoRoot, 'config')}`,
    'REDIS_URL=',
    process.execPath,
    join(repoRoot, 'bin', 'pt.js'),
    'monitor --ops-dir',
    opsDir,
  ].join(' ');
  tmux(
    'new-session',
    '-d',
    '-s',
    session,
    '-x',
    '100',
    '-y',
    '30',
    '-c',
    dir,
    `sh -c '${monitor}; echo $? > ${statusFile}'`,
  );
  // Keys only once the screen is up: before Ink takes the terminal, Ctrl-C would be a plain SIGINT.
  await until(() => (/pt monitor/.test(tmux('capture-pane', '-p', '-t', session)) ? true : undefined), 'screen');
  await sleep(500);
  tmux('send-keys', '-t', session, keys);
  return until(
    () => (existsSync(statusFile) ? Number(readFileSync(statusFile, 'utf8').trim()) : undefined),
    'exit status',
  );
}

describe('pt monitor exit status in a terminal', () => {
  it('q exits 0; Ctrl-C exits 130', async () => {
    if (!hasTmux) return;
    expect(await exitStatusAfter('quit', 'q')).toBe(0);
    expect(await exitStatusAfter('interrupt', 'C-c')).toBe(130);
  });
});
