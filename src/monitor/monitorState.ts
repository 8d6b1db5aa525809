// One snapshot of what pt monitor shows, read from the bus through the OpsControl port (SPEC §9).
import { drawdownMirrorsOf } from '../ops/flags/drawdownMirror.js';
import { haltLevelOf } from '../ops/flags/opsFlagsFields.js';
import { heartbeatStatus, type HeartbeatStatus } from '../ops/heartbeatStatus.js';
import { flagsOfRaw } from '../ops/opsCommands.js';
import type { OpsFlags } from '../ports/liveBus.js';
import type { AlertRecord, OpsControl } from '../ports/opsControl.js';
import type { MonitorSettings } from './monitorSettings.js';

export type DdBand = 'normal' | 'warn' | 'halt' | 'flatten';

export interface ShardState {
  shard: number;
  pairs: string[];
  /** Undefined: no heartbeat at all (never beat, or its Redis key expired): as lost as an old one. */
  heartbeat?: HeartbeatStatus;
  lost: boolean;
  /** pt live's DD mirror (dd_shard_<N>), when the shard has reported one. */
  dd?: { level: string; since: string; drawdown: number; pairs: Record<string, string> };
  /** The mirrored drawdown against dd_policy's portfolio thresholds. */
  ddBand?: DdBand;
  equity?: number;
  balance?: number;
}

export interface PairState {
  pairId: string;
  shard?: number;
  barTs?: string;
  z?: number;
  beta?: number;
  rho?: number;
  seq?: number;
  returnProb?: number;
  riskScore?: number;
  /** LONG_SPREAD | SHORT_SPREAD | FLAT. */
  position?: string;
  signalAction?: string;
  signalAt?: string;
  signalAgeSeconds?: number;
  /** True when a shard wrote a state record for the pair (false: nothing reported yet). */
  reported: boolean;
  stale: boolean;
  tradable?: boolean;
  /** ok | mismatch | no_account (pt live's reconcile against account.json). */
  reconcile?: string;
  /** soft | hard when the pair is halted by a pair flag; flatten when it is being flattened. */
  halt?: 'soft' | 'hard' | 'flatten';
}

export interface MonitorState {
  takenAtMs: number;
  flags: OpsFlags;
  /** Flag fields that could not be read (they take their defaults). */
  flagProblems: string[];
  haltLevel: 'none' | 'soft' | 'hard';
  /** Canary scopes still running: scope → until (ISO). */
  canary: Array<{ scope: string; until: string }>;
  shards: ShardState[];
  pairs: PairState[];
  /** Newest first. */
  alerts: AlertRecord[];
}

/** A number of a state record: Redis stores text, the files JSON; null, '' and non-finite are absent. */
export function numberOf(v: unknown): number | undefined {
  if (v === null || v === undefined || v === '' || v === 'null') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function textOf(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' && v !== 'null' ? v : undefined;
}

function boolOf(v: unknown): boolean | undefined {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  return undefined;
}

export function ddBandOf(drawdown: number, t: MonitorSettings['dd']): DdBand {
  return drawdown >= t.flatten ? 'flatten' : drawdown >= t.halt ? 'halt' : drawdown >= t.warn ? 'warn' : 'normal';
}

/** The signal's side when the state record has none (a state written before `position` existed). */
function sideOfSignal(signal: Record<string, unknown> | undefined): string | undefined {
  const target = signal?.target;
  const parsed = typeof target === 'string' ? safeJson(target) : target;
  return parsed !== null && typeof parsed === 'object' ? textOf((parsed as Record<string, unknown>).side) : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function ageSeconds(iso: string | undefined, nowMs: number): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? Math.max(0, Math.round((nowMs - t) / 1000)) : undefined;
}

/** Reads flags, heartbeats, pair states, latest signals and alerts; throws what the port throws (the bus is down). */
export async function loadMonitorState(control: OpsControl, s: MonitorSettings, nowMs: number): Promise<MonitorState> {
  const rawFlags = await control.readFlags();
  const beats = await control.heartbeats();
  const states = await control.pairStates();
  const signals = await control.signals();
  const alerts = await control.recentAlerts(s.alertLimit);
  const { flags, problems } = flagsOfRaw(rawFlags);
  const mirrors = drawdownMirrorsOf(rawFlags);
  const keep = (shard: number | undefined) => s.shard === undefined || shard === s.shard;

  const shardIds = new Set<number>(s.pairs.map((p) => p.shard));
  for (const b of beats) if (keep(b.shard)) shardIds.add(b.shard);
  for (const m of mirrors) if (keep(m.shard)) shardIds.add(m.shard);
  const shards: ShardState[] = [...shardIds]
    .sort((a, b) => a - b)
    .map((shard) => {
      const beat = beats.find((b) => b.shard === shard);
      const m = mirrors.find((x) => x.shard === shard);
      const heartbeat = beat ? heartbeatStatus(beat, nowMs, s.heartbeatTtlSeconds) : undefined;
      return {
        shard,
        pairs: s.pairs.filter((p) => p.shard === shard).map((p) => p.pairId),
        ...(heartbeat ? { heartbeat } : {}),
        lost: heartbeat === undefined || heartbeat.lost,
        ...(m
          ? {
              dd: { level: m.level, since: m.since, drawdown: m.drawdown, pairs: m.pairs },
              ddBand: ddBandOf(m.drawdown, s.dd),
            }
          : {}),
        ...(beat?.equity !== undefined ? { equity: beat.equity } : {}),
        ...(beat?.balance !== undefined ? { balance: beat.balance } : {}),
      };
    });

  const shardOf = new Map(s.pairs.map((p) => [p.pairId, p.shard]));
  // universe.yaml's pairs first, then any other pair a shard reports (a universe edited since it started).
  const ids = [...s.pairs.map((p) => p.pairId)];
  if (s.shard === undefined) for (const id of [...states.keys()].sort()) if (!shardOf.has(id)) ids.push(id);
  const pairs: PairState[] = ids.map((pairId) => {
    const st = states.get(pairId) ?? {};
    const sig = signals.get(pairId);
    const signalAt = textOf(st.signal_at);
    const halt = flags.flattenPairs.includes(pairId)
      ? 'flatten'
      : flags.haltedPairs.includes(pairId)
        ? flags.hardPairs.includes(pairId)
          ? 'hard'
          : 'soft'
        : undefined;
    const out: PairState = { pairId, reported: states.has(pairId), stale: boolOf(st.stale) === true };
    const shard = shardOf.get(pairId);
    if (shard !== undefined) out.shard = shard;
    const set = <K extends keyof PairState>(k: K, v: PairState[K] | undefined) => {
      if (v !== undefined) out[k] = v;
    };
    set('barTs', textOf(st.bar_ts) ?? textOf(sig?.bar_ts));
    set('z', numberOf(st.z));
    set('beta', numberOf(st.beta));
    set('rho', numberOf(st.rho));
    set('seq', numberOf(st.seq));
    set('returnProb', numberOf(st.return_prob));
    set('riskScore', numberOf(st.risk_score));
    set('position', textOf(st.position) ?? sideOfSignal(sig));
    set('signalAction', textOf(st.signal_action) ?? textOf(sig?.action));
    set('signalAt', signalAt);
    set('signalAgeSeconds', ageSeconds(signalAt, nowMs));
    set('tradable', boolOf(st.tradable));
    set('reconcile', textOf(st.reconcile));
    set('halt', halt);
    return out;
  });

  const canary = Object.entries(flags.canaryUntil)
    .filter(([, until]) => until > nowMs)
    .map(([scope, until]) => ({ scope, until: new Date(until).toISOString() }));
  return {
    takenAtMs: nowMs,
    flags,
    flagProblems: problems,
    haltLevel: haltLevelOf(flags),
    canary,
    shards,
    pairs,
    alerts,
  };
}
