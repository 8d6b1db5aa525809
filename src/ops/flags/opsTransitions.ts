// The halt / flatten / resume state machine of pt ops (SPEC §9) on the flags: pure, one new record per command.
import { PtError } from '../../core/ptError.js';
import type { OpsFlags } from '../../ports/liveBus.js';
import { cloneFlags } from './opsFlagsFrom.js';

export type OpsScope = { scope: 'portfolio' } | { scope: 'pair'; pairId: string };

/** `portfolio` or `pair:<id>`, as the audit log names a scope. */
export function scopeName(s: OpsScope): string {
  return s.scope === 'portfolio' ? 'portfolio' : `pair:${s.pairId}`;
}

const copy = cloneFlags;

const add = (list: string[], id: string): string[] => (list.includes(id) ? list : [...list, id]);
const drop = (list: string[], ids: readonly string[]): string[] => list.filter((x) => !ids.includes(x));

/**
 * A halt sets the level asked for (hard → soft is allowed: entries stay stopped, exits resume). A
 * halt also ends a running canary of its scope: the next resume starts a new one.
 */
export function haltFlags(flags: Readonly<OpsFlags>, s: OpsScope, level: 'soft' | 'hard'): OpsFlags {
  const f = copy(flags);
  if (s.scope === 'portfolio') {
    f.globalHalt = true;
    f.hardHalt = level === 'hard';
    f.canaryUntil = {};
  } else {
    f.haltedPairs = add(f.haltedPairs, s.pairId);
    f.hardPairs = level === 'hard' ? add(f.hardPairs, s.pairId) : drop(f.hardPairs, [s.pairId]);
    delete f.canaryUntil[s.pairId];
  }
  return f;
}

/**
 * Flatten closes the scope's pairs (`allPairIds` for the portfolio: universe.yaml's) and keeps them
 * flat until `pt ops resume`. Graceful: a shard closes one holding pair per bar; immediate: all at
 * once. A pair asked again takes the latest mode.
 */
export function flattenFlags(
  flags: Readonly<OpsFlags>,
  s: OpsScope,
  mode: 'immediate' | 'graceful',
  allPairIds: readonly string[],
): OpsFlags {
  const f = copy(flags);
  const ids = s.scope === 'portfolio' ? allPairIds : [s.pairId];
  for (const id of ids) f.flattenPairs = add(f.flattenPairs, id);
  f.gracefulPairs = mode === 'graceful' ? [...new Set([...f.gracefulPairs, ...ids])] : drop(f.gracefulPairs, ids);
  if (s.scope === 'portfolio') f.canaryUntil = {};
  else delete f.canaryUntil[s.pairId];
  return f;
}

/** What a manual halt or flatten holds in the scope; empty when nothing does. */
export function haltsIn(flags: Readonly<OpsFlags>, s: OpsScope): string[] {
  const out: string[] = [];
  if (flags.globalHalt) out.push(`portfolio halt (${flags.hardHalt ? 'hard' : 'soft'})`);
  const pairs = (list: readonly string[]) => (s.scope === 'portfolio' ? list : list.filter((x) => x === s.pairId));
  for (const id of pairs(flags.haltedPairs)) out.push(`${id} halt (${flags.hardPairs.includes(id) ? 'hard' : 'soft'})`);
  for (const id of pairs(flags.flattenPairs))
    out.push(`${id} flatten (${flags.gracefulPairs.includes(id) ? 'graceful' : 'immediate'})`);
  return out;
}

/**
 * Resume lifts the scope's manual halts and flattens and starts its canary: the scope trades at
 * `canary.scale` of its size until `canary.untilMs`. A pair resumed under a portfolio halt stays
 * halted by it (OPS_RESUME_NOTHING says so when that is all there is). Expired canaries are dropped.
 */
export function resumeFlags(
  flags: Readonly<OpsFlags>,
  s: OpsScope,
  canary: { untilMs: number; scale: number; nowMs: number },
): OpsFlags {
  const held = haltsIn(flags, s).filter((h) => s.scope === 'portfolio' || !h.startsWith('portfolio'));
  if (held.length === 0)
    throw new PtError(
      'OPS_RESUME_NOTHING',
      s.scope === 'pair' && flags.globalHalt
        ? `${s.pairId} has no halt or flatten of its own; the portfolio halt holds it: pt ops resume --scope portfolio`
        : `nothing is halted or flattened in scope ${scopeName(s)}: nothing to resume`,
      { source: 'ops', details: { scope: scopeName(s) } },
    );
  const f = copy(flags);
  for (const [k, until] of Object.entries(f.canaryUntil)) if (until <= canary.nowMs) delete f.canaryUntil[k];
  if (s.scope === 'portfolio') {
    f.globalHalt = false;
    f.hardHalt = false;
    f.haltedPairs = [];
    f.hardPairs = [];
    f.flattenPairs = [];
    f.gracefulPairs = [];
    f.canaryUntil = { portfolio: canary.untilMs };
  } else {
    const ids = [s.pairId];
    f.haltedPairs = drop(f.haltedPairs, ids);
    f.hardPairs = drop(f.hardPairs, ids);
    f.flattenPairs = drop(f.flattenPairs, ids);
    f.gracefulPairs = drop(f.gracefulPairs, ids);
    f.canaryUntil[s.pairId] = canary.untilMs;
  }
  f.canaryScale = canary.scale;
  return f;
}
