// pt paper between signal.json and its ledger: the EA's intake rules (SignalIntake) decide which
// entries are acted on; each adopted target becomes the ledger's orders at the signal's bar; the bars
// each accepted file names are then accounted, so a pair is never accounted past what it was told.
import type { PairSpec } from '../config/schemas/index.js';
import { spreadSideFromName } from '../model/spreadSide.js';
import type { IntakeState, IntakeStep } from './signalIntake.js';
import { SignalIntake } from './signalIntake.js';
import type { PaperLedger, PaperOrder } from './paperLedger.js';
import type { VolumeSpec } from './roundLots.js';

const nanIfNull = (x: number | null): number => (x === null ? Number.NaN : x);

/** Every pair of `specs` is traded (paper has no pairs.csv); lots round to universe.yaml's lot_step, from min_lot, no max. */
export function paperVolumes(specs: readonly PairSpec[]): {
  magics: Record<string, number>;
  volumes: Record<string, VolumeSpec>;
} {
  const magics: Record<string, number> = {};
  const volumes: Record<string, VolumeSpec> = {};
  specs.forEach((s, k) => {
    magics[s.pair_id] = k + 1;
    for (const leg of [s.leg_A, s.leg_B])
      volumes[leg.broker_symbol] = { min: leg.min_lot, step: leg.lot_step, max: Number.MAX_VALUE };
  });
  return { magics, volumes };
}

export class PaperSession {
  readonly intake: SignalIntake;
  /** Every order given since the session began, oldest first: a restart re-queues them. */
  readonly orders: PaperOrder[] = [];
  /** Per pair: the newest bar_ts an accepted file named. */
  private readonly known = new Map<string, number>();
  private readonly ids: Set<string>;

  constructor(
    readonly specs: readonly PairSpec[],
    readonly ledger: PaperLedger,
    state?: IntakeState,
  ) {
    this.ids = new Set(specs.map((s) => s.pair_id));
    const { magics, volumes } = paperVolumes(specs);
    this.intake =
      state === undefined ? new SignalIntake(magics, volumes) : SignalIntake.restore(magics, volumes, state);
  }

  /**
   * Reads one signal.json text at `nowMs`: the intake's step; the targets it adopted become orders at
   * their signal's bar (advance() fills them). A refused file changes nothing.
   */
  read(text: string, nowMs: number): IntakeStep {
    const step = this.intake.read(text, nowMs);
    if (step.file !== 'accepted') return step;
    // Its decisions are in entry order.
    const entries = step.parsed!.signals;
    step.decisions.forEach((d, k) => {
      const e = entries[k]!;
      const barTs = Date.parse(e.bar_ts);
      if (!this.ids.has(d.pair_id)) return;
      this.ledger.noteZ(d.pair_id, barTs, nanIfNull(e.z));
      this.known.set(d.pair_id, Math.max(this.known.get(d.pair_id) ?? Number.NEGATIVE_INFINITY, barTs));
      if (!d.act || d.target === null) return;
      const given = this.ledger.target(
        d.pair_id,
        barTs,
        spreadSideFromName(d.target.side),
        d.target.lots_A,
        d.target.lots_B,
        {
          z: nanIfNull(e.z),
          returnProb: nanIfNull(e.return_prob),
          riskScore: nanIfNull(e.risk_score),
          reason: e.reason || e.action,
        },
      );
      this.orders.push(...given);
    });
    return step;
  }

  /**
   * Accounts each pair up to the newest bar an accepted file named for it, as far as its prices go.
   * Returns the pairs still short of it (their prices lack that bar yet).
   */
  advance(): string[] {
    const behind: string[] = [];
    for (const [pair, ts] of this.known) if (this.ledger.advance(pair, ts) < ts) behind.push(pair);
    return behind;
  }

  /** Per pair: the newest bar_ts an accepted file named. */
  knownTs(): Record<string, number> {
    return Object.fromEntries(this.known);
  }

  /** A restart: the orders given before (re-queued in order) and the bars the files had named. */
  restore(orders: readonly PaperOrder[], known: Readonly<Record<string, number>>): void {
    for (const order of orders) {
      if (!this.ids.has(order.pairId)) continue;
      this.ledger.queue(order);
      this.orders.push(order);
    }
    for (const [pair, ts] of Object.entries(known)) if (this.ids.has(pair)) this.known.set(pair, ts);
  }
}
