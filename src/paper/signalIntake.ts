// pt paper's reading of signal.json: the EA's decisions (PtEngine.mqh) in TypeScript, rule for rule as
// test/fixtures/mt5/README.md writes them: which files and entries are acted on, and each pair's target.
import { PtError } from '../core/ptError.js';
import type { SignalEntry, SignalFile } from '../live/signal/signalTypes.js';
import type { SpreadSideName } from '../model/spreadSide.js';
import { ConvergeRun, type Legs } from './convergeRun.js';
import { readSignalText } from './readSignalText.js';
import { realInstantMs } from './realInstantMs.js';
import { roundLots, type VolumeSpec } from './roundLots.js';
import { SeenIds } from './seenIds.js';

export type FileStatus = 'accepted' | 'invalid_file' | 'stale_seq';
export type EntryWhy = 'new' | 'no_magic' | 'seen' | 'expired' | 'halt' | 'stale_file' | 'hold_no_entry' | 'unsizable';
/**
 * A pair's alert, as the EA's account.json lists it: naked_leg and incomplete until the legs are at the target; an
 * entry given up (entry_failed, second_leg_failed, entry_expired) until the pair's next entry run or alert.
 */
export type RunAlert = 'entry_failed' | 'second_leg_failed' | 'naked_leg' | 'incomplete' | 'entry_expired';

/** What a pair's run may do (the EA's PtEngine::BeforeRun). */
export type RunGate = 'send' | 'at_target' | 'cleared' | 'expired';

/** A pair's target: signed lots (+ bought, − sold), rounded to its symbols' steps. */
export interface TargetView {
  side: SpreadSideName;
  lots_A: number;
  lots_B: number;
}

/** The target with the legs' broker_symbol as signal.json names them ("" until a non-FLAT target). */
export interface PairTarget extends TargetView {
  sym_A: string;
  sym_B: string;
  /**
   * ms since 1970 of the expires_at of the open that set the target's side: runs that add exposure are sent only
   * before it; null when no open did (FLAT, or a state saved before it was kept).
   */
  expires_ms: number | null;
}

export interface PairDecision {
  pair_id: string;
  /** The entry was acted on: its target adopted, its signal_id remembered (`why` is `new`). */
  act: boolean;
  why: EntryWhy | Exclude<FileStatus, 'accepted'>;
  /** The pair's target after the file (a convergence run may still replace it: see afterRun). */
  target: TargetView | null;
}

export interface IntakeStep {
  file: FileStatus;
  /** Why the file was refused; "" when accepted. */
  error: string;
  /** An accepted file: one per entry, in file order; a refused one: one per pair that has a target. */
  decisions: PairDecision[];
  /** The accepted file as parsed (its entries are in `decisions` order); absent when refused. */
  parsed?: SignalFile;
}

/** What a restart must not forget, as plain JSON. The broker's lots are not state: they are read again. */
export interface IntakeState {
  version: 1;
  /** 0 before the first accepted file. */
  last_seq: number;
  /** Oldest first, the newest SEEN_CAP. */
  seen: string[];
  targets: Record<string, PairTarget>;
}

export class SignalIntake {
  private lastSeq = 0;
  private readonly seen = new SeenIds();
  /** Only pairs with a target: the EA leaves a pair alone until its first accepted entry. */
  private readonly targets = new Map<string, PairTarget>();
  /** The pairs' alerts (not state: a restart forgets them, as the EA's). */
  private readonly alerts = new Map<string, RunAlert>();

  /**
   * @param magics pairs.csv: pair_id → magic; any other pair is never traded.
   * @param volumes per broker_symbol: SYMBOL_VOLUME_MIN / STEP / MAX.
   */
  constructor(
    private readonly magics: Readonly<Record<string, number>>,
    private readonly volumes: Readonly<Record<string, VolumeSpec>>,
  ) {}

  /** Reads one signal.json text at `nowMs` (the GMT clock) and applies it. A refused file changes nothing. */
  read(text: string, nowMs: number): IntakeStep {
    const parsed = readSignalText(text);
    if (!parsed.ok) return this.refuse('invalid_file', parsed.error);
    const file = parsed.file;
    if (file.seq <= this.lastSeq) return this.refuse('stale_seq', `seq ${file.seq} is not newer than ${this.lastSeq}`);
    this.lastSeq = file.seq;
    const decisions = file.signals.map((e) => {
      const why = this.decide(file, e, nowMs);
      return { pair_id: e.pair_id, act: why === 'new', why, target: this.target(e.pair_id) };
    });
    return { file: 'accepted', error: '', decisions, parsed: file };
  }

  /** The seq of the last accepted file (0 before the first). */
  seq(): number {
    return this.lastSeq;
  }

  /** The pair's target, or null when it has none yet. */
  target(pairId: string): TargetView | null {
    const t = this.targets.get(pairId);
    return t === undefined ? null : { side: t.side, lots_A: t.lots_A, lots_B: t.lots_B };
  }

  /** The pairs that have a target, in pairs.csv order: the ones converged at every poll. */
  pairsWithTarget(): string[] {
    return Object.keys(this.magics).filter((p) => this.targets.has(p));
  }

  /** The pair's alert (what the EA's account.json lists), or null. */
  alert(pairId: string): RunAlert | null {
    return this.alerts.get(pairId) ?? null;
  }

  /**
   * A convergence run of the pair from the broker's signed lots `[A, B]` at `nowMs`, or undefined when there is
   * nothing to send: no target, a leg symbol without a known step, or beforeRun said so.
   */
  convergeFrom(pairId: string, lots: Legs, nowMs: number): ConvergeRun | undefined {
    const t = this.targets.get(pairId);
    if (t === undefined) return undefined;
    const stepA = this.volumes[t.sym_A]?.step ?? 0;
    const stepB = this.volumes[t.sym_B]?.step ?? 0;
    if (!(stepA > 0) || !(stepB > 0)) return undefined;
    const run = new ConvergeRun(lots, [t.lots_A, t.lots_B], [stepA, stepB]);
    return this.beforeRun(pairId, run, nowMs) === 'send' ? run : undefined;
  }

  /**
   * Before a run of a pair that has a target: at the target nothing is sent, and a naked_leg or incomplete alert
   * that no longer holds is cleared; an entry (the run adds exposure) at or after the expiry of the open that set the
   * target is given up, never sent late: the target becomes the run's exit position (where the legs are, except
   * where the target reduces or closes a leg; flat rather than one leg alone), alert entry_expired. Exits are never
   * subject to the expiry.
   */
  beforeRun(pairId: string, run: ConvergeRun, nowMs: number): RunGate {
    const t = this.targets.get(pairId)!;
    if (run.atTarget()) {
      const alert = this.alerts.get(pairId);
      if (alert !== 'naked_leg' && alert !== 'incomplete') return 'at_target';
      this.alerts.delete(pairId);
      return 'cleared';
    }
    if (run.entry && nowMs >= (t.expires_ms ?? -1)) {
      setLots(t, run.exit);
      this.alerts.set(pairId, 'entry_expired');
      return 'expired';
    }
    return 'send';
  }

  /** Updates the pair after its run; an abandoned or unwound entry is not chased again. Returns the pair's alert. */
  afterRun(pairId: string, run: ConvergeRun): RunAlert | null {
    const t = this.targets.get(pairId);
    if (t !== undefined && (run.outcome === 'abandoned' || (run.outcome === 'naked' && run.unwinding)))
      setLots(t, run.unwind);
    let alert: RunAlert | null = null;
    if (run.outcome === 'abandoned') alert = run.failedLeg === 1 ? 'second_leg_failed' : 'entry_failed';
    if (run.outcome === 'naked') alert = 'naked_leg';
    if (run.outcome === 'incomplete') alert = 'incomplete';
    // An entry given up stays reported through a run that adds no exposure (its unwind, a later exit).
    const before = this.alerts.get(pairId);
    if (alert === null && !run.entry && before !== undefined && GAVE_UP.has(before)) alert = before;
    if (alert === null) this.alerts.delete(pairId);
    else this.alerts.set(pairId, alert);
    return alert;
  }

  save(): IntakeState {
    const targets: Record<string, PairTarget> = {};
    for (const [pair, t] of this.targets) targets[pair] = { ...t };
    return { version: 1, last_seq: this.lastSeq, seen: this.seen.list(), targets };
  }

  /** An intake from save()'s JSON over the declared pairs (a target of an undeclared pair is dropped). */
  static restore(
    magics: Readonly<Record<string, number>>,
    volumes: Readonly<Record<string, VolumeSpec>>,
    state: unknown,
  ): SignalIntake {
    const problem = stateProblem(state);
    // Refusing to start beats forgetting what was acted on (an id acted on twice, a seq read again).
    if (problem !== undefined)
      throw new PtError('OPS_PAPER_STATE', `pt paper's saved state is malformed: ${problem}`, {
        source: 'paper',
        details: { problem },
      });
    const s = state as IntakeState;
    const intake = new SignalIntake(magics, volumes);
    intake.lastSeq = s.last_seq;
    for (const id of s.seen) if (!intake.seen.has(id)) intake.seen.add(id);
    // A target saved before the open's expiry was kept allows no entry (as the EA's 7-field state lines).
    for (const [pair, t] of Object.entries(s.targets))
      if (pair in magics) intake.targets.set(pair, { ...t, expires_ms: t.expires_ms ?? null });
    return intake;
  }

  private refuse(status: Exclude<FileStatus, 'accepted'>, error: string): IntakeStep {
    const decisions = this.pairsWithTarget().map((pair_id) => ({
      pair_id,
      act: false,
      why: status,
      target: this.target(pair_id),
    }));
    return { file: status, error, decisions };
  }

  /** One entry, first match wins: `new` when acted on (the pair's target replaced, the id remembered). */
  private decide(file: SignalFile, e: SignalEntry, nowMs: number): EntryWhy {
    if (!(e.pair_id in this.magics)) return 'no_magic';
    if (this.seen.has(e.signal_id)) return 'seen';
    if (e.action === 'open') {
      // readSignalText checked that an open has an expires_at naming a real instant.
      if (nowMs >= realInstantMs(e.expires_at!)!) return 'expired';
      if (file.ops.global_halt) return 'halt';
      if (file.stale) return 'stale_file';
    }
    const standing = this.targets.get(e.pair_id)?.side ?? 'FLAT';
    if (e.action === 'hold' && e.target.side !== 'FLAT' && e.target.side !== standing) return 'hold_no_entry';
    const next = this.sized(e);
    if (next === undefined) return 'unsizable';
    // An open starts the window of its entry; a hold (of the side the pair targets) keeps the window it had,
    // so holds repeated after a missed entry never make it late; a FLAT target allows no entry.
    next.expires_ms = this.targets.get(e.pair_id)?.expires_ms ?? null;
    if (e.action === 'open') next.expires_ms = realInstantMs(e.expires_at!)!;
    if (next.side === 'FLAT') next.expires_ms = null;
    this.targets.set(e.pair_id, next);
    this.seen.add(e.signal_id);
    return 'new';
  }

  /** The entry's target rounded to its symbols' volumes, or undefined when a leg cannot be sized. */
  private sized(e: SignalEntry): PairTarget | undefined {
    const before = this.targets.get(e.pair_id);
    // A FLAT target keeps the symbols it had: they are where the positions to close are.
    if (e.target.side === 'FLAT')
      return {
        side: 'FLAT',
        lots_A: 0,
        lots_B: 0,
        sym_A: before?.sym_A ?? '',
        sym_B: before?.sym_B ?? '',
        expires_ms: null,
      };
    const [a, b] = e.target.legs as [SignalEntry['target']['legs'][number], SignalEntry['target']['legs'][number]];
    const specA = this.volumes[a.broker_symbol];
    const specB = this.volumes[b.broker_symbol];
    const lotsA = specA === undefined ? undefined : roundLots(a.lots, specA);
    const lotsB = specB === undefined ? undefined : roundLots(b.lots, specB);
    if (lotsA === undefined || lotsB === undefined) return undefined;
    return {
      side: e.target.side,
      lots_A: a.side === 'BUY' ? lotsA : -lotsA,
      lots_B: b.side === 'BUY' ? lotsB : -lotsB,
      sym_A: a.broker_symbol,
      sym_B: b.broker_symbol,
      expires_ms: null,
    };
  }
}

/** The alerts of an entry that was not made. */
const GAVE_UP = new Set<RunAlert>(['entry_failed', 'second_leg_failed', 'entry_expired']);

/** A target set to signed leg lots; its side is leg A's (long the spread buys leg A). */
function setLots(t: PairTarget, lots: Legs): void {
  t.lots_A = lots[0];
  t.lots_B = lots[1];
  t.side = lots[0] > 0 ? 'LONG_SPREAD' : lots[0] < 0 ? 'SHORT_SPREAD' : 'FLAT';
}

const SIDES = new Set(['LONG_SPREAD', 'SHORT_SPREAD', 'FLAT']);

/** What is wrong with a saved state, or undefined when it is one save() could have written. */
function stateProblem(state: unknown): string | undefined {
  if (typeof state !== 'object' || state === null) return 'not an object';
  const s = state as Partial<IntakeState>;
  if (s.version !== 1) return 'version is not 1';
  if (!Number.isSafeInteger(s.last_seq) || s.last_seq! < 0) return 'last_seq';
  if (!Array.isArray(s.seen) || !s.seen.every((id) => typeof id === 'string' && /^[0-9a-f]{24}$/.test(id)))
    return 'seen';
  if (typeof s.targets !== 'object' || s.targets === null || Array.isArray(s.targets)) return 'targets';
  for (const [pair, t] of Object.entries(s.targets)) {
    const ok =
      typeof t === 'object' &&
      t !== null &&
      SIDES.has(t.side) &&
      Number.isFinite(t.lots_A) &&
      Number.isFinite(t.lots_B) &&
      typeof t.sym_A === 'string' &&
      typeof t.sym_B === 'string' &&
      (t.expires_ms === undefined || t.expires_ms === null || Number.isSafeInteger(t.expires_ms));
    if (!ok) return `targets.${pair}`;
  }
  return undefined;
}
