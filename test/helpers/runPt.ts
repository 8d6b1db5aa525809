// Runs the built CLI as a user would (node bin/pt.js …) and captures its output.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface PtRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runPt(args: string[], env: NodeJS.ProcessEnv = {}, cwd = repoRoot): PtRun {
  const started = performance.now();
  const r = spawnSync(process.execPath, [`${repoRoot}bin/pt.js`, ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - started };
}

export interface PtAsyncOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called with the child's pid once it runs. */
  onStart?: (pid: number) => void;
  /** Called with all of stderr so far, each time more arrives. */
  onStderr?: (stderr: string) => void;
}

/** `runPt` without blocking this process: for runs alongside others, or against a server of this process. */
export function runPtAsync(args: string[], o: PtAsyncOptions = {}): Promise<PtRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [`${repoRoot}bin/pt.js`, ...args], {
      cwd: o.cwd ?? repoRoot,
      env: { ...process.env, ...o.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      o.onStderr?.(stderr);
    });
    child.on('error', reject);
    child.on('spawn', () => o.onStart?.(child.pid!));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - started }));
  });
}
