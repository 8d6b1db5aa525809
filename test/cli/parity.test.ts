// End-to-end parity on real data: the bundled XAUUSD/XAGUSD and AUDUSD/USDCAD bars (ingested as a user
// would), one signed model version (real ONNX, untrained), `pt parity` = pt live --replay + pt paper
// against pt bt run: identical trades (pair, side, entry and exit fill, lots per leg) and P&L within
// cost rounding. Again with pt live SIGKILLed twice mid-period and restarted; and a backtest with
// another θ must be told apart (exit 1, the trades listed), so the comparison is not vacuous.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readParquetTable } from '../../src/adapters/duckdb/index.js';
import { openSqliteLiveCache } from '../../src/adapters/sqlite/sqliteLiveCache.js';
import { readHistoryFiles } from '../../src/paper/readHistoryFiles.js';
import { accountSchemaViolation } from '../../src/model/accountSchema.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRng } from '../../src/core/rng.js';
import { ISOLATED_ENV, makeLiveShardFixture, type LiveShardFixture } from '../helpers/liveShardFixture.js';
import { runPt, runPtAsync } from '../helpers/runPt.js';

const SHARD = 5;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const PAIRS = ['XAUUSD_XAGUSD', 'AUDUSD_USDCAD'];
const PERIOD = ['--from', '2021-09-01', '--to', '2022-03-01'];
/** A what-if θ at which the untrained model trades often enough to compare. */
const THETA = ['--theta1', '0.3', '--theta2', '0.7'];
const env = ISOLATED_ENV;
let fx: LiveShardFixture;
let dir = '';
let configDir = '';
let modelDir = '';

const pt = (args: string[]) => fx.pt(args);
const parity = (extra: string[]) =>
  pt(['parity', '--shard', String(SHARD), ...PERIOD, '--model-dir', modelDir, ...THETA, ...extra]);

/** Signals a child; pid 0 (not started yet) would signal this whole process group instead. */
function signal(pid: number, name: NodeJS.Signals): void {
  if (!(pid > 0)) throw new Error(`no child pid to send ${name} to`);
  process.kill(pid, name);
}

/** Where the first test's `pt parity` put its files. */
const parityOut = () => join(dir, 'data', 'replay', 'parity', `shard_${SHARD}`);
/** The data lines of a fills.csv. */
const fillLines = (path: string): string[] => readFileSync(path, 'utf8').trim().split('\n').slice(1);
/** A fills.csv line without its ticket columns (order, deal): numbering starts where each run starts. */
const withoutTickets = (l: string) =>
  l
    .split(',')
    .filter((_, c) => c !== 10 && c !== 11)
    .join(',');
/** The fill instants of the first trade in a fills log: its open (lines 1–2) and its close (lines 3–4). */
const firstTrade = (fills: readonly string[]): [number, number] => [
  Date.parse(fills[0]!.split(',')[0]!),
  Date.parse(fills[2]!.split(',')[0]!),
];

/** `trades: N identical …` of a parity run. */
const identical = (stdout: string): number => Number(/^trades: (\d+) identical/m.exec(stdout)?.[1] ?? -1);

beforeAll(async () => {
  fx = await makeLiveShardFixture({
    tag: 'pt-parity-',
    shard: SHARD,
    redisPrefix: 'ptparitytest',
    from: '2021-01-01',
    to: '2022-03-01',
  });
  ({ dir, configDir, modelDir } = fx);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pt parity on real data', () => {
  let reference = -1;

  it('pt live --replay + pt paper trade exactly as pt bt run over the same bars, model and θ', () => {
    // An account.json another run left where replays read it: another period's, which the replay must not take.
    const stale = { schema_version: 'v1', ts: '2020-01-01T00:00:00Z', equity: 1, balance: 1, positions: {} };
    const held = { side: 'LONG_SPREAD', lots_A: 1, lots_B: -1, tickets: [1, 2] };
    mkdirSync(join(dir, 'data', 'replay'), { recursive: true });
    writeFileSync(
      join(dir, 'data', 'replay', 'account.json'),
      JSON.stringify({ ...stale, positions: { [PAIRS[0]!]: held } }),
    );
    const r = parity([]);
    expect(r.stderr).not.toMatch(/reconcile_mismatch/);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^parity: identical \(\d+ trades\)$/m);
    expect(r.stdout).toMatch(
      /, 0 only in paper, 0 only in the backtest, \d+ backtest trades entered before the period/,
    );
    expect(r.stdout).toMatch(/^largest net P&L difference: \S+ USD \(/m);
    reference = identical(r.stdout);
    expect(reference).toBeGreaterThanOrEqual(8);
    // pt paper wrote what pt live reads, and the EA's fills log: two legs per fill, two fills per trade.
    const account = JSON.parse(readFileSync(join(parityOut(), 'account.json'), 'utf8')) as { positions: object };
    expect(Object.keys(account.positions).sort()).toEqual([...PAIRS].sort());
    expect(fillLines(join(parityOut(), 'paper', 'fills.csv')).length).toBe(4 * reference);
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
          signal(pid, 'SIGKILL');
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
    const historyFills = fillLines(join(parityOut(), 'paper', 'fills.csv'));
    // A window around the first trade, flat at both ends: its fills are the history run's.
    const [firstOpen, firstClose] = firstTrade(historyFills);
    const from = firstOpen! - 2 * DAY;
    const to = firstClose! + 2 * DAY;
    const files = await readHistoryFiles(join(parityOut(), 'signals', 'history'), SHARD, readParquetTable, from, to);
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
        signal(pid, 'SIGKILL');
        expect((await paper).code).not.toBe(0);
        paper = start();
      }
    }
    signal(pid, 'SIGTERM');
    const done = await paper;
    expect(done.code, done.stderr).toBe(0);
    const fills = fillLines(join(followDir, 'paper', `shard_${SHARD}`, 'fills.csv'));
    // Tickets 1, 2, 3, … once each: the restart appended nothing twice.
    expect(fills.map((l) => Number(l.split(',')[10]))).toEqual(fills.map((_, i) => i + 1));
    const inWindow = historyFills.filter((l) => {
      const t = Date.parse(l.split(',')[0]!);
      return t >= from && t < to;
    });
    expect(inWindow.length).toBeGreaterThanOrEqual(4);
    expect(fills.map(withoutTickets)).toEqual(inWindow.map(withoutTickets));
  }, 240_000);

  it('runs the loop: pt live --replay paced writes signal.json, pt paper follows it and writes the account.json pt live reconciles', async () => {
    const historyFills = fillLines(join(parityOut(), 'paper', 'fills.csv'));
    const [open, close] = firstTrade(historyFills).map((t) => t - HOUR);
    const window = [
      '--from',
      new Date(open! - 3 * HOUR).toISOString(),
      '--to',
      new Date(close! + 3 * HOUR).toISOString(),
    ];
    const loopDir = join(dir, 'loop');
    const accountPath = join(dir, 'data', 'replay', 'account.json');
    let paperPid = 0;
    const paper = runPtAsync(
      [
        '-c',
        configDir,
        'paper',
        '--shard',
        String(SHARD),
        '--signal-dir',
        loopDir,
        '--clock',
        'bar',
        '--poll-ms',
        '20',
      ],
      { env: { HOME: dir, ...env }, cwd: dir, onStart: (p) => (paperPid = p) },
    );
    // One bar per two seconds: paper takes each file long before pt live reads account.json at the next bar.
    const live = await runPtAsync(
      [
        '-c',
        configDir,
        'live',
        '--shard',
        String(SHARD),
        '--replay',
        ...window,
        '--speed',
        '1800x',
        '--model-dir',
        modelDir,
        ...THETA,
        '--signal-dir',
        loopDir,
      ],
      { env: { HOME: dir, ...env, LOG_LEVEL: 'info' }, cwd: dir },
    );
    expect(live.code, live.stderr).toBe(0);
    const finalSeq = (
      JSON.parse(readFileSync(join(loopDir, `shard_${SHARD}`, 'signal.json'), 'utf8')) as { seq: number }
    ).seq;
    const statePath = join(loopDir, 'paper', `shard_${SHARD}`, 'state.json');
    const deadline = Date.now() + 30_000;
    const seqOf = () =>
      existsSync(statePath)
        ? (JSON.parse(readFileSync(statePath, 'utf8')) as { intake: { last_seq: number } }).intake.last_seq
        : 0;
    while (seqOf() < finalSeq && Date.now() < deadline) await new Promise((d) => setTimeout(d, 20));
    signal(paperPid, 'SIGTERM');
    const p = await paper;
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toMatch(/, 0 refused, [1-9]\d* orders given; account since its state began: [1-9]\d* trades/);
    // pt live read paper's account.json at every bar after its first write and found the positions it asked for.
    expect(live.stderr).not.toMatch(/reconcile_mismatch|account_unreadable|account_rejected|"level":"(error|fatal)"/);
    const account = JSON.parse(readFileSync(accountPath, 'utf8')) as unknown;
    expect(accountSchemaViolation(account)).toBeUndefined();
    // The last account.json pt live took is one paper wrote (pt live keeps it in its cache).
    const cache = openSqliteLiveCache(join(loopDir, 'live', `shard_${SHARD}.sqlite`));
    const taken = JSON.parse(cache.lastAccount() ?? '{}') as { positions?: object };
    cache.close();
    expect(Object.keys(taken.positions ?? {}).sort()).toEqual([...PAIRS].sort());
    const fills = fillLines(join(loopDir, 'paper', `shard_${SHARD}`, 'fills.csv'));
    expect(fills.slice(0, 4).map(withoutTickets)).toEqual(historyFills.slice(0, 4).map(withoutTickets));
  }, 240_000);

  it('a period that ends inside a trade: paper and the backtest both close it at the last bar (end_of_data)', () => {
    const [, close] = firstTrade(fillLines(join(parityOut(), 'paper', 'fills.csv')));
    // The close was decided at the bar before its fill: a period ending there holds the position at its end.
    const to = new Date(close - HOUR).toISOString();
    const out = join(dir, 'parity-cut');
    const r = pt([
      'parity',
      '--shard',
      String(SHARD),
      '--from',
      PERIOD[1]!,
      '--to',
      to,
      '--model-dir',
      modelDir,
      ...THETA,
      '--no-live',
      '--signal-dir',
      join(parityOut(), 'signals'),
      '--out',
      out,
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(identical(r.stdout)).toBeGreaterThanOrEqual(1);
    expect(readFileSync(join(out, 'bt', 'bt_trades.csv'), 'utf8')).toContain('end_of_data');
  }, 240_000);

  it('tells a backtest with another θ apart: exit 1, OPS_PARITY_BROKEN, the differing trades listed', () => {
    const signals = join(parityOut(), 'signals');
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
