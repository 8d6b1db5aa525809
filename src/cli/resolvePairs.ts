// Pair ids on the command line (--pair, --pairs, --all) into pair id lists and universe.yaml pair specs.
import type { PairSpec, PtConfig } from '../config/schemas/index.js';
import { pairsByIds } from '../config/pairsByIds.js';
import { PtError } from '../core/ptError.js';

/** `xauusd_xagusd, AUDUSD_USDCAD` → `['XAUUSD_XAGUSD', 'AUDUSD_USDCAD']`. */
export function pairIdList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
}

/** --pair ID[,ID…] or --all (required: one of them). */
export function resolvePairs(config: PtConfig, pair: unknown, all: unknown): PairSpec[] {
  if (all) return [...config.universe.pairs];
  if (pair === undefined)
    throw new PtError('CORE_CLI_USAGE', '--pair ID or --all is required (e.g. --pair XAUUSD_XAGUSD)', { exitCode: 2 });
  return pairsByIds(config, pairIdList(String(pair)));
}
