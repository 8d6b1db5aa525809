// globalSetup of the e2e tier: builds dist/, then the fixtures several e2e files share, made once per run:
// a store of the synthetic pair SYNA/SYNB (1h, 2022–2024) and one model trained on it by `pt train`.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

export interface SharedFixtures {
  /** A folder holding `data/` (the synthetic store) and `models/` (the trained version); copy before writing. */
  root: string;
  dataDir: string;
  modelDir: string;
  modelVersion: string;
  /** What `pt train` printed while making the model. */
  trainStdout: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    fixtures: SharedFixtures;
  }
}

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

function pt(args: string[], cwd: string): string {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin/pt.js'), '-c', join(repoRoot, 'config'), ...args], {
    cwd,
    env: { ...process.env, HOME: cwd, PT_MODEL_SIGNING_KEY: '', PT_MODEL_VERIFY_KEY: '', SERVICE_ENV: '' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`shared fixture: pt ${args.join(' ')} exited ${r.status}\n${r.stderr}`);
  return r.stdout;
}

export default function setup(project: TestProject): () => void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit', cwd: repoRoot });
  const root = mkdtempSync(join(tmpdir(), 'pt-e2e-fixtures-'));
  const range = ['--from', '2022-01-01', '--to', '2025-01-01'];
  pt(['ingest', '--source', 'synthetic', '--symbols', 'SYNA,SYNB', '--timeframe', '1h', ...range], root);
  const trainStdout = pt(['train', '--group', 'synthetic', '--timeframe', '1h'], root);
  const modelVersion = readdirSync(join(root, 'models')).find((v) => /^\d{8}_\d{4}_[0-9a-f]{7}$/.test(v));
  if (!modelVersion) throw new Error('shared fixture: pt train wrote no model version');
  project.provide('fixtures', {
    root,
    dataDir: join(root, 'data'),
    modelDir: join(root, 'models', modelVersion),
    modelVersion,
    trainStdout,
  });
  return () => rmSync(root, { recursive: true, force: true });
}
