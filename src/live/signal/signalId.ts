// signal_id: a stable hash of shard, pair, bar and action, so a replayed bar yields the same id (SPEC §8).
import { createHash } from 'node:crypto';
import type { SignalAction } from './signalTypes.js';

/** Hex characters kept of the SHA-256: 96 bits, no collision among a shard's signals in practice. */
export const SIGNAL_ID_HEX_CHARS = 24;

/**
 * The first 24 hex characters of SHA-256 over `v1|<shard>|<pairId>|<barTsMs>|<action>` (`barTsMs`
 * the bar open time, UTC epoch ms, as an integer). The EA acts at most once per id.
 */
export function signalId(shard: number, pairId: string, barTsMs: number, action: SignalAction): string {
  const canonical = `v1|${shard}|${pairId}|${Math.trunc(barTsMs)}|${action}`;
  return createHash('sha256').update(canonical).digest('hex').slice(0, SIGNAL_ID_HEX_CHARS);
}
