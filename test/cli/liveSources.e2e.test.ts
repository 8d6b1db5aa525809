// pt live on its live sources, end to end through bin/pt.js: the TwelveData source (a loopback server
// speaking TwelveData's REST and WebSocket) and a watched folder of bar files. The store ends in 2025, so
// the bars after it arrive late: stale, no entry; the last closed bar arrives within the budget (the
// test's config sets the 1h budget to 4000 s so that "the last closed hour" is fresh at any minute).
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { validateSignalFile, type SignalFile } from '../../src/live/signal/index.js';
import { openSqliteLiveCache } from '../../src/adapters/sqlite/sqliteLiveCache.js';
import { MockTwelveData } from '../helpers/mockTwelveData.js';
import { repoRoot } from '../helpers/runPt.js';
import { readSignalHistory } from '../helpers/signalHistory.js';

const SHARD = 7;
const H = 3_600_000;
const BUDGET_S = 4000;
const KEY = 'td-live-key-0a1b2c3d4e';
let dir = '';
let configDir = '';
let modelDir = '';
const env = { PT_MODEL_SIGNING_KEY: '', PT_MODEL_VERIFY_KEY: '', SERVICE_ENV: '', REDIS_URL: '', LOG_LEVEL: 'info' };
const children: ChildProcess[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-live-sources-'));
  const f = inject('fixtures');
  cpSync(f.root, dir, { recursive: true });
  modelDir = join(dir, 'models', f.modelVersion);
  configDir = join(dir, 'config');
  cpSync(join(repoRoot, 'config'), configDir, { recursive: true });
  const edit = (file: string, from: RegExp, to: string) => {
    const path = join(configDir, file);
    const text = readFileSync(path, 'utf8').replace(from, to);
    expect(text).toContain(to.replace(/\$1/g, ''));
    writeFileSync(path, text);
  };
  edit('universe.yaml', /(pair_id: "SYNA_SYNB"\n\s+group: "synthetic"\n\s+shard: )\d+/, `$1${SHARD}`);
  edit('pipeline_policy.yaml', /"1h": 120/, `"1h": ${BUDGET_S}`);
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

interface Running {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<number>;
}

function startLive(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/pt.js'), '-c', configDir, 'live', ...args], {
    cwd: dir,
    env: { ...process.env, HOME: dir, ...env, ...extraEnv },
  });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.resume();
  const exit = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : 0))));
  return { child, stderr: () => err, exit };
}

async function until<T>(what: string, probe: () => T | undefined, run: Running, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (run.child.exitCode !== null)
      throw new Error(`pt live exited ${run.child.exitCode} before ${what}\n${run.stderr()}`);
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${run.stderr().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function readSignal(path: string): SignalFile | undefined {
  if (!existsSync(path)) return undefined;
  const file = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  validateSignalFile(file);
  return file;
}

const events = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number | string; event?: string; details?: Record<string, unknown> });

describe('pt live on a live source', () => {
  it('TwelveData: fills the gap after the store over REST; late bars are stale and open nothing; the last closed bar is fresh; SIGTERM exits 0', async () => {
    const mock = await MockTwelveData.start(KEY);
    try {
      const lastClosed = Math.floor(Date.now() / H) * H - H;
      mock.nowMs = lastClosed + H;
      mock.extraSymbols.add('SYNA').add('SYNB');
      for (const [file, from, to] of [
        ['sources.yaml', /base_url: "https:\/\/api\.twelvedata\.com"/, `base_url: "${mock.baseUrl}"`],
        ['sources.yaml', /ws_url: "wss:\/\/ws\.twelvedata\.com\/v1\/quotes\/price"/, `ws_url: "${mock.wsUrl}"`],
      ] as const) {
        const path = join(configDir, file);
        writeFileSync(path, readFileSync(path, 'utf8').replace(from, to));
      }
      const signals = join(dir, 'sig-td');
      const run = startLive(
        ['--shard', String(SHARD), '--model-dir', modelDir, '--signal-dir', signals, '--metrics-port', '0'],
        { TWELVEDATA_API_KEY: KEY },
      );
      const path = join(signals, `shard_${SHARD}`, 'signal.json');
      const last = await until(
        'the last closed bar in signal.json',
        () => {
          const f = readSignal(path);
          return f && Date.parse(f.signals[0]!.bar_ts) === lastClosed ? f : undefined;
        },
        run,
      );
      expect(last.stale).toBe(false);
      expect(last.signals.map((s) => s.pair_id)).toEqual(['SYNA_SYNB']);
      // The provider was asked for both legs' history from the store's end, and the stream subscribed both.
      const asked = mock.timeSeriesRequests().map((r) => r.query.get('symbol'));
      expect(new Set(asked)).toEqual(new Set(['SYNA', 'SYNB']));
      expect(JSON.stringify(mock.wsReceived)).toMatch(/SYNA,SYNB|SYNB,SYNA/);
      run.child.kill('SIGTERM');
      expect(await run.exit).toBe(0);
      const rows = await readSignalHistory(signals);
      const late = rows.filter((r) => r.stale === 1);
      expect(late.length).toBeGreaterThan(100);
      expect(late.filter((r) => r.action === 'open')).toEqual([]);
      expect(rows.filter((r) => r.bar_ts === lastClosed).every((r) => r.stale === 0)).toBe(true);
      const ev = events(run.stderr());
      expect(ev.some((e) => e.event === 'stale')).toBe(true);
      expect(ev.some((e) => e.event === 'fresh')).toBe(true);
    } finally {
      await mock.close();
    }
  });

  it('--watch: bar files dropped in a folder; late bars stale (signal.json and state say so), a reload by SIGHUP and by the ops file, then a fresh bar; SIGTERM exits 0', async () => {
    const watchDir = mkdtempSync(join(tmpdir(), 'pt-live-watch-'));
    const data = join(dir, 'data-watch');
    cpSync(join(dir, 'data'), data, { recursive: true });
    const signals = join(dir, 'sig-watch');
    const row = (ts: number, close: number) =>
      `${new Date(ts).toISOString().slice(0, 16).replace('T', ' ')},${close},${close + 0.002},${close - 0.002},${close}\n`;
    const day = Date.UTC(2025, 0, 1);
    const write = (symbol: string, base: number, extra = '') =>
      writeFileSync(
        join(watchDir, `${symbol}_H1.csv`),
        'time,open,high,low,close\n' +
          Array.from({ length: 24 }, (_, k) => row(day + k * H, base + k / 1000)).join('') +
          extra,
      );
    write('SYNA', 1.1);
    write('SYNB', 0.9);
    const run = startLive([
      '--shard',
      String(SHARD),
      '--watch',
      watchDir,
      '--tz',
      'UTC',
      '--model-dir',
      modelDir,
      '--signal-dir',
      signals,
      '--data-dir',
      data,
    ]);
    const path = join(signals, `shard_${SHARD}`, 'signal.json');
    const lateTs = day + 23 * H;
    const late = await until(
      'the last late bar in signal.json',
      () => {
        const f = readSignal(path);
        return f && Date.parse(f.signals[0]!.bar_ts) === lateTs ? f : undefined;
      },
      run,
    );
    expect(late.stale).toBe(true);
    const statePath = join(data, 'replay', 'ops', 'state', 'SYNA_SYNB.json');
    await until(
      'the stale state on the bus (files)',
      () => (existsSync(statePath) && JSON.parse(readFileSync(statePath, 'utf8')).stale === true ? true : undefined),
      run,
    );

    // A reload by SIGHUP after a config change re-warms the shard; one by the ops file with nothing changed does nothing.
    const policy = join(configDir, 'signals_policy.yaml');
    const before = readFileSync(policy, 'utf8');
    writeFileSync(
      policy,
      before.replace(
        /pair_notional_usd: \{ value: (\d+)/,
        (_m, v: string) => `pair_notional_usd: { value: ${Number(v) + 1}`,
      ),
    );
    expect(readFileSync(policy, 'utf8')).not.toBe(before);
    run.child.kill('SIGHUP');
    await until(
      'the SIGHUP reload and restart',
      () => (events(run.stderr()).some((e) => e.event === 'restart') ? true : undefined),
      run,
    );
    const reload = events(run.stderr()).find((e) => e.event === 'reload')!;
    expect(reload.details).toMatchObject({ trigger: 'SIGHUP', action: 'restart', changes: ['config signals_policy'] });
    // The restarted job notes the file's value at its first look: a new value each second until one is taken.
    let lastWrite = 0;
    await until(
      'the ops-file reload',
      () => {
        if (events(run.stderr()).some((e) => e.event === 'reload' && e.details?.trigger === 'core:ops:reload'))
          return true;
        if (Date.now() - lastWrite > 1000) {
          writeFileSync(join(data, 'replay', 'ops', 'reload'), String(Date.now()));
          lastWrite = Date.now();
        }
        return undefined;
      },
      run,
    );
    expect(events(run.stderr()).find((e) => e.details?.trigger === 'core:ops:reload')!.details).toMatchObject({
      action: 'none',
      changes: [],
    });

    // The last closed hour arrives: fresh.
    const lastClosed = Math.floor(Date.now() / H) * H - H;
    write('SYNA', 1.1, row(lastClosed, 1.12));
    write('SYNB', 0.9, row(lastClosed, 0.91));
    const fresh = await until(
      'the fresh bar in signal.json',
      () => {
        const f = readSignal(path);
        return f && Date.parse(f.signals[0]!.bar_ts) === lastClosed ? f : undefined;
      },
      run,
    );
    expect(fresh.stale).toBe(false);
    expect(fresh.seq).toBeGreaterThan(late.seq);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    const rows = await readSignalHistory(signals);
    expect(rows.filter((r) => r.stale === 1).length).toBeGreaterThan(10);
    expect(rows.filter((r) => r.stale === 1 && r.action === 'open')).toEqual([]);
    // The local cache holds the source's recent bars (both legs' OHLC) and the checkpoint at the fresh bar.
    const cache = openSqliteLiveCache(join(signals, 'live', `shard_${SHARD}.sqlite`));
    try {
      const bars = cache.recentBars('SYNA_SYNB', 3);
      expect(bars.at(-1)).toMatchObject({ tsMs: lastClosed, aOpen: 1.12, aClose: 1.12, bHigh: 0.912, bClose: 0.91 });
      expect(bars.at(-2)!.tsMs).toBe(lateTs);
      expect(cache.seq()).toBe(fresh.seq);
    } finally {
      cache.close();
    }
    // No bar emitted twice across the reload's restart.
    const ids = rows.map((r) => `${r.signal_id}|${r.content}`);
    expect(new Set(rows.map((r) => r.signal_id)).size).toBe(new Set(ids).size);
  });
});
