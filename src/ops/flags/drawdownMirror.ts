// pt live's DD mirror fields in the flags record (`dd_shard_<N>`): read them, and merge a new one into the old.
import type { DrawdownMirror } from '../../ports/liveBus.js';
import type { RawFlags } from '../../ports/opsControl.js';

export const DD_FIELD_PREFIX = 'dd_shard_';
/** decision/ddPolicy's DD_LEVEL_NAMES, as they are written. */
const LEVELS = ['normal', 'warn', 'halt', 'flatten'];

export function drawdownField(shard: number): string {
  return `${DD_FIELD_PREFIX}${shard}`;
}

/** One mirror from its stored form (an object, or its JSON text); undefined when unreadable. */
export function drawdownMirrorFrom(v: unknown): DrawdownMirror | undefined {
  let value = v;
  if (typeof v === 'string') {
    try {
      value = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (value === null || typeof value !== 'object') return undefined;
  const m = value as Partial<DrawdownMirror>;
  if (
    typeof m.shard !== 'number' ||
    typeof m.level !== 'string' ||
    !LEVELS.includes(m.level) ||
    typeof m.since !== 'string' ||
    !Number.isFinite(Date.parse(m.since))
  )
    return undefined;
  return {
    shard: m.shard,
    level: m.level,
    since: m.since,
    drawdown: typeof m.drawdown === 'number' ? m.drawdown : Number.NaN,
    pairs: m.pairs && typeof m.pairs === 'object' ? m.pairs : {},
    updated_at: typeof m.updated_at === 'string' ? m.updated_at : m.since,
  };
}

/** Every readable mirror in a flags record, by shard. */
export function drawdownMirrorsOf(raw: RawFlags): DrawdownMirror[] {
  const out: DrawdownMirror[] = [];
  for (const [k, v] of Object.entries(raw)) {
    if (!k.startsWith(DD_FIELD_PREFIX)) continue;
    const m = drawdownMirrorFrom(v);
    if (m) out.push(m);
  }
  return out.sort((a, b) => a.shard - b.shard);
}

/** A restarted shard at the same level keeps the stored `since`: the guard counts from the level's start. */
export function mergeDrawdownMirror(previous: unknown, next: DrawdownMirror): DrawdownMirror {
  const prev = drawdownMirrorFrom(previous);
  return prev && prev.shard === next.shard && prev.level === next.level && prev.since < next.since
    ? { ...next, since: prev.since }
    : next;
}
