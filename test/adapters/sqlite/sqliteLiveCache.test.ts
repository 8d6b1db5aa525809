// The SQLite live cache: round trips across reopen, the bar bound, one transaction per bar, refused files, and a SIGKILLed writer.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteLiveCache } from '../../../src/adapters/sqlite/sqliteLiveCache.js';
import { isPtError } from '../../../src/core/ptError.js';
import type { CachedBar, LiveCache } from '../../../src/ports/liveCache.js';

const child = fileURLToPath(new URL('../../helpers/liveCacheChild.mjs', import.meta.url));
const dirs: string[] = [];
const opened: LiveCache[] = [];

function cachePath(): string {
  const d = mkdtempSync(join(tmpdir(), 'pt-cache-'));
  dirs.push(d);
  return join(d, 'live', 'shard_0.sqlite');
}

function open(path: string, maxBarsPerPair?: number): LiveCache {
  const c = openSqliteLiveCache(path, maxBarsPerPair === undefined ? {} : { maxBarsPerPair });
  opened.push(c);
  return c;
}

afterEach(() => {
  for (const c of opened.splice(0)) c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5);
function bar(i: number): CachedBar {
  const p = 1.1 + i * 1e-4;
  return {
    tsMs: T0 + i * HOUR,
    aOpen: p,
    aHigh: p + 1e-3,
    aLow: p - 1e-3,
    aClose: p + 1e-5,
    bOpen: 0.3 * p,
    bHigh: 0.31 * p,
    bLow: 0.29 * p,
    bClose: 0.3 * p + 1e-7,
  };
}

function expectPtError(fn: () => unknown, id: string): void {
  try {
    fn();
  } catch (e) {
    expect(isPtError(e) ? e.id : e).toBe(id);
    return;
  }
  expect.fail(`expected ${id}`);
}

describe('SqliteLiveCache', () => {
  it('a new cache is empty; what is written reads back the same after close and reopen', () => {
    const path = cachePath();
    const c = open(path);
    expect(c.seq()).toBeUndefined();
    expect(c.featureState('EURUSD_GBPUSD')).toBeUndefined();
    expect(c.positions().size).toBe(0);
    expect(c.recentBars('EURUSD_GBPUSD', 10)).toEqual([]);
    expect(c.lastAccount()).toBeUndefined();

    c.setSeq(1_764_000_000_001);
    c.saveFeatureState('EURUSD_GBPUSD', T0, '{"ema":"NaN","n":3}');
    c.setPosition('EURUSD_GBPUSD', { side: -1, lotsA: -0.37, lotsB: 0.41, openedTsMs: T0 });
    c.setPosition('XAUUSD_XAGUSD', { side: 0, lotsA: 0, lotsB: 0, openedTsMs: 0 });
    for (let i = 0; i < 3; i++) c.putBar('EURUSD_GBPUSD', bar(i));
    c.saveAccount('{"schema_version":"v1"}');
    c.close();

    const r = open(path);
    expect(r.seq()).toBe(1_764_000_000_001);
    expect(r.featureState('EURUSD_GBPUSD')).toEqual({ barTsMs: T0, json: '{"ema":"NaN","n":3}' });
    expect([...r.positions()]).toEqual([
      ['EURUSD_GBPUSD', { side: -1, lotsA: -0.37, lotsB: 0.41, openedTsMs: T0 }],
      ['XAUUSD_XAGUSD', { side: 0, lotsA: 0, lotsB: 0, openedTsMs: 0 }],
    ]);
    // Doubles come back bit for bit.
    expect(r.recentBars('EURUSD_GBPUSD', 10)).toEqual([bar(0), bar(1), bar(2)]);
    expect(r.lastAccount()).toBe('{"schema_version":"v1"}');
  });

  it('keeps only the newest maxBarsPerPair bars of each pair, oldest first, and replaces a bar at the same time', () => {
    const c = open(cachePath(), 5);
    for (let i = 0; i < 12; i++) c.putBar('A_B', bar(i));
    c.putBar('C_D', bar(0));
    expect(c.recentBars('A_B', 100)).toEqual([7, 8, 9, 10, 11].map(bar));
    expect(c.recentBars('A_B', 2)).toEqual([bar(10), bar(11)]);
    expect(c.recentBars('C_D', 100)).toEqual([bar(0)]);
    const replaced = { ...bar(11), aClose: 9.99 };
    c.putBar('A_B', replaced);
    expect(c.recentBars('A_B', 1)).toEqual([replaced]);
    expect(c.recentBars('A_B', 100)).toHaveLength(5);
  });

  it('commitBar is one transaction: a throw inside rolls back every write of the bar', () => {
    const c = open(cachePath());
    c.commitBar(() => {
      c.setSeq(10);
      c.putBar('A_B', bar(0));
    });
    expect(() =>
      c.commitBar(() => {
        c.setSeq(11);
        c.putBar('A_B', bar(1));
        c.setPosition('A_B', { side: 1, lotsA: 1, lotsB: -1, openedTsMs: bar(1).tsMs });
        throw new Error('inference failed');
      }),
    ).toThrow('inference failed');
    expect(c.seq()).toBe(10);
    expect(c.recentBars('A_B', 10)).toEqual([bar(0)]);
    expect(c.positions().size).toBe(0);
  });

  it('refuses a seq that does not grow (OPS_CACHE_SEQ)', () => {
    const c = open(cachePath());
    c.setSeq(5);
    expectPtError(() => c.setSeq(5), 'OPS_CACHE_SEQ');
    expectPtError(() => c.setSeq(4), 'OPS_CACHE_SEQ');
    expectPtError(() => c.setSeq(5.5), 'OPS_CACHE_SEQ');
    c.setSeq(6);
    expect(c.seq()).toBe(6);
  });

  it('refuses a file that is not a SQLite database, or one written by a newer cache schema (OPS_CACHE_OPEN)', () => {
    const garbage = cachePath();
    open(garbage).close();
    writeFileSync(garbage, 'this is not a database, just text that is long enough to fill a header '.repeat(20));
    expectPtError(() => open(garbage), 'OPS_CACHE_OPEN');

    const newer = cachePath();
    open(newer).close();
    const db = new Database(newer);
    db.pragma('user_version = 99');
    db.close();
    expectPtError(() => open(newer), 'OPS_CACHE_OPEN');
  });

  it('a writer SIGKILLed at 8 moments keeps the last committed bar whole each time, and seq grows across restarts', async () => {
    const path = cachePath();
    // Commits seen before each kill: spread so some kills land early, some after the bar bound trims.
    const killAfter = [1, 7, 3, 60, 15, 2, 90, 30];
    let lastSeen = 0;
    for (const n of killAfter) {
      const seen = await new Promise<number>((resolve, reject) => {
        const c = spawn(process.execPath, [child, path], { stdio: ['ignore', 'pipe', 'inherit'] });
        let last = 0;
        let count = 0;
        let buffered = '';
        c.on('error', reject);
        c.stdout!.on('data', (d: Buffer) => {
          buffered += d.toString();
          const lines = buffered.split('\n');
          buffered = lines.pop()!;
          for (const line of lines) {
            last = Number(line);
            if (++count === n) c.kill('SIGKILL');
          }
        });
        // 'close', not 'exit': every line the writer printed has been read by then.
        c.on('close', (code, signal) =>
          signal === 'SIGKILL' ? resolve(last) : reject(new Error(`child exited ${code} ${signal}`)),
        );
      });
      expect(seen).toBeGreaterThan(lastSeen);
      const cache = open(path);
      const seq = cache.seq()!;
      // Every commit the writer reported is there; one more may have landed between its commit and its print.
      expect(seq).toBeGreaterThanOrEqual(seen);
      expect(seq).toBeLessThanOrEqual(seen + 1);
      const tsMs = Date.UTC(2026, 0, 5) + seq * HOUR;
      for (const pair of ['EURUSD_GBPUSD', 'XAUUSD_XAGUSD']) {
        // The bar, state and position of the last commit belong to the same seq: no half of a bar.
        const bars = cache.recentBars(pair, 1000);
        expect(bars.length).toBe(Math.min(seq, 50));
        expect(bars.at(-1)!.tsMs).toBe(tsMs);
        expect(bars.at(-1)!.aClose).toBe(1 + seq / 1000);
        expect(cache.featureState(pair)!.barTsMs).toBe(tsMs);
        expect(JSON.parse(cache.featureState(pair)!.json).seq).toBe(seq);
        expect(cache.positions().get(pair)).toEqual({
          side: seq % 2 === 0 ? 1 : -1,
          lotsA: seq / 100,
          lotsB: -seq / 100,
          openedTsMs: tsMs,
        });
      }
      cache.close();
      lastSeen = seq;
    }
  });
});
