// The LiveCache port on one SQLite file per shard (better-sqlite3, WAL): seq, feature state, positions, recent bars, account.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { PtError } from '../../core/ptError.js';
import type { CachedBar, CachedPosition, LiveCache } from '../../ports/liveCache.js';

/** Bumped when the tables change; a file written by a newer pt is refused rather than misread. */
const SCHEMA_VERSION = 1;
/** Bars kept per pair unless told: the longest feature window of the policies with room to spare. */
export const DEFAULT_MAX_BARS_PER_PAIR = 2048;

export interface SqliteLiveCacheOptions {
  /** Newest bars kept per pair; older ones are deleted as new ones arrive. */
  maxBarsPerPair?: number;
  /**
   * FULL (default) fsyncs the WAL at every commit, so a committed bar survives a power cut as well
   * as a killed process; it costs one fsync per bar, the same as the signal.json write beside it.
   * NORMAL survives a killed process only (a replay may choose it for speed).
   */
  synchronous?: 'FULL' | 'NORMAL';
}

const TABLES = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS feature_state (pair_id TEXT PRIMARY KEY, bar_ts_ms INTEGER NOT NULL, json TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS positions (pair_id TEXT PRIMARY KEY, side INTEGER NOT NULL, lots_a REAL NOT NULL,
  lots_b REAL NOT NULL, opened_ts_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bars (pair_id TEXT NOT NULL, ts_ms INTEGER NOT NULL,
  a_open REAL NOT NULL, a_high REAL NOT NULL, a_low REAL NOT NULL, a_close REAL NOT NULL,
  b_open REAL NOT NULL, b_high REAL NOT NULL, b_low REAL NOT NULL, b_close REAL NOT NULL,
  PRIMARY KEY (pair_id, ts_ms)) WITHOUT ROWID;
`;

interface BarRow {
  ts_ms: number;
  a_open: number;
  a_high: number;
  a_low: number;
  a_close: number;
  b_open: number;
  b_high: number;
  b_low: number;
  b_close: number;
}

interface PositionRow {
  pair_id: string;
  side: number;
  lots_a: number;
  lots_b: number;
  opened_ts_ms: number;
}

function openError(path: string, reason: string, cause?: unknown): PtError {
  return new PtError('OPS_CACHE_OPEN', `live cache ${path}: ${reason}`, {
    source: 'live-cache',
    details: { path },
    cause,
  });
}

function openDatabase(path: string, synchronous: 'FULL' | 'NORMAL'): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    db.pragma('busy_timeout = 5000');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw openError(path, `integrity check failed (${String(check)})`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION)
      throw openError(path, `written by a newer pt (cache schema ${version}, this pt reads ${SCHEMA_VERSION})`);
    db.exec(TABLES);
    if (version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
    return db;
  } catch (e) {
    db?.close();
    if (e instanceof PtError) throw e;
    throw openError(path, `cannot be opened as a SQLite cache (${(e as Error).message})`, e);
  }
}

export class SqliteLiveCache implements LiveCache {
  private readonly db: Database.Database;
  private readonly maxBars: number;
  private readonly q;

  constructor(
    readonly path: string,
    options: SqliteLiveCacheOptions = {},
  ) {
    this.maxBars = options.maxBarsPerPair ?? DEFAULT_MAX_BARS_PER_PAIR;
    if (!Number.isSafeInteger(this.maxBars) || this.maxBars < 1)
      throw new RangeError(`maxBarsPerPair must be a positive integer, got ${this.maxBars}`);
    this.db = openDatabase(path, options.synchronous ?? 'FULL');
    const db = this.db;
    this.q = {
      getMeta: db.prepare<[string], { value: unknown }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare<[string, unknown]>(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
      getState: db.prepare<[string], { bar_ts_ms: number; json: string }>(
        'SELECT bar_ts_ms, json FROM feature_state WHERE pair_id = ?',
      ),
      setState: db.prepare<[string, number, string]>(
        `INSERT INTO feature_state (pair_id, bar_ts_ms, json) VALUES (?, ?, ?)
         ON CONFLICT(pair_id) DO UPDATE SET bar_ts_ms = excluded.bar_ts_ms, json = excluded.json`,
      ),
      setPosition: db.prepare<[string, number, number, number, number]>(
        `INSERT INTO positions (pair_id, side, lots_a, lots_b, opened_ts_ms) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(pair_id) DO UPDATE SET side = excluded.side, lots_a = excluded.lots_a,
           lots_b = excluded.lots_b, opened_ts_ms = excluded.opened_ts_ms`,
      ),
      positions: db.prepare<[], PositionRow>('SELECT * FROM positions ORDER BY pair_id'),
      putBar: db.prepare<[string, number, number, number, number, number, number, number, number, number]>(
        'INSERT OR REPLACE INTO bars VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      // Keeps the newest maxBars of the pair: deletes what is older than the maxBars-th newest bar.
      trimBars: db.prepare<[string, string, number]>(
        `DELETE FROM bars WHERE pair_id = ? AND ts_ms <
           (SELECT ts_ms FROM bars WHERE pair_id = ? ORDER BY ts_ms DESC LIMIT 1 OFFSET ?)`,
      ),
      recentBars: db.prepare<[string, number], BarRow>(
        `SELECT * FROM (SELECT ts_ms, a_open, a_high, a_low, a_close, b_open, b_high, b_low, b_close
           FROM bars WHERE pair_id = ? ORDER BY ts_ms DESC LIMIT ?) ORDER BY ts_ms`,
      ),
    };
  }

  seq(): number | undefined {
    const row = this.q.getMeta.get('seq');
    return row === undefined ? undefined : Number(row.value);
  }

  setSeq(n: number): void {
    const previous = this.seq();
    if (!Number.isSafeInteger(n) || (previous !== undefined && n <= previous))
      throw new PtError('OPS_CACHE_SEQ', `live cache: seq ${n} does not grow past the stored ${previous}`, {
        source: 'live-cache',
        details: { seq: n, previous },
      });
    this.q.setMeta.run('seq', n);
  }

  saveFeatureState(pairId: string, barTsMs: number, json: string): void {
    this.q.setState.run(pairId, barTsMs, json);
  }

  featureState(pairId: string): { barTsMs: number; json: string } | undefined {
    const row = this.q.getState.get(pairId);
    return row === undefined ? undefined : { barTsMs: row.bar_ts_ms, json: row.json };
  }

  setPosition(pairId: string, p: CachedPosition): void {
    this.q.setPosition.run(pairId, p.side, p.lotsA, p.lotsB, p.openedTsMs);
  }

  positions(): Map<string, CachedPosition> {
    const out = new Map<string, CachedPosition>();
    for (const r of this.q.positions.all())
      out.set(r.pair_id, {
        side: r.side as CachedPosition['side'],
        lotsA: r.lots_a,
        lotsB: r.lots_b,
        openedTsMs: r.opened_ts_ms,
      });
    return out;
  }

  putBar(pairId: string, b: CachedBar): void {
    this.q.putBar.run(pairId, b.tsMs, b.aOpen, b.aHigh, b.aLow, b.aClose, b.bOpen, b.bHigh, b.bLow, b.bClose);
    this.q.trimBars.run(pairId, pairId, this.maxBars - 1);
  }

  recentBars(pairId: string, n: number): CachedBar[] {
    return this.q.recentBars.all(pairId, n).map((r) => ({
      tsMs: r.ts_ms,
      aOpen: r.a_open,
      aHigh: r.a_high,
      aLow: r.a_low,
      aClose: r.a_close,
      bOpen: r.b_open,
      bHigh: r.b_high,
      bLow: r.b_low,
      bClose: r.b_close,
    }));
  }

  saveAccount(json: string): void {
    this.q.setMeta.run('account', json);
  }

  lastAccount(): string | undefined {
    const row = this.q.getMeta.get('account');
    return row === undefined ? undefined : String(row.value);
  }

  commitBar(fn: () => void): void {
    this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Opens (creating when absent) the cache file of one shard, e.g. `data/live/shard_0.sqlite`. */
export function openSqliteLiveCache(path: string, options?: SqliteLiveCacheOptions): LiveCache {
  return new SqliteLiveCache(path, options);
}
