// Runs the built CLI as a user would (node bin/pt.js …) and captures its output.
import { spawnSync } from 'node:child_process';
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
