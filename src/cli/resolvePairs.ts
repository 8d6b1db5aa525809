// Pair ids on the command line (--pair, --pairs, --all) into pair id lists and universe.yaml pair specs.
import type { PairSpec, PtConfig } from '../config/schemas/index.js';
import { pairsByIds } from '../config/pairsByIds.js';
import { PtError } from '../core/ptError.js';

/**
 * `xauusd_xagusd, AUDUSD_USDCAD` → `['XAUUSD_XAGUSD', 'AUDUSD_USDCAD']`. An empty list or a pair
 * given twice is a usage error: a repeated pair would be traded twice (double trades and drawdown).
 */
export function pairIdList(text: string, flag = '--pairs'): string[] {
  const ids = text
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  if (ids.length === 0)
    throw new PtError('CORE_CLI_USAGE', `${flag} "${text}" names no pair (e.g. ${flag} XAUUSD_XAGUSD)`, {
      exitCode: 2,
    });
  const repeated = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  if (repeated.length > 0)
    throw new PtError('CORE_CLI_USAGE', `${flag} names ${repeated.join(', ')} more than once: give each pair once`, {
      exitCode: 2,
    });
  return ids;
}

/** --pair ID[,ID…] or --all (required: one of them). */
export function resolvePairs(config: PtConfig, pair: unknown, all: unknown): PairSpec[] {
  if (all) return [...config.universe.pairs];
  if (pair === undefined)
    throw new PtError('CORE_CLI_USAGE', '--pair ID or --all is required (e.g. --pair XAUUSD_XAGUSD)', { exitCode: 2 });
  return pairsByIds(config, pairIdList(String(pair), '--pair'));
}
