// SPEC §7 decide(): each entry filter, each exit reason, flatten, sessions, ops halt, rule-only.
import { describe, expect, it } from 'vitest';
import {
  decide,
  decideInto,
  newDecision,
  newPairDecisionState,
  type DecisionBar,
  type DecisionParams,
  type OpsState,
  type PairDecisionState,
} from '../../src/decision/decide.js';
import { decisionParamsFrom } from '../../src/decision/decisionParams.js';
import { FLAT, LONG_SPREAD, SHORT_SPREAD, spreadSideForZ } from '../../src/model/spreadSide.js';
import { config } from './config.js';

const params: DecisionParams = {
  zEntry: 2,
  zExit: 0.5,
  maxHoldingBars: 48,
  thetaSpeed: 0.12,
  theta1: 0.7,
  theta2: 0.3,
  thetaStop: 0.45,
  useTheta: true,
  riskStop: true,
};
const ops: OpsState = { allowEntries: true, flatten: false, leverageScale: 1 };
/** An event starts at the bar when |z| ≥ 2 unless `eventStart` says otherwise (the machine's verdict). */
const bar = (over: Partial<DecisionBar> = {}): DecisionBar => {
  const z = over.z ?? 2.5;
  return {
    tsMs: 1_720_000_000_000,
    z,
    eventStart: Math.abs(z) >= 2 ? spreadSideForZ(z) : FLAT,
    returnProb: 0.8,
    riskScore: 0.1,
    tradable: true,
    filled: false,
    ...over,
  };
};
const open = (position: 1 | -1, barsHeld = 3): PairDecisionState => ({
  position,
  entryTsMs: 0,
  barsHeld,
  entryZ: -2.5 * position,
  pendingExit: '',
});

describe('decide: entries', () => {
  it('opens SHORT_SPREAD on z > 0 and LONG_SPREAD on z < 0 when every filter passes', () => {
    const short = decide(newPairDecisionState(), bar({ z: 2.5 }), params, ops);
    expect(short).toMatchObject({
      action: 'open',
      side: 'SHORT_SPREAD',
      reason: 'entry',
      candidate: true,
      passTheta1: true,
      passTheta2: true,
      rejectedByAi: false,
    });
    expect(short.state).toMatchObject({ position: -1, barsHeld: 0, entryZ: 2.5 });
    const long = decide(newPairDecisionState(), bar({ z: -2 }), params, ops); // |z| = z_entry counts (≥)
    expect(long).toMatchObject({ action: 'open', side: 'LONG_SPREAD' });
    expect(long.state.position).toBe(1);
  });

  it('decide() leaves the input state untouched', () => {
    const s = newPairDecisionState();
    decide(s, bar(), params, ops);
    expect(s.position).toBe(0);
  });

  it('never opens on a bar that is not an event start, whatever z is (suppressed, speed-excluded, |z| < z_entry)', () => {
    for (const b of [
      bar({ z: 1.99 }),
      bar({ z: 3, eventStart: FLAT }),
      bar({ z: -4, eventStart: FLAT }),
      bar({ z: Number.NaN }),
    ]) {
      expect(decide(newPairDecisionState(), b, params, ops)).toMatchObject({
        action: 'none',
        side: 'FLAT',
        candidate: false,
        rejectedByAi: false,
      });
    }
    // the side is the event's
    expect(decide(newPairDecisionState(), bar({ z: 2.5, eventStart: SHORT_SPREAD }), params, ops).state.position).toBe(
      SHORT_SPREAD,
    );
    expect(decide(newPairDecisionState(), bar({ z: -2.5, eventStart: LONG_SPREAD }), params, ops).state.position).toBe(
      LONG_SPREAD,
    );
  });

  it('a DQ-filled bar is never traded: no entry, and an exit due on it waits for the next real bar', () => {
    expect(decide(newPairDecisionState(), bar({ filled: true }), params, ops)).toMatchObject({
      action: 'none',
      candidate: false,
    });
    const due = decide(open(1), bar({ z: -0.2, filled: true }), params, ops);
    expect(due).toMatchObject({ action: 'hold', reason: 'exit_waits_for_real_bar' });
    expect(due.state.pendingExit).toBe('z_exit');
    // taken at the next real bar even though z has moved away again, with the reason it fell due for
    const next = decide(due.state, bar({ z: -1.5 }), params, ops);
    expect(next).toMatchObject({ action: 'close', reason: 'z_exit' });
    expect(next.state).toMatchObject({ position: 0, pendingExit: '' });
    // a bar closing into a closed market defers the exit the same way
    expect(decide(open(1), bar({ z: -0.2, tradable: false }), params, ops)).toMatchObject({
      action: 'hold',
      reason: 'exit_waits_for_open_market',
    });
    // flatten still wins at the real bar
    expect(decide(due.state, bar({ z: -1.5 }), params, { ...ops, flatten: true })).toMatchObject({
      action: 'flatten',
      reason: 'flatten',
    });
  });

  it('θ1 and θ2 filter candidates: strict > θ1 and < θ2; NaN predictions fail', () => {
    const cases: Array<[Partial<DecisionBar>, boolean, boolean]> = [
      [{ returnProb: 0.7 }, false, true],
      [{ returnProb: 0.71 }, true, true],
      [{ riskScore: 0.3 }, true, false],
      [{ riskScore: 0.29 }, true, true],
      [{ returnProb: Number.NaN }, false, true],
      [{ riskScore: Number.NaN }, true, false],
    ];
    for (const [over, p1, p2] of cases) {
      const d = decide(newPairDecisionState(), bar(over), params, ops);
      expect(d).toMatchObject({
        candidate: true,
        passTheta1: p1,
        passTheta2: p2,
        rejectedByAi: !(p1 && p2),
        action: p1 && p2 ? 'open' : 'none',
      });
    }
  });

  it('outside sessions or on a holiday (tradable false) no entry and no candidate', () => {
    expect(decide(newPairDecisionState(), bar({ tradable: false }), params, ops)).toMatchObject({
      action: 'none',
      candidate: false,
    });
  });

  it('ops halt (allowEntries false) and flatten stop entries; leverage does not', () => {
    expect(decide(newPairDecisionState(), bar(), params, { ...ops, allowEntries: false })).toMatchObject({
      action: 'none',
      candidate: false,
    });
    expect(decide(newPairDecisionState(), bar(), params, { ...ops, flatten: true })).toMatchObject({
      action: 'none',
      candidate: false,
    });
    expect(decide(newPairDecisionState(), bar(), params, { ...ops, leverageScale: 0.5 }).action).toBe('open');
  });

  it('rule-only (useTheta false) ignores the predictions', () => {
    const d = decide(
      newPairDecisionState(),
      bar({ returnProb: Number.NaN, riskScore: 0.99 }),
      { ...params, useTheta: false },
      ops,
    );
    expect(d).toMatchObject({
      action: 'open',
      candidate: true,
      passTheta1: true,
      passTheta2: true,
      rejectedByAi: false,
    });
    const p = decisionParamsFrom(config, true);
    expect(p.useTheta).toBe(false);
    expect(p.riskStop).toBe(false);
    expect(decisionParamsFrom(config)).toMatchObject({
      zEntry: 2,
      zExit: 0.5,
      maxHoldingBars: 48,
      theta1: 0.7,
      theta2: 0.3,
      thetaStop: 0.45,
      useTheta: true,
      riskStop: true,
    });
  });
});

describe('decide: exits', () => {
  it('holds while no exit rule fires, counting bars', () => {
    const d = decide(open(-1), bar({ z: 1.5 }), params, ops);
    expect(d).toMatchObject({ action: 'hold', side: 'SHORT_SPREAD', reason: '', candidate: false });
    expect(d.state.barsHeld).toBe(4);
  });

  it('|z| ≤ z_exit closes', () => {
    const d = decide(open(1), bar({ z: -0.5 }), params, ops);
    expect(d).toMatchObject({ action: 'close', side: 'LONG_SPREAD', reason: 'z_exit' });
    expect(d.state).toMatchObject({ position: 0, barsHeld: 0 });
  });

  it('elapsed bars > M closes on bar entry + M + 1, not before', () => {
    expect(decide(open(1, 47), bar({ z: -1.5 }), params, ops).action).toBe('hold'); // 48 bars elapsed: = M
    expect(decide(open(1, 48), bar({ z: -1.5 }), params, ops)).toMatchObject({
      action: 'close',
      reason: 'max_holding',
    });
  });

  it('risk_score ≥ θ_stop closes when riskStop is on, not when off; NaN never stops', () => {
    expect(decide(open(1), bar({ z: -1.5, riskScore: 0.45 }), params, ops)).toMatchObject({
      action: 'close',
      reason: 'risk_stop',
    });
    expect(decide(open(1), bar({ z: -1.5, riskScore: 0.45 }), { ...params, riskStop: false }, ops).action).toBe('hold');
    expect(decide(open(1), bar({ z: -1.5, riskScore: Number.NaN }), params, ops).action).toBe('hold');
  });

  it('flatten closes with action flatten, before any other reason; a halt alone keeps the position', () => {
    expect(decide(open(-1), bar({ z: 0.1 }), params, { ...ops, flatten: true })).toMatchObject({
      action: 'flatten',
      side: 'SHORT_SPREAD',
      reason: 'flatten',
    });
    expect(decide(open(-1), bar({ z: 1.5 }), params, { ...ops, allowEntries: false }).action).toBe('hold');
  });

  it('a hard halt (holdExits) holds the position whatever exit falls due; a flatten still closes; no entries', () => {
    const hard = { ...ops, allowEntries: false, holdExits: true };
    for (const due of [bar({ z: 0.1 }), bar({ z: -2.5, riskScore: 0.9 })])
      expect(decide(open(-1), due, params, hard)).toMatchObject({ action: 'hold', reason: 'exit_held_by_hard_halt' });
    expect(decide(open(-1, 60), bar({ z: -2.5 }), params, hard).action).toBe('hold');
    expect(decide(open(-1), bar({ z: 0.1 }), params, { ...hard, flatten: true })).toMatchObject({
      action: 'flatten',
      reason: 'flatten',
    });
    // Lifted: the exit is judged afresh on that bar (nothing was left pending).
    const held = decide(open(-1), bar({ z: 0.1 }), params, hard);
    expect(held.state.pendingExit).toBe('');
    expect(decide(held.state, bar({ z: 0.1 }), params, ops).action).toBe('close');
    expect(decide(newPairDecisionState(), bar(), params, hard).action).toBe('none');
  });

  it('no re-entry on the exit bar, even when that bar is a fresh opposite candidate', () => {
    const d = decide(open(1), bar({ z: 2.5 }), { ...params, maxHoldingBars: 2 }, ops);
    expect(d).toMatchObject({ action: 'close', reason: 'max_holding', candidate: false });
    expect(d.state.position).toBe(0);
    expect(decide(d.state, bar({ z: 2.5 }), params, ops).action).toBe('open'); // next bar may
  });

  it('decideInto updates in place and reuses the output object', () => {
    const s = newPairDecisionState();
    const out = newDecision();
    expect(decideInto(s, bar(), params, ops, out)).toBe(out);
    expect(s.position).toBe(-1);
    decideInto(s, bar({ z: 0.2 }), params, ops, out);
    expect(out).toMatchObject({ action: 'close', reason: 'z_exit' });
    expect(s.position).toBe(0);
  });
});
