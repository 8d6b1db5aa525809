// pt store verify / repair: every partition, watermark and quarantine file of a timeframe checked;
// bad months moved to data/quarantine (never deleted), watermarks and the quarantine file rebuilt.
import { rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ensureDirDurable, fsyncDir, listNames, pathExists, removeStaleTemps } from '../../core/durableFs.js';
import { isPtError } from '../../core/ptError.js';
import { isoUtc, type Timeframe } from '../../core/time.js';
import { quarantinePath, readQuarantine, resetQuarantine } from '../../data/dq/quarantine.js';
import type { BarStoreOptions, Watermark } from '../../ports/barStore.js';
import { newestStoredTs } from './newestStoredTs.js';
import { checkPartitionFile } from './partitionChecks.js';
import { withConnection } from './withConnection.js';
import {
  assertStoreKey,
  listPartitions,
  monthBounds,
  symbolDir,
  timeframeDir,
  watermarkPath,
  type PartitionRef,
} from './partitionLayout.js';
import { guarded } from './storageError.js';
import { lockSymbol } from './storeLocks.js';
import { readWatermarkFile, writeWatermarkFile } from './watermarkFile.js';

export interface StoreProblem {
  /** The file at fault. */
  path: string;
  /** What is wrong with it. */
  problem: string;
  symbol?: string;
}

export interface StoreScope {
  timeframe: Timeframe;
  /** Every symbol folder of the timeframe when undefined. */
  symbols?: string[];
}

export interface VerifyResult {
  problems: StoreProblem[];
  symbols: string[];
  partitions: number;
}

interface SymbolState {
  symbol: string;
  parts: PartitionRef[];
  bad: Array<{ part: PartitionRef; problems: string[] }>;
  wmPath: string;
  wm: Watermark | undefined;
  wmProblem?: string;
}

const SYMBOL_RE = /^[A-Z0-9]+$/;

async function symbolsOf(root: string, scope: StoreScope): Promise<string[]> {
  if (scope.symbols !== undefined) {
    for (const s of scope.symbols) assertStoreKey(s, scope.timeframe);
    return scope.symbols;
  }
  return (await listNames(timeframeDir(root, scope.timeframe))).filter((n) => SYMBOL_RE.test(n)).sort();
}

/** Reads what a symbol has: its partitions (each checked whole) and its watermark. */
async function inspectSymbol(
  conn: DuckDBConnection,
  root: string,
  timeframe: Timeframe,
  symbol: string,
): Promise<SymbolState> {
  const parts = await listPartitions(root, timeframe, symbol);
  const bad: SymbolState['bad'] = [];
  for (const part of parts) {
    const problems = await checkPartitionFile(conn, part.path, symbol, timeframe);
    if (problems.length > 0) bad.push({ part, problems });
  }
  const wmPath = watermarkPath(root, timeframe, symbol);
  const state: SymbolState = { symbol, parts, bad, wmPath, wm: undefined };
  try {
    state.wm = await readWatermarkFile(wmPath, symbol, timeframe);
  } catch (e) {
    if (!isPtError(e) || e.id !== 'DATA_STORAGE_CORRUPT') throw e;
    state.wmProblem = e.message.slice(wmPath.length + 2);
  }
  return state;
}

/** The newest bar among the sound partitions before `beforeMs`. */
function newestSound(conn: DuckDBConnection, s: SymbolState, timeframe: Timeframe, beforeMs = Infinity) {
  const badPaths = new Set(s.bad.map((b) => b.part.path));
  const sound = s.parts.filter((p) => !badPaths.has(p.path) && monthBounds(p.month)[1] <= beforeMs);
  return newestStoredTs(conn, sound, s.symbol, timeframe);
}

/**
 * Checks every partition of the symbols (checksum, symbol, grid, month, readable), each watermark
 * (parses, and is not ahead of the newest stored bar) and the timeframe's quarantine file.
 */
export async function verifyBarStore(root: string, scope: StoreScope): Promise<VerifyResult> {
  const { timeframe } = scope;
  return guarded('verify', { root, timeframe }, () =>
    withConnection(async (conn) => {
      const symbols = await symbolsOf(root, scope);
      const problems: StoreProblem[] = [];
      let partitions = 0;
      for (const symbol of symbols) {
        const s = await inspectSymbol(conn, root, timeframe, symbol);
        partitions += s.parts.length;
        for (const b of s.bad) for (const problem of b.problems) problems.push({ path: b.part.path, problem, symbol });
        if (s.wmProblem !== undefined) problems.push({ path: s.wmPath, problem: s.wmProblem, symbol });
        else if (s.wm !== undefined) {
          const newest = await newestSound(conn, s, timeframe);
          if (newest === undefined || s.wm.last_ts > newest)
            problems.push({
              path: s.wmPath,
              problem: `last_ts ${isoUtc(s.wm.last_ts)} is ahead of the newest stored bar (${newest === undefined ? 'none' : isoUtc(newest)}); pt store repair --symbols ${symbol} --timeframe ${timeframe} rebuilds it`,
              symbol,
            });
        }
      }
      try {
        readQuarantine(root, timeframe);
      } catch (e) {
        if (!isPtError(e) || e.id !== 'DATA_STORAGE_CORRUPT') throw e;
        problems.push({ path: quarantinePath(root, timeframe), problem: String(e.details.problem) });
      }
      return { problems, symbols, partitions };
    }),
  );
}

export interface MovedPartition {
  symbol: string;
  month: string;
  /** Where it was, and where it is now. */
  path: string;
  movedTo: string;
  from: string;
  to: string;
  problems: string[];
}

export interface RepairResult {
  symbols: string[];
  partitions: number;
  moved: MovedPartition[];
  /** Watermarks rewritten or removed: symbol, path, what was done. */
  watermarks: Array<{ symbol: string; path: string; action: string }>;
  /** The corrupt quarantine file that was replaced by an empty one. */
  quarantineReset?: string;
  /** Temp files of writers that died, removed from the symbols' folders. */
  tempsRemoved: number;
}

/** Removes temp files of dead writers in a symbol's folder and its year and month folders. */
async function removeDeadTemps(symDir: string): Promise<number> {
  let n = await removeStaleTemps(symDir, false);
  for (const year of (await listNames(symDir)).filter((y) => /^\d{4}$/.test(y)))
    for (const month of await listNames(join(symDir, year)))
      n += await removeStaleTemps(join(symDir, year, month), false);
  return n;
}

export interface RepairOptions extends StoreScope, BarStoreOptions {
  /**
   * Set every watermark to the newest stored bar (after the moved months were re-ingested from a
   * source); otherwise a watermark is only rebuilt when corrupt, missing, ahead of the data, or after a gap.
   */
  watermarkToNewest?: boolean;
}

/** `data/quarantine/{tf}/{symbol}/{YYYY}/{YYYY-MM}/{file}`, with `.1`, `.2` … when a file of that name is there already. */
async function quarantineTarget(
  root: string,
  timeframe: Timeframe,
  symbol: string,
  part: PartitionRef,
): Promise<string> {
  const dir = join(root, 'quarantine', timeframe, symbol, part.month.slice(0, 4), part.month);
  const base = join(dir, `${symbol}_${part.month}.parquet`);
  let target = base;
  for (let k = 1; await pathExists(target); k++) target = `${base}.${k}`;
  return target;
}

/**
 * Moves each bad partition of the symbols to `data/quarantine/` (so the rest of the store reads
 * again), then rewrites each watermark that must change: to the newest sound bar before the
 * earliest month moved out (so a plain ingest refills the gap), or removed when none is left
 * before it; a corrupt, missing or too-new watermark is rebuilt from the partitions present. A
 * corrupt quarantine file is replaced by an empty one. Each symbol is repaired under its writer lock.
 */
export async function repairBarStore(root: string, o: RepairOptions): Promise<RepairResult> {
  const { timeframe } = o;
  return guarded('repair', { root, timeframe }, () =>
    withConnection(async (conn) => {
      const symbols = await symbolsOf(root, o);
      const result: RepairResult = { symbols, partitions: 0, moved: [], watermarks: [], tempsRemoved: 0 };
      for (const symbol of symbols) {
        const lock = await lockSymbol(root, timeframe, symbol, o);
        try {
          const s = await inspectSymbol(conn, root, timeframe, symbol);
          result.partitions += s.parts.length;
          result.tempsRemoved += await removeDeadTemps(symbolDir(root, timeframe, symbol));
          for (const b of s.bad) {
            const target = await quarantineTarget(root, timeframe, symbol, b.part);
            await ensureDirDurable(dirname(target));
            await rename(b.part.path, target);
            await fsyncDir(dirname(target));
            await fsyncDir(dirname(b.part.path));
            const [from, to] = monthBounds(b.part.month);
            result.moved.push({
              symbol,
              month: b.part.month,
              path: b.part.path,
              movedTo: target,
              from: isoUtc(from),
              to: isoUtc(to),
              problems: b.problems,
            });
          }
          const gapStart = s.bad.length > 0 ? monthBounds(s.bad[0]!.part.month)[0] : Infinity;
          const target = await newestSound(conn, s, timeframe, gapStart);
          const current = s.wm?.last_ts;
          let reason: string | undefined;
          if (s.wmProblem !== undefined) reason = `was corrupt (${s.wmProblem.split(';')[0]})`;
          else if (s.bad.length > 0 && (current === undefined || target === undefined || current > target))
            reason = `set back before ${s.bad[0]!.part.month}, so the next ingest refills it`;
          else if (current !== undefined && (target === undefined || current > target))
            reason = 'was ahead of the stored bars';
          else if (current === undefined && target !== undefined) reason = 'was missing';
          else if (o.watermarkToNewest && target !== undefined && current !== target)
            reason = 'set to the newest stored bar';
          if (reason === undefined) continue;
          if (target === undefined) {
            await unlink(s.wmPath).catch((e: NodeJS.ErrnoException) => {
              if (e.code !== 'ENOENT') throw e;
            });
            result.watermarks.push({ symbol, path: s.wmPath, action: `${reason}: removed (no stored bar before it)` });
            continue;
          }
          await writeWatermarkFile(s.wmPath, {
            last_ts: target,
            last_refreshed_ts: new Date().toISOString(),
            source: s.wm?.source ?? 'repair',
            window_params: s.wm?.window_params ?? {},
            dq_counters: s.wm?.dq_counters ?? {},
          });
          result.watermarks.push({ symbol, path: s.wmPath, action: `${reason}: last_ts now ${isoUtc(target)}` });
        } finally {
          await lock.release();
        }
      }
      try {
        readQuarantine(root, timeframe);
      } catch (e) {
        if (!isPtError(e) || e.id !== 'DATA_STORAGE_CORRUPT') throw e;
        await resetQuarantine(root, timeframe, { noWait: o.noWait, onWait: o.onLockWait });
        result.quarantineReset = quarantinePath(root, timeframe);
        o.onWarning?.(
          `${result.quarantineReset} was corrupt and is now empty: run pt dq --timeframe ${timeframe} again to quarantine the months over the DQ thresholds`,
        );
      }
      return result;
    }),
  );
}
