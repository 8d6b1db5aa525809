// End-to-end parity on real data: the bundled XAUUSD/XAGUSD and AUDUSD/USDCAD bars (ingested as a user
// would), one signed model version (real ONNX, untrained), `pt parity` = pt live --replay + pt paper
// against pt bt run: identical trades (pair, side, entry and exit fill, lots per leg) and P&L within
// cost rounding. Again with pt live SIGKILLed twice mid-period and restarted; and a backtest with
// another θ must be told apart (exit 1, the trades listed), so the comparison is not vacuous.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readParquetTable } from '../../src/adapters/duckdb/index.js';
import { readHistoryFiles } from '../../src/paper/readHistoryFiles.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.js';
import { SAMPLE } from '../../src/cli/commands/quickstart.js';
import { SeededRng } from '../../src/core/rng.js';
import { bundledPair } from '../helpers/bundledPairs.js';
import { writeRandomModelVersion } from '../helpers/randomModelVersion.js';
import { repoRoot, runPt, runPtAsync } from '../helpers/runPt.js';

const SHARD = 5;
const DAY = 86_400_000;
const PAIRS = ['XAUUSD_XAGUSD', 'AUDUSD_USDCAD'];
const PERIOD = ['--from', '2021-09-01', '--to', '2022-03-01'];
/** A what-if θ at which the untrained model trades often enough to compare. */
const THETA = ['--theta1', '0.3', '--theta2', '0.7'];
const env = { PT_MODEL_SIGNING_KEY: '', PT_MODEL_VERIFY_KEY: '', SERVICE_ENV: '', REDIS_URL: '' };
let dir = '';
let configDir = '';
let modelDir = '';

const pt = (args: string[]) => runPt(['-c', configDir, ...args], { HOME: dir, ...env }, dir);
const parity = (extra: string[]) =>
  pt(['parity', '--shard', String(SHARD), ...PERIOD, '--model-dir', modelDir, ...THETA, ...extra]);

/** `trades: N identical …` of a parity run. */
const identical = (stdout: string): number => Number(/^trades: (\d+) identical/m.exec(stdout)?.[1] ?? -1);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pt-parity-'));
  configDir = join(dir, 'config');
  cpSync(join(repoRoot, 'config'), configDir, { recursive: true });
  // The two bundled pairs alone in a shard of a config copy.
  const universe = join(configDir, 'universe.yaml');
  let text = readFileSync(universe, 'utf8');
  for (const id of PAIRS)
    text = text.replace(new RegExp(`(pair_id: "${id}"\\n\\s+group: "\\w+"\\n\\s+shard: )\\d+`), `$1${SHARD}`);
  expect(text.match(new RegExp(`shard: ${SHARD}\\n`, 'g'))?.length).toBe(2);
  writeFileSync(universe, text);
  for (const s of SAMPLE.filter((x) => PAIRS.some((p) => p.split('_').includes(x.symbol)))) {
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
      '2020-06-01',
      '--to',
      '2022-03-01',
      '--path',
      join(repoRoot, 'data', 'sample', s.file),
      '--tz',
      s.tz,
      ...scale,
    ]);
    expect(r.code, r.stderr).toBe(0);
  }
  const config = loadConfig(configDir);
  modelDir = (await writeRandomModelVersion(config, await bundledPair('XAUUSD_XAGUSD'), join(dir, 'models'), dir, 5))
    .dir;
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pt parity on real data', () => {
  let reference = -1;

  it('pt live --replay + pt paper trade exactly as pt bt run over the same bars, model and θ', () => {
    const r = parity([]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^parity: identical$/m);
    expect(r.stdout).toMatch(
      /, 0 only in paper, 0 only in the backtest, \d+ backtest trades entered before the period/,
    );
    expect(r.stdout).toMatch(/^largest net P&L difference: \S+ USD \(/m);
    reference = identical(r.stdout);
    expect(reference).toBeGreaterThanOrEqual(8);
    // pt paper wrote what pt live reads, and the EA's fills log: two legs per fill, two fills per trade.
    const out = join(dir, 'data', 'replay', 'parity', `shard_${SHARD}`);
    const account = JSON.parse(readFileSync(join(out, 'account.json'), 'utf8')) as { positions: object };
    expect(Object.keys(account.positions).sort()).toEqual([...PAIRS].sort());
    const fills = readFileSync(join(out, 'paper', 'fills.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(fills.length - 1).toBe(4 * reference);
  }, 240_000);

  it('the same trades with pt live SIGKILLed twice mid-period and restarted', async () => {
    const signals = join(dir, 'sig-killed');
    const args = ['-c', configDir, 'live', '--shard', String(SHARD), '--replay', ...PERIOD, '--model-dir', modelDir];
    const run = [...args, ...THETA, '--signal-dir', signals];
    const rng = new SeededRng(18);
    let kills = 0;
    for (let k = 0; k < 2; k++) {
      let pid = 0;
      const history = join(signals, 'history');
      const child = runPtAsync(run, { env: { HOME: dir, ...env }, cwd: dir, onStart: (p) => (pid = p) });
      // Killed once it has written some history, at a random moment after that.
      const killer = (async () => {
        while (!existsSync(history)) await new Promise((d) => setTimeout(d, 50));
        await new Promise((d) => setTimeout(d, 300 + rng.next() * 1500));
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // It finished first: not a kill (counted below).
        }
      })();
      const [r] = await Promise.all([child, killer]);
      if (r.code !== 0) kills++;
    }
    expect(kills).toBe(2);
    const last = runPt(run, { HOME: dir, ...env }, dir);
    expect(last.code, last.stderr).toBe(0);
    const r = parity(['--no-live', '--signal-dir', signals, '--out', join(dir, 'parity-killed')]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(identical(r.stdout)).toBe(reference);
  }, 240_000);

  it('pt paper following signal.json acts on every new file as the history run did, and a SIGKILL of it duplicates no fill', async () => {
    const parityOut = join(dir, 'data', 'replay', 'parity', `shard_${SHARD}`);
    const historyFills = readFileSync(join(parityOut, 'paper', 'fills.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    // A window around the first trade, flat at both ends: its fills are the history run's.
    const [firstOpen, firstClose] = [historyFills[0]!, historyFills[2]!].map((l) => Date.parse(l.split(',')[0]!));
    const from = firstOpen! - 2 * DAY;
    const to = firstClose! + 2 * DAY;
    const files = await readHistoryFiles(join(parityOut, 'signals', 'history'), SHARD, readParquetTable, from, to);
    expect(files.length).toBeGreaterThan(24);
    const followDir = join(dir, 'follow');
    const signalPath = join(followDir, `shard_${SHARD}`, 'signal.json');
    const statePath = join(followDir, 'paper', `shard_${SHARD}`, 'state.json');
    mkdirSync(dirname(signalPath), { recursive: true });
    const args = ['-c', configDir, 'paper', '--shard', String(SHARD), '--signal-dir', followDir, '--clock', 'bar'];
    const follow = [...args, '--poll-ms', '5', '--account', join(followDir, 'account.json')];
    let pid = 0;
    const start = () => runPtAsync(follow, { env: { HOME: dir, ...env }, cwd: dir, onStart: (p) => (pid = p) });
    let paper = start();
    const lastSeq = (): number => {
      try {
        return (JSON.parse(readFileSync(statePath, 'utf8')) as { intake: { last_seq: number } }).intake.last_seq;
      } catch {
        return 0; // not written yet, or being replaced
      }
    };
    for (const [k, f] of files.entries()) {
      writeFileSync(`${signalPath}.tmp`, JSON.stringify(f));
      renameSync(`${signalPath}.tmp`, signalPath);
      const deadline = Date.now() + 30_000;
      while (lastSeq() < f.seq && Date.now() < deadline) await new Promise((d) => setTimeout(d, 5));
      expect(lastSeq(), `file ${k} (seq ${f.seq}) was not taken`).toBe(f.seq);
      if (k === Math.floor(files.length / 2)) {
        process.kill(pid, 'SIGKILL');
        expect((await paper).code).not.toBe(0);
        paper = start();
      }
    }
    process.kill(pid, 'SIGTERM');
    const done = await paper;
    expect(done.code, done.stderr).toBe(0);
    const fills = readFileSync(join(followDir, 'paper', `shard_${SHARD}`, 'fills.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    // Tickets 1, 2, 3, … once each: the restart appended nothing twice.
    expect(fills.map((l) => Number(l.split(',')[10]))).toEqual(fills.map((_, i) => i + 1));
    const withoutTickets = (l: string) =>
      l
        .split(',')
        .filter((_, c) => c !== 10 && c !== 11)
        .join(',');
    const inWindow = historyFills.filter((l) => {
      const t = Date.parse(l.split(',')[0]!);
      return t >= from && t < to;
    });
    expect(inWindow.length).toBeGreaterThanOrEqual(4);
    expect(fills.map(withoutTickets)).toEqual(inWindow.map(withoutTickets));
  }, 240_000);

  it('tells a backtest with another θ apart: exit 1, OPS_PARITY_BROKEN, the differing trades listed', () => {
    const signals = join(dir, 'data', 'replay', 'parity', `shard_${SHARD}`, 'signals');
    const r = pt([
      'parity',
      '--shard',
      String(SHARD),
      ...PERIOD,
      '--model-dir',
      modelDir,
      '--theta1',
      '0.25',
      '--theta2',
      '0.75',
      '--no-live',
      '--signal-dir',
      signals,
      '--out',
      join(dir, 'parity-other-theta'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ERROR OPS_PARITY_BROKEN: /m);
    expect(r.stdout).toMatch(/^ {2}only backtest: (XAUUSD_XAGUSD|AUDUSD_USDCAD) /m);
  }, 240_000);
});
