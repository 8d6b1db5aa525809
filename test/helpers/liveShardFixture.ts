// A live shard to test against, set up as a user would: a copy of config/ with the bundled XAUUSD/XAGUSD and
// AUDUSD/USDCAD pairs moved into a shard of their own and a Redis key prefix of its own, their bundled bars
// ingested from data/sample, and a signed random-weight model (real ONNX) for the group.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { SAMPLE } from '../../src/cli/commands/quickstart.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { bundledPair } from './bundledPairs.js';
import { writeRandomModelVersion } from './randomModelVersion.js';
import { repoRoot, runPt, runPtAsync, type PtRun } from './runPt.js';

export const BUNDLED_LIVE_PAIRS = ['XAUUSD_XAGUSD', 'AUDUSD_USDCAD'] as const;

export interface LiveShardFixtureOptions {
  /** The temp folder's name prefix (e.g. `pt-opslive-`). */
  tag: string;
  shard: number;
  /** The pairs moved into the shard (default both bundled pairs). */
  pairs?: readonly string[];
  /** The random model's seed (default 5). */
  modelSeed?: number;
  /** signals_policy.redis_key_prefix of the copy: the test's own keys, never a real shard's. */
  redisPrefix: string;
  /** Ingest window (inclusive from, exclusive to), e.g. 2021-04-01 … 2021-09-01. */
  from: string;
  to: string;
  /** Environment every run gets (keys emptied so the machine's own settings do not leak in). */
  env?: NodeJS.ProcessEnv;
  /** Edits of the copied config files before anything runs: file name → text → new text. */
  editConfig?: Record<string, (text: string) => string>;
}

export interface LiveShardFixture {
  dir: string;
  configDir: string;
  modelDir: string;
  pt(args: string[], extraEnv?: NodeJS.ProcessEnv): PtRun;
  ptAsync(args: string[], extraEnv?: NodeJS.ProcessEnv, onStart?: (pid: number) => void): Promise<PtRun>;
}

export const ISOLATED_ENV: NodeJS.ProcessEnv = {
  PT_MODEL_SIGNING_KEY: '',
  PT_MODEL_VERIFY_KEY: '',
  SERVICE_ENV: '',
  REDIS_URL: '',
};

export async function makeLiveShardFixture(o: LiveShardFixtureOptions): Promise<LiveShardFixture> {
  const pairs = o.pairs ?? BUNDLED_LIVE_PAIRS;
  const dir = mkdtempSync(join(tmpdir(), o.tag));
  const configDir = join(dir, 'config');
  const env = { HOME: dir, ...ISOLATED_ENV, ...o.env };
  const pt = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): PtRun =>
    runPt(['-c', configDir, ...args], { ...env, ...extraEnv }, dir);
  const ptAsync = (args: string[], extraEnv: NodeJS.ProcessEnv = {}, onStart?: (pid: number) => void) =>
    runPtAsync(['-c', configDir, ...args], { env: { ...env, ...extraEnv }, cwd: dir, onStart });

  cpSync(join(repoRoot, 'config'), configDir, { recursive: true });
  const edit = (file: string, change: (text: string) => string) => {
    const path = join(configDir, file);
    writeFileSync(path, change(readFileSync(path, 'utf8')));
  };
  edit('universe.yaml', (text) => {
    for (const id of pairs)
      text = text.replace(new RegExp(`(pair_id: "${id}"\\n\\s+group: "\\w+"\\n\\s+shard: )\\d+`), `$1${o.shard}`);
    return text;
  });
  edit('signals_policy.yaml', (text) =>
    text.replace(/(redis_key_prefix:\s*\{\s*value:\s*)"?core"?/, `$1"${o.redisPrefix}"`),
  );
  for (const [file, change] of Object.entries(o.editConfig ?? {})) edit(file, change);
  const config = loadConfig(configDir);
  expect(config.signals_policy.redis_key_prefix).toBe(o.redisPrefix);
  expect(config.universe.pairs.filter((p) => p.shard === o.shard).map((p) => p.pair_id)).toEqual([...pairs]);

  for (const s of SAMPLE.filter((x) => pairs.some((p) => p.split('_').includes(x.symbol)))) {
    const scale = 'priceScale' in s ? ['--price-scale', String(s.priceScale)] : [];
    const r = pt([
      'ingest',
      '--source',
      'csv',
      '--symbols',
      s.symbol,
      '--timeframe',
      '1h',
      '--from',
      o.from,
      '--to',
      o.to,
      '--path',
      join(repoRoot, 'data', 'sample', s.file),
      '--tz',
      s.tz,
      ...scale,
    ]);
    expect(r.code, r.stderr).toBe(0);
  }
  const modelDir = (
    await writeRandomModelVersion(config, await bundledPair('XAUUSD_XAGUSD'), join(dir, 'models'), dir, 5)
  ).dir;
  return { dir, configDir, modelDir, pt, ptAsync };
}
