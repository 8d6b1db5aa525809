// Plays a shared EA sequence (test/fixtures/mt5/README.md) through pt paper's intake and convergence runs,
// as test/mt5/eaDriver.cpp plays it through the EA's include files, with the same scripted broker.
import { expect } from 'vitest';
import { realInstantMs, SignalIntake, type Legs, type PlannedOrder } from '../../src/paper/index.js';
import type { Order, PairOut, Sequence, Step } from '../helpers/eaSequences.js';

export const DONE = 10009;

/**
 * Plays a sequence as test/mt5/eaDriver.cpp does: per step the restart (state saved as JSON and restored), the
 * broker's lots, the file, then (unless the step's `trading` is false) a convergence run of every pair with a target
 * against the scripted broker (an order without a scripted answer fills completely); each pair's alert is the
 * pair's after the step, as account.json lists it. `beforeStep` may edit a step (after its restart) before it is played.
 */
export function play(
  seq: Sequence,
  beforeStep?: (intake: SignalIntake, step: Step) => void,
): { file: string; pairs: PairOut[] }[] {
  let intake = new SignalIntake(seq.pairs, seq.volumes);
  const lots = new Map<string, Legs>(Object.keys(seq.pairs).map((p) => [p, [0, 0]]));
  return seq.steps.map((s) => {
    if (s.restart) {
      const saved = JSON.stringify(intake.save());
      intake = SignalIntake.restore(seq.pairs, seq.volumes, JSON.parse(saved));
      expect(JSON.stringify(intake.save()), 'state round-trips').toBe(saved);
    }
    beforeStep?.(intake, s);
    for (const [pair, a] of Object.entries(s.account ?? {})) if (lots.has(pair)) lots.set(pair, [a.lots_A, a.lots_B]);
    const script = [...(s.broker ?? [])];
    const now = realInstantMs(s.now)!;
    const read = s.file === undefined ? undefined : intake.read(s.file, now);
    const orders = new Map<string, Order[]>();
    // Trading not possible (Algo Trading off): no run at all, as the EA's timer skips Converge.
    for (const pair of s.trading === false ? [] : intake.pairsWithTarget()) {
      const run = intake.convergeFrom(pair, lots.get(pair)!, now);
      if (run === undefined) continue;
      const log: Order[] = [];
      for (let o: PlannedOrder | undefined; (o = run.next()) !== undefined; ) {
        const k = script.findIndex((b) => b.pair_id === pair && b.leg === o!.leg);
        const answer = k < 0 ? { retcode: DONE, filled: o.lots } : script.splice(k, 1)[0]!;
        run.onResult(o, answer.retcode, answer.filled);
        log.push({ ...o, retcode: answer.retcode });
      }
      lots.set(pair, [run.cur[0], run.cur[1]]);
      intake.afterRun(pair, run);
      orders.set(pair, log);
    }
    const pairs = (read?.decisions ?? []).map((d) => {
      const after = lots.get(d.pair_id);
      return {
        pair_id: d.pair_id,
        act: d.act,
        why: d.why,
        target: intake.target(d.pair_id),
        lots_after: after === undefined ? undefined : { A: after[0], B: after[1] },
        alert: intake.alert(d.pair_id),
        orders: orders.get(d.pair_id) ?? [],
      };
    });
    return { file: read?.file ?? 'none', pairs };
  });
}
