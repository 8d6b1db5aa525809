// pt ops against a running pt live --replay, on the bundled XAUUSD/XAGUSD and AUDUSD/USDCAD bars: a hard
// halt stops new entries and holds positions within one bar, pt ops flatten closes them, and resume is
// refused by its guard, refused again for --force without a reason, then accepted with one. Once with
// the flags in data/ops files and once in Redis.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParquetTable } from '../../src/adapters/duckdb/index.js';
import type { SignalFile } from '../../src/live/signal/signalTypes.js';
import { readHistoryFiles } from '../../src/paper/readHistoryFiles.js';
import { verifyAuditFile } from '../../src/ops/audit/verifyAuditLog.js';
import { makeLiveShardFixture, type LiveShardFixture } from '../helpers/liveShardFixture.js';
import { requireService } from '../helpers/services.js';

const SHARD = 6;
const HOUR = 3_600_000;
const THETA = ['--theta1', '0.3', '--theta2', '0.7'];
const FROM = '2021-06-01';
let fx: LiveShardFixture;
let dir = '';
let modelDir = '';
/** The first bar time the unhalted replay opens a position it then holds for 12 bars, and its pair. */
let firstOpen = { tsMs: 0, pairId: '' };

const sleep = (ms: number) => new Promise((d) => setTimeout(d, ms));
const pt: LiveShardFixture['pt'] = (...a) => fx.pt(...a);
const ptAsync: LiveShardFixture['ptAsync'] = (...a) => fx.ptAsync(...a);
const history = (signals: string) => readHistoryFiles(join(signals, 'history'), SHARD, readParquetTable);
const liveArgs = (signals: string, from: string, speed: string) => [
  'live',
  '--shard',
  String(SHARD),
  '--replay',
  '--from',
  from,
  '--to',
  '2021-09-01',
  '--speed',
  speed,
  '--model-dir',
  modelDir,
  ...THETA,
  '--signal-dir',
  signals,
];
const signalNow = (signals: string): SignalFile | undefined => {
  try {
    return JSON.parse(readFileSync(join(signals, `shard_${SHARD}`, 'signal.json'), 'utf8')) as SignalFile;
  } catch {
    return undefined;
  }
};
const sideOf = (f: SignalFile, pairId: string) => f.signals.find((s) => s.pair_id === pairId)!.target.side;

beforeAll(async () => {
  fx = await makeLiveShardFixture({
    tag: 'pt-opslive-',
    shard: SHARD,
    redisPrefix: 'ptopstest',
    from: '2021-04-01',
    to: '2021-09-01',
  });
  ({ dir, modelDir } = fx);
  // Where the unhalted replay first opens: the paced runs start two bars before it.
  const free = join(dir, 'sig-free');
  const r = pt(liveArgs(free, FROM, 'max'));
  expect(r.code, r.stderr).toBe(0);
  // The first open whose position is held at least 12 bars: the halt must catch it still open.
  const files = await history(free);
  for (let i = 0; i < files.length && firstOpen.tsMs === 0; i++) {
    const open = files[i]!.signals.find((s) => s.action === 'open');
    if (!open) continue;
    const later = files.slice(i + 1, i + 13);
    if (later.length === 12 && later.every((f) => sideOf(f, open.pair_id) === open.target.side))
      firstOpen = { tsMs: Date.parse(open.bar_ts), pairId: open.pair_id };
  }
  expect(firstOpen.tsMs).toBeGreaterThan(0);
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The runbook sequence against a replay paced at one bar per second: wait for the first position, halt
 * hard, flatten, resume (refused; --force without a reason refused; with one accepted). Returns the
 * history and the wall times each command finished.
 */
async function runbook(tag: string, busEnv: NodeJS.ProcessEnv) {
  const signals = join(dir, `sig-${tag}`);
  const from = new Date(firstOpen.tsMs - 2 * HOUR).toISOString();
  let pid = 0;
  const live = ptAsync(liveArgs(signals, from, '3600x'), busEnv, (p) => (pid = p));
  /** Waits until signal.json is `n` bar times past the file with seq `after` (seq is a clock, not a count). */
  const waitBars = async (n: number, after: SignalFile) => {
    const target = Date.parse(after.signals[0]!.bar_ts) + n * HOUR;
    for (let k = 0; k < 600; k++) {
      const f = signalNow(signals);
      if (f && Date.parse(f.signals[0]!.bar_ts) >= target) return f;
      await sleep(50);
    }
    throw new Error(`${tag}: signal.json did not reach ${n} bars after seq ${after.seq}`);
  };
  // The position of the first open.
  let held: SignalFile | undefined;
  for (let k = 0; k < 600 && !held; k++) {
    const f = signalNow(signals);
    if (f && Date.parse(f.signals[0]!.bar_ts) >= firstOpen.tsMs && sideOf(f, firstOpen.pairId) !== 'FLAT') held = f;
    else await sleep(50);
  }
  expect(held, `${tag}: the replay opened no position`).toBeDefined();
  // Without Redis a replay's flags are data/replay/ops/flags.json: pt ops --replay writes there.
  const ops = (args: string[]) => ptAsync(['ops', ...args, ...(busEnv.REDIS_URL ? [] : ['--replay'])], busEnv);

  const halt = await ops(['halt', '--scope', 'portfolio', '--level', 'hard', '--reason', 'test halt', '--actor', 'ci']);
  expect(halt.code, halt.stderr).toBe(0);
  const afterHalt = signalNow(signals)!;
  await waitBars(4, afterHalt);
  const flatten = await ops(['flatten', '--mode', 'immediate', '--reason', 'test flatten']);
  expect(flatten.code, flatten.stderr).toBe(0);
  const afterFlatten = signalNow(signals)!;
  await waitBars(3, afterFlatten);
  const refused = await ops(['resume']);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/OPS_RESUME_REFUSED/);
  const noReason = await ops(['resume', '--force']);
  expect(noReason.code).toBe(2);
  expect(noReason.stderr).toMatch(/--force needs --reason/);
  const resume = await ops(['resume', '--force', '--reason', 'checked by hand']);
  expect(resume.code, resume.stderr).toBe(0);
  expect(resume.stdout).toMatch(/canary: 0\.2 of the size until/);
  const afterResume = signalNow(signals)!;
  await waitBars(3, afterResume);
  if (pid > 0) process.kill(pid, 'SIGTERM');
  const r = await live;
  expect(r.code, r.stderr).toBe(0);
  return {
    files: await history(signals),
    haltSeq: afterHalt.seq,
    flattenSeq: afterFlatten.seq,
    resumeSeq: afterResume.seq,
    held: held!,
  };
}

/**
 * The checks of one runbook run. `…Seq` is the file signal.json held when the command returned: the
 * next file may have read the flags before the change, so each change must hold from the one after
 * (within one bar).
 */
function checkRunbook(run: Awaited<ReturnType<typeof runbook>>): void {
  const { files, held } = run;
  const at = (seq: number) => {
    const i = files.findIndex((f) => f.seq === seq);
    expect(i, `seq ${seq} in the history`).toBeGreaterThanOrEqual(0);
    return i;
  };
  const [halt, flatten, resume] = [at(run.haltSeq), at(run.flattenSeq), at(run.resumeSeq)];
  const pairId = firstOpen.pairId;
  const heldSide = sideOf(held, pairId);
  const halted = files.slice(halt + 2, flatten + 1);
  expect(halted.length).toBeGreaterThanOrEqual(3);
  for (const f of halted) {
    expect(f.ops.global_halt, `seq ${f.seq}`).toBe(true);
    expect(
      f.signals.some((s) => s.action === 'open' || s.action === 'close'),
      `seq ${f.seq}`,
    ).toBe(false);
    expect(sideOf(f, pairId), `held through the hard halt at seq ${f.seq}`).toBe(heldSide);
  }
  const flattened = files.slice(flatten + 2, resume + 1);
  expect(flattened.length).toBeGreaterThanOrEqual(2);
  for (const f of flattened) for (const s of f.signals) expect(s.target.side, `seq ${f.seq}`).toBe('FLAT');
  const closing = files.slice(flatten + 1, flatten + 3);
  expect(closing.some((f) => f.signals.some((s) => s.pair_id === pairId && s.action === 'flatten'))).toBe(true);
  const resumed = files.slice(resume + 2);
  expect(resumed.length).toBeGreaterThanOrEqual(1);
  for (const f of resumed) expect(f.ops.global_halt).toBe(false);
}

describe('pt ops against a running pt live --replay', () => {
  it('files (data/replay/ops): halt hard → no entries, positions held; flatten → flat; resume refused, then forced with a reason', async () => {
    const run = await runbook('files', { REDIS_URL: '' });
    checkRunbook(run);
    // pt ops --replay reads the same folder: the flags as the runbook left them, and the audit chain.
    const status = pt(['ops', 'status', '--replay', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).flags).toMatchObject({ global_halt: 'none', flatten_pairs: [] });
    const audit = await verifyAuditFile(join(dir, 'data', 'ops', 'audit.jsonl'));
    expect(audit.firstBroken).toBeUndefined();
    expect(audit.lines).toBe(3);
    // What pt monitor shows of a pair besides z and position: the latest signal's action, when it was
    // written, and the reconcile (a replay has no account.json).
    const state = JSON.parse(
      readFileSync(join(dir, 'data', 'replay', 'ops', 'state', `${firstOpen.pairId}.json`), 'utf8'),
    );
    expect(state).toMatchObject({ reconcile: 'no_account' });
    expect(['open', 'close', 'hold', 'flatten']).toContain(state.signal_action);
    expect(Math.abs(Date.now() - Date.parse(state.signal_at))).toBeLessThan(180_000);
  }, 180_000);

  it('Redis (core:ops:flags): the same sequence through the hash the shard reads', async () => {
    if (!(await requireService('Redis', 6379))) return;
    const url = 'redis://127.0.0.1:6379';
    const redis = new Redis(url);
    try {
      await redis.del('ptopstest:ops:flags');
      const run = await runbook('redis', { REDIS_URL: url });
      checkRunbook(run);
      expect(await redis.hget('ptopstest:ops:flags', 'global_halt')).toBe('none');
    } finally {
      await redis.del('ptopstest:ops:flags');
      redis.disconnect();
    }
  }, 180_000);
});
