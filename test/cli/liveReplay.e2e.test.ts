// pt live --replay on the e2e tier's shared synthetic store and model (SYNA_SYNB alone in a shard of
// a config copy): a schema-valid signal.json and a readable history; Redis holds the latest signal of
// the pair; a second replay from a fresh state repeats every signal_id; the opens and closes equal
// pt bt run's entries and exits over the same bars (same model, same θ, one kernel); SIGKILL at ten
// moments and a restart each time changes nothing in the sequence of actions, and seq only grows.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { validateSignalFile } from '../../src/live/signal/index.js';
import { writeModelVersion } from '../../src/ml/registry/index.js';
import { SeededRng } from '../../src/core/rng.js';
import { repoRoot, runPt, runPtAsync } from '../helpers/runPt.js';
import { btTrades, historyTrades, readSignalHistory, type HistoryRow } from '../helpers/signalHistory.js';
import { OwnedRedisServer, requireRedisServerBinary, sparePort } from '../helpers/redisServer.js';

const SHARD = 7;
const FROM = '2023-01-01';
const TO = '2024-01-01';
/** A what-if θ low enough for the synthetic model to trade at all. */
const THETA = ['--theta1', '0.05', '--theta2', '0.95'];
let dir = '';
let configDir = '';
let modelDir = '';
const env = { PT_MODEL_SIGNING_KEY: '', PT_MODEL_VERIFY_KEY: '', SERVICE_ENV: '', REDIS_URL: '' };
// prettier-ignore
const liveArgs = (dataDir: string, signalDir: string, to = TO) => [
  '-c', configDir, 'live', '--shard', String(SHARD), '--replay', '--model-dir', modelDir, '--from', FROM, '--to', to,
  '--signal-dir', signalDir, '--data-dir', dataDir, ...THETA,
];
const live = (dataDir: string, signalDir: string, extra: string[] = [], e: NodeJS.ProcessEnv = {}) =>
  runPt([...liveArgs(dataDir, signalDir), ...extra], { HOME: dir, ...env, ...e }, dir);

const history = readSignalHistory;
const trades = historyTrades;
type Row = HistoryRow;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-live-replay-'));
  const f = inject('fixtures');
  // The fixture's root holds its local model key (.pt/keys): the runs use it as their working folder.
  cpSync(f.root, dir, { recursive: true });
  modelDir = join(dir, 'models', f.modelVersion);
  configDir = join(dir, 'config');
  cpSync(join(repoRoot, 'config'), configDir, { recursive: true });
  const universe = join(configDir, 'universe.yaml');
  const text = readFileSync(universe, 'utf8').replace(
    /(pair_id: "SYNA_SYNB"\n\s+group: "synthetic"\n\s+shard: )\d+/,
    `$1${SHARD}`,
  );
  expect(text).toContain(`shard: ${SHARD}`);
  writeFileSync(universe, text);
});

const freshData = (name: string) => {
  const d = join(dir, name);
  cpSync(join(dir, 'data'), d, { recursive: true });
  return d;
};

describe('pt live --replay', () => {
  let reference: Row[] = [];

  it('writes a schema-valid signal.json and a history; Redis holds the latest signal; a second replay repeats every signal_id', async () => {
    const redis = new Redis('redis://127.0.0.1:6379/0', { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    await redis.del('core:signals:SYNA_SYNB');
    const signals = join(dir, 'sig-a');
    const r = live(freshData('data-a'), signals, [], { REDIS_URL: 'redis://127.0.0.1:6379/0' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^live shard ${SHARD} \\(SYNA_SYNB\\), model \\S+, θ from .+: \\d+ bar times emitted`, 'm'),
    );
    const file = JSON.parse(readFileSync(join(signals, `shard_${SHARD}`, 'signal.json'), 'utf8')) as unknown;
    validateSignalFile(file);
    expect(file.signals.map((s) => s.pair_id)).toEqual(['SYNA_SYNB']);
    reference = await history(signals);
    expect(reference.length).toBeGreaterThan(1000);
    expect(reference[0]!.bar_ts).toBeGreaterThanOrEqual(Date.parse(FROM));
    const seqs = [...new Set(reference.map((x) => x.seq))];
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
    // Every bar time of the window has its row (one pair): the whole replay, not a sample of it.
    expect(new Set(reference.map((x) => x.signal_id)).size).toBeGreaterThan(5000);
    const hash = await redis.hgetall('core:signals:SYNA_SYNB');
    await redis.quit();
    expect(hash.signal_id).toBe(file.signals[0]!.signal_id);

    const again = join(dir, 'sig-b');
    expect(live(freshData('data-b'), again).code).toBe(0);
    const second = await history(again);
    expect(second.map((x) => x.signal_id)).toEqual(reference.map((x) => x.signal_id));
  });

  it('opens and closes where pt bt run enters and exits, over the same bars with the same model and θ', () => {
    const data = freshData('data-bt');
    const out = join(dir, 'bt');
    const bt = runPt(
      [
        '-c',
        configDir,
        'bt',
        'run',
        '--pairs',
        'SYNA_SYNB',
        '--model-dir',
        modelDir,
        '--data-dir',
        data,
        '--out',
        out,
        '--csv',
        ...THETA,
      ],
      { HOME: dir, ...env },
      dir,
    );
    expect(bt.code, bt.stderr).toBe(0);
    // The replay has no account.json, so no DD level: the comparison holds when the backtest's stayed normal too.
    expect(bt.stdout).toMatch(/^bars in DD levels: SYNA_SYNB warn 0\.00% halt 0\.00% flatten 0\.00%$/m);
    const expected = btTrades(join(out, 'bt_trades.csv'), Date.parse(FROM), Date.parse(TO));
    // The synthetic model trades rarely; the quickstart's real-data year checks many trades.
    expect(expected.length).toBeGreaterThan(0);
    expect(trades(reference)).toEqual(expected);
  });

  it('killed with SIGKILL at ten moments and restarted each time: the same actions, no signal_id with two contents, seq only grows', async () => {
    const data = freshData('data-crash');
    const signals = join(dir, 'sig-crash');
    const rng = new SeededRng(7);
    const args = liveArgs(data, signals);
    let kills = 0;
    for (let k = 0; k < 10; k++) {
      let pid = 0;
      const run = runPtAsync(args, { env: { HOME: dir, ...env }, cwd: dir, onStart: (p) => (pid = p) });
      // Kill once it has emitted something, at a random moment of its run.
      const delay = 1500 + rng.next() * 3000;
      const timer = setTimeout(() => {
        if (pid) {
          process.kill(pid, 'SIGKILL');
          kills++;
        }
      }, delay);
      const r = await run;
      clearTimeout(timer);
      if (r.code === 0) break;
    }
    expect(kills).toBeGreaterThan(0);
    const final = live(data, signals);
    expect(final.code, final.stderr).toBe(0);
    const rows = await history(signals);
    const byId = new Map<string, string>();
    for (const r of rows) {
      const seen = byId.get(r.signal_id);
      if (seen !== undefined) expect(r.content, r.signal_id).toBe(seen);
      byId.set(r.signal_id, r.content);
    }
    const seqs = rows.map((r) => r.seq);
    expect(seqs.every((s, i) => i === 0 || s >= seqs[i - 1]!)).toBe(true);
    expect(trades(rows)).toEqual(trades(reference));
    // Every bar's entry, not only the trades: the same signal_ids with the same content as the uninterrupted run.
    const want = new Map(reference.map((x) => [x.signal_id, x.content]));
    expect(new Map(rows.map((x) => [x.signal_id, x.content]))).toEqual(want);
    expect(existsSync(join(signals, `shard_${SHARD}`, 'signal.json'))).toBe(true);
    rmSync(data, { recursive: true, force: true });
  }, 600_000);

  it('Redis killed mid-replay and restarted: signal.json and the history never stop, and Redis catches up with the latest signal', async () => {
    if (!requireRedisServerBinary()) return;
    const server = new OwnedRedisServer(await sparePort());
    await server.start();
    const data = freshData('data-redis');
    const signals = join(dir, 'sig-redis');
    // Three months at about 100 bar times a second (360000 × real time, every write per bar): long
    // enough to kill and restart the server inside the replay.
    const to = '2023-04-01';
    const run = runPtAsync([...liveArgs(data, signals, to), '--speed', '360000x'], {
      env: { HOME: dir, ...env, REDIS_URL: server.url },
      cwd: dir,
    });
    await new Promise((r) => setTimeout(r, 8000));
    await server.kill();
    await new Promise((r) => setTimeout(r, 4000));
    await server.start();
    const r = await run;
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(r.stderr).toMatch(/"event":"redis_outage_start"/);
    expect(r.stderr).toMatch(/"event":"redis_outage_end"/);
    // Every bar time of the window reached signal.json and the history, through the outage.
    const rows = await history(signals);
    const window = reference.filter((x) => x.bar_ts < Date.parse(to));
    expect(window.length).toBeGreaterThan(1000);
    expect(new Set(rows.map((x) => x.signal_id))).toEqual(new Set(window.map((x) => x.signal_id)));
    const file = JSON.parse(readFileSync(join(signals, `shard_${SHARD}`, 'signal.json'), 'utf8')) as unknown;
    validateSignalFile(file);
    const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
    const hash = await redis.hgetall('core:signals:SYNA_SYNB');
    await redis.quit();
    await server.kill();
    expect(hash.signal_id).toBe(file.signals[0]!.signal_id);
  }, 600_000);

  it('refuses a tampered model (one byte of params.yaml) and an unsigned one before writing anything, with an error id', () => {
    for (const [name, spoil] of [
      [
        'tampered',
        (d: string) => writeFileSync(join(d, 'params.yaml'), `${readFileSync(join(d, 'params.yaml'), 'utf8')} `),
      ],
      ['unsigned', (d: string) => rmSync(join(d, 'SIGNATURE'))],
    ] as const) {
      const bad = join(dir, `model-${name}`);
      cpSync(modelDir, bad, { recursive: true });
      spoil(bad);
      const signals = join(dir, `sig-${name}`);
      const r = runPt(
        [...liveArgs(freshData(`data-${name}`), signals).map((a) => (a === modelDir ? bad : a))],
        { HOME: dir, ...env },
        dir,
      );
      expect(r.code, name).not.toBe(0);
      expect(r.stderr, name).toMatch(/^ERROR CORE_MODEL_[A-Z]+: /m);
      expect(existsSync(join(signals, `shard_${SHARD}`, 'signal.json')), name).toBe(false);
    }
  });

  it('refuses a signed model whose feature schema pt does not compute, with the feature named and nothing written', async () => {
    const keys = { localKeyDir: join(dir, '.pt', 'keys'), env: {}, notice: () => {} };
    const { dir: bad } = await writeModelVersion(
      join(dir, 'mismatched-models'),
      {
        'model_ai1.onnx': new Uint8Array([1]),
        'model_ai2.onnx': new Uint8Array([2]),
        'feature_schema.json': JSON.stringify({ names: ['z', 'z_from_a_newer_pt'], normalisation: {} }),
        'params.yaml': 'theta1: 0.7\ntheta2: 0.3\nz_entry: 2\nz_exit: 0.5\nM: 48\ntheta_stop: 0.45\n',
        'metrics.json': '{}',
      },
      { keys },
    );
    const signals = join(dir, 'sig-mismatch');
    const r = runPt(
      liveArgs(freshData('data-mismatch'), signals).map((a) => (a === modelDir ? bad : a)),
      { HOME: dir, ...env },
      dir,
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^ERROR CORE_MODEL_ARTEFACT: .*names features pt does not compute: z_from_a_newer_pt/m);
    expect(existsSync(join(signals, `shard_${SHARD}`, 'signal.json'))).toBe(false);
  });
});
