// Quarantine of month partitions over the DQ thresholds (SPEC §1.4), kept in `__quarantine.json` per timeframe.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic, ensureDirDurable } from '../../core/durableFs.js';
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

export function readQuarantine(dataDir: string, timeframe: Timeframe): QuarantineFile {
  const path = quarantinePath(dataDir, timeframe);
  if (!existsSync(path)) return { updated_at: '', entries: [] };
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as QuarantineFile;
  } catch (e) {
    throw new PtError(
      'DATA_STORAGE_CORRUPT',
      `quarantine file ${path} is not valid JSON (${(e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ')})`,
      { source: 'dq', details: { path }, cause: e },
    );
  }
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
): Promise<{ added: string[]; released: string[] }> {
  const previous = readQuarantine(dataDir, timeframe);
  const checked = new Set(checkedSymbols);
  const kept = previous.entries.filter((e) => !checked.has(e.symbol));
  const before = new Set(previous.entries.filter((e) => checked.has(e.symbol)).map((e) => `${e.symbol} ${e.month}`));
  const after = new Set(entries.map((e) => `${e.symbol} ${e.month}`));
  const merged = [...kept, ...entries].sort((a, b) => (a.symbol + a.month).localeCompare(b.symbol + b.month));
  const path = quarantinePath(dataDir, timeframe);
  await ensureDirDurable(dirname(path));
  await writeFileAtomic(
    path,
    `${JSON.stringify({ updated_at: new Date().toISOString(), entries: merged }, null, 2)}\n`,
  );
  return { added: [...after].filter((k) => !before.has(k)), released: [...before].filter((k) => !after.has(k)) };
}

/** Quarantined `[fromMs, toMs)` ranges of a symbol, for readers that must exclude them. */
export function quarantinedRanges(dataDir: string, timeframe: Timeframe, symbol: string): Array<[number, number]> {
  return readQuarantine(dataDir, timeframe)
    .entries.filter((e) => e.symbol === symbol)
    .map((e) => [Date.parse(e.range.from), Date.parse(e.range.to)] as [number, number]);
}
