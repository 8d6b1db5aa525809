// The ops flags as pt ops writes them: SPEC §8's four fields and pt ops' own (docs/operations.md).
import { DEFAULT_OPS_FLAGS, type OpsFlags } from '../../ports/liveBus.js';

export type HaltLevel = 'none' | 'soft' | 'hard';

export function haltLevelOf(flags: Readonly<OpsFlags>): HaltLevel {
  return flags.hardHalt ? 'hard' : flags.globalHalt ? 'soft' : 'none';
}

/** The fields pt ops manages, as JSON values (the Redis adapter stores them as text). */
export function opsFlagsFields(flags: Readonly<OpsFlags>): Record<string, unknown> {
  return {
    global_halt: haltLevelOf(flags),
    halted_pairs: [...flags.haltedPairs],
    hard_pairs: [...flags.hardPairs],
    flatten_pairs: [...flags.flattenPairs],
    flatten_graceful: [...flags.gracefulPairs],
    leverage_scale: flags.leverageScale,
    canary: Object.fromEntries(Object.entries(flags.canaryUntil).map(([k, ms]) => [k, new Date(ms).toISOString()])),
    canary_scale: flags.canaryScale,
  };
}

/** The hash fields / flags.json keys pt ops writes: a record holding none of them was never written (or lost). */
export const OPS_FLAG_FIELDS: readonly string[] = Object.freeze(Object.keys(opsFlagsFields(DEFAULT_OPS_FLAGS)));

/** True when `raw` holds at least one field pt ops writes. */
export function opsFlagsWritten(raw: Readonly<Record<string, unknown>>): boolean {
  return OPS_FLAG_FIELDS.some((k) => raw[k] !== undefined);
}
