// Cross-source check (SPEC §1.3): a primary bar whose close differs from the secondary's beyond diff_thresh is a conflict.
import type { CanonicalBar } from '../../model/bar.js';

export interface ConflictResult {
  /** The primary's bars, in their order; conflicting ones are new objects with quality_flag 'conflict'. */
  bars: CanonicalBar[];
  conflicts: number;
  /** Keys `symbol|timeframe|ts_utc` of the conflicting bars. */
  conflictKeys: string[];
}

const keyOf = (b: CanonicalBar) => `${b.symbol}|${b.timeframe}|${b.ts_utc}`;

/**
 * Marks primary bars with `|close_p - close_s| / close_p > diffThresh` against the secondary bar
 * on the same (symbol, timeframe, ts_utc). Inputs are not changed; bars only one source has stay as they are.
 */
export function markConflicts(
  primary: readonly CanonicalBar[],
  secondary: readonly CanonicalBar[],
  diffThresh: number,
): ConflictResult {
  const closes = new Map<string, number>();
  for (const b of secondary) closes.set(keyOf(b), b.close);
  const bars: CanonicalBar[] = [];
  const conflictKeys: string[] = [];
  for (const p of primary) {
    const key = keyOf(p);
    const s = closes.get(key);
    if (s !== undefined && p.close > 0 && Math.abs(p.close - s) / p.close > diffThresh) {
      bars.push({ ...p, quality_flag: 'conflict', metadata: { ...p.metadata } });
      conflictKeys.push(key);
    } else {
      bars.push(p);
    }
  }
  return { bars, conflicts: conflictKeys.length, conflictKeys };
}
