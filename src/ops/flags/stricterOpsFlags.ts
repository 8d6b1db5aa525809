// The stricter of two sets of ops flags: what a shard obeys when it cannot tell which one is current.
import type { OpsFlags } from '../../ports/liveBus.js';
import { opsFlagsFields } from './opsFlagsFields.js';

/**
 * Every halt and flatten of either, the lower scales, each canary until the later end. A pair
 * flattened by both is graceful only if both say graceful (an immediate flatten is the stricter).
 */
export function stricterOpsFlags(a: Readonly<OpsFlags>, b: Readonly<OpsFlags>): OpsFlags {
  const flattenPairs = union(a.flattenPairs, b.flattenPairs);
  const graceful = (f: Readonly<OpsFlags>, pair: string) =>
    !f.flattenPairs.includes(pair) || f.gracefulPairs.includes(pair);
  const canaryUntil: Record<string, number> = { ...a.canaryUntil };
  for (const [scope, until] of Object.entries(b.canaryUntil))
    canaryUntil[scope] = Math.max(until, canaryUntil[scope] ?? Number.NEGATIVE_INFINITY);
  return {
    globalHalt: a.globalHalt || b.globalHalt,
    hardHalt: a.hardHalt || b.hardHalt,
    haltedPairs: union(a.haltedPairs, b.haltedPairs),
    hardPairs: union(a.hardPairs, b.hardPairs),
    flattenPairs,
    gracefulPairs: flattenPairs.filter((p) => graceful(a, p) && graceful(b, p)),
    leverageScale: Math.min(a.leverageScale, b.leverageScale),
    canaryUntil,
    canaryScale: Math.min(a.canaryScale, b.canaryScale),
  };
}

/** Equal as pt ops writes them (the same fields, lists in the same order). */
export function sameOpsFlags(a: Readonly<OpsFlags>, b: Readonly<OpsFlags>): boolean {
  return JSON.stringify(opsFlagsFields(a)) === JSON.stringify(opsFlagsFields(b));
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
