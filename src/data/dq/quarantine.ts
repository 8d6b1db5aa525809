// Quarantine of month partitions over the DQ thresholds (SPEC §1.4), kept in `__quarantine.json` per timeframe.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic, ensureDirDurable } from '../../core/durableFs.js';
import { acquireFileLock } from '../../core/fileLock.js';
import { fsErrorFrom } from '../../core/fsError.js';
import { PtError } from '../../core/ptError.js';
import type { Timeframe } from '../../core/time.js';
import type { SymbolDq } from './symbolDq.js';

export interface DqThresholds {
  missingRate: number;
  outlierRate: number;
}

export interface QuarantineEntry {
  symbol: string;
  timeframe: Timeframe;
  month: string;
  reason: string;
  missing_rate: number;
  outlier_rate: number;
  thresholds: { missing_rate: number; outlier_rate: number };
  range: { from: string; to: string };
  dq_run_id: string;
}

export interface QuarantineFile {
  updated_at: string;
  entries: QuarantineEntry[];
}

export function quarantinePath(dataDir: string, timeframe: Timeframe): string {
  return join(dataDir, 'canonical', timeframe, '__quarantine.json');
}

/** Months of one symbol over the thresholds (strictly greater, as SPEC says `> 0.05`). */
export function monthsToQuarantine(
  dq: SymbolDq,
  timeframe: Timeframe,
  thresholds: DqThresholds,
  runId: string,
): QuarantineEntry[] {
  const out: QuarantineEntry[] = [];
  for (const m of dq.months) {
    const reasons: string[] = [];
    if (m.missingRate > thresholds.missingRate)
      reasons.push(`missing_rate ${m.missingRate.toFixed(4)} > ${thresholds.missingRate}`);
    if (m.outlierRate > thresholds.outlierRate)
      reasons.push(`outlier_rate ${m.outlierRate.toFixed(4)} > ${thresholds.outlierRate}`);
    if (reasons.length === 0) continue;
    out.push({
      symbol: dq.symbol,
      timeframe,
      month: m.month,
      reason: reasons.join('; '),
      missing_rate: m.missingRate,
      outlier_rate: m.outlierRate,
      thresholds: { missing_rate: thresholds.missingRate, outlier_rate: thresholds.outlierRate },
      range: { from: new Date(m.fromMs).toISOString(), to: new Date(m.toMs).toISOString() },
      dq_run_id: runId,
    });
  }
  return out;
}

/**
 * DATA_STORAGE_CORRUPT for a quarantine file that cannot be used, naming it and the way out;
 * `details.problem` is the message without the file's name (for pt store verify's `path: problem` lines).
 */
export function corruptQuarantineError(path: string, timeframe: Timeframe, reason: string, cause?: unknown): PtError {
  const problem = `${reason}; pt store repair --timeframe ${timeframe} rebuilds it empty, then run pt dq --timeframe ${timeframe} again`;
  return new PtError('DATA_STORAGE_CORRUPT', `quarantine file ${path} ${problem}`, {
    source: 'dq',
    details: { path, timeframe, problem },
    cause,
  });
}

/** Why a parsed quarantine file is not one, or undefined when it is. */
function quarantineShapeBreak(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'not a JSON object';
  const entries = (raw as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) return 'entries is not a list';
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as Partial<QuarantineEntry> | null;
    if (
      typeof e !== 'object' ||
      e === null ||
      typeof e.symbol !== 'string' ||
      typeof e.month !== 'string' ||
      typeof e.range !== 'object' ||
      e.range === null ||
      Number.isNaN(Date.parse(String(e.range.from))) ||
      Number.isNaN(Date.parse(String(e.range.to)))
    )
      return `entry ${i} lacks a symbol, month or range`;
  }
  return undefined;
}

/** The quarantine of a timeframe (empty when there is none); DATA_STORAGE_CORRUPT when the file is not one. */
export function readQuarantine(dataDir: string, timeframe: Timeframe): QuarantineFile {
  const path = quarantinePath(dataDir, timeframe);
  if (!existsSync(path)) return { updated_at: '', entries: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw corruptQuarantineError(
      path,
      timeframe,
      `is not valid JSON (${(e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ')})`,
      e,
    );
  }
  const broken = quarantineShapeBreak(raw);
  if (broken !== undefined) throw corruptQuarantineError(path, timeframe, `is not a quarantine file: ${broken}`);
  return raw as QuarantineFile;
}

/** How a rewrite of the quarantine file waits for the lock on it (see acquireFileLock). */
export interface QuarantineLockOptions {
  noWait?: boolean;
  onWait?: (message: string) => void;
}

/**
 * Runs `fn` holding the lock on the timeframe's quarantine file (`.__quarantine.json.lock-…` beside
 * it), so that two rewrites (pt dq, pt store repair) never lose each other's entries.
 */
export async function withQuarantineLock<T>(
  dataDir: string,
  timeframe: Timeframe,
  o: QuarantineLockOptions,
  fn: () => Promise<T>,
): Promise<T> {
  const path = quarantinePath(dataDir, timeframe);
  let lock;
  try {
    await ensureDirDurable(dirname(path));
    lock = await acquireFileLock(dirname(path), basename(path), {
      label: `${timeframe}/${basename(path)}`,
      noWait: o.noWait,
      onWait: o.onWait,
    });
  } catch (e) {
    // The lock file sits beside the quarantine file: failing to write it is failing to write that.
    throw fsErrorFrom(e, 'cannot write', { path, source: 'dq' }) ?? e;
  }
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

/** Replaces the quarantine file with an empty one (its entries are gone: pt dq must run again). */
export async function resetQuarantine(
  dataDir: string,
  timeframe: Timeframe,
  o: QuarantineLockOptions = {},
): Promise<void> {
  await withQuarantineLock(dataDir, timeframe, o, () =>
    writeFileAtomic(quarantinePath(dataDir, timeframe), formatQuarantine([])),
  );
}

function formatQuarantine(entries: QuarantineEntry[]): string {
  return `${JSON.stringify({ updated_at: new Date().toISOString(), entries }, null, 2)}\n`;
}

/**
 * Replaces the entries of the symbols just checked (a later clean run clears them) and keeps the others.
 * Returns the months newly quarantined and the months released.
 */
export async function writeQuarantine(
  dataDir: string,
  timeframe: Timeframe,
  checkedSymbols: string[],
  entries: QuarantineEntry[],
  lock: QuarantineLockOptions = {},
): Promise<{ added: string[]; released: string[] }> {
  return withQuarantineLock(dataDir, timeframe, lock, () =>
    mergeQuarantine(dataDir, timeframe, checkedSymbols, entries),
  );
}

async function mergeQuarantine(
  dataDir: string,
  timeframe: Timeframe,
  checkedSymbols: string[],
  entries: QuarantineEntry[],
): Promise<{ added: string[]; released: string[] }> {
  const previous = readQuarantine(dataDir, timeframe);
  const checked = new Set(checkedSymbols);
  const kept = previous.entries.filter((e) => !checked.has(e.symbol));
  const before = new Set(previous.entries.filter((e) => checked.has(e.symbol)).map((e) => `${e.symbol} ${e.month}`));
  const after = new Set(entries.map((e) => `${e.symbol} ${e.month}`));
  const merged = [...kept, ...entries].sort((a, b) => (a.symbol + a.month).localeCompare(b.symbol + b.month));
  await writeFileAtomic(quarantinePath(dataDir, timeframe), formatQuarantine(merged));
  return { added: [...after].filter((k) => !before.has(k)), released: [...before].filter((k) => !after.has(k)) };
}

/** Quarantined `[fromMs, toMs)` ranges of a symbol, for readers that must exclude them. */
export function quarantinedRanges(dataDir: string, timeframe: Timeframe, symbol: string): Array<[number, number]> {
  return readQuarantine(dataDir, timeframe)
    .entries.filter((e) => e.symbol === symbol)
    .map((e) => [Date.parse(e.range.from), Date.parse(e.range.to)] as [number, number]);
}
