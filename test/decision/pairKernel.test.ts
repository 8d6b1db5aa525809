// PairKernel claims: targets with signed legs, a sizing skip undoes the open, and a snapshot taken
// mid-run and restored into a fresh kernel continues exactly as the original.
import { describe, expect, it } from 'vitest';
import { decisionParamsFrom } from '../../src/decision/decisionParams.js';
import {
  kernelParamsFrom,
  newKernelBar,
  PairKernel,
  setKernelFeatures,
  type KernelBar,
} from '../../src/decision/pairKernel.js';
import type { SessionGate } from '../../src/decision/sessionGate.js';
import { SeededRng } from '../../src/core/rng.js';
import { F, FEATURE_COUNT } from '../../src/features/featureNames.js';
import { EVENT_STARTED, EVENT_SUPPRESSED } from '../../src/labels/ai1EventMachine.js';
import { decodeState, encodeState } from '../../src/features/stateCodec.js';
import { testPair } from '../backtest/engine/enginePairs.js';
import { config } from './config.js';

const open: SessionGate = { isTradable: () => true };
const ops = { allowEntries: true, flatten: false, leverageScale: 1 };
const params = kernelParamsFrom(config, decisionParamsFrom(config, true));
const bar = (i: number, closeA = 100, closeB = 50): KernelBar => ({
  ...newKernelBar(),
  tsMs: i * 3_600_000,
  closeMs: (i + 1) * 3_600_000,
  closeA,
  closeB,
});
function row(z: number, beta = 1, deltaZ = 0.01): Float64Array {
  const r = new Float64Array(FEATURE_COUNT).fill(0.5);
  r[F.z] = z;
  r[F.delta_z] = deltaZ;
  r[F.beta] = beta;
  return r;
}
/** One bar through both stages, as pt live drives the kernel. */
function step(k: PairKernel, b: KernelBar, r: Float64Array, valid: boolean, prob: number, risk: number, o = ops) {
  k.observe(setKernelFeatures(b, r, valid, 'raw'));
  b.returnProb = prob;
  b.riskScore = risk;
  return k.decide(b, o);
}

describe('PairKernel', () => {
  it('an event start opens with a target of signed lots; hold keeps it; an exit makes it FLAT with no lots', () => {
    const k = new PairKernel(testPair(), params, open);
    expect(step(k, bar(0), row(0), true, Number.NaN, Number.NaN).action).toBe('none');
    const a = step(k, bar(1), row(2.5, -0.5), true, Number.NaN, Number.NaN);
    expect(a).toMatchObject({
      action: 'open',
      side: 'SHORT_SPREAD',
      eventOutcome: EVENT_STARTED,
      targetSide: -1,
      targetLotsA: -1,
      targetLotsB: -1,
    });
    expect(step(k, bar(2), row(2.6, -0.5), true, Number.NaN, Number.NaN)).toMatchObject({
      action: 'hold',
      eventOutcome: EVENT_SUPPRESSED,
      targetSide: -1,
      targetLotsA: -1,
      targetLotsB: -1,
    });
    expect(step(k, bar(3), row(0.3, -0.5), true, Number.NaN, Number.NaN)).toMatchObject({
      action: 'close',
      reason: 'z_exit',
      targetSide: 0,
      targetLotsA: 0,
      targetLotsB: 0,
    });
  });

  it('an open that cannot be sized becomes none with its reason, and the pair stays flat', () => {
    const k = new PairKernel(testPair(), params, open);
    expect(step(k, bar(0), row(3, Number.NaN), true, Number.NaN, Number.NaN)).toMatchObject({
      action: 'none',
      skipReason: 'invalid_beta',
      targetSide: 0,
    });
    expect(k.state.position).toBe(0);
  });

  it('the session gate is asked at the bar close, and invalid rows have no scores', () => {
    const asked: number[] = [];
    const k = new PairKernel(testPair(), kernelParamsFrom(config, decisionParamsFrom(config)), {
      isTradable: (t) => (asked.push(t), true),
    });
    const a = step(k, bar(4), row(2.5), false, 0.9, 0.1);
    expect(asked).toEqual([5 * 3_600_000]);
    expect([a.returnProb, a.riskScore, a.action]).toEqual([Number.NaN, Number.NaN, 'none']);
  });

  it('a snapshot restored into a fresh kernel continues bar for bar like the original', () => {
    const rng = new SeededRng(3);
    const bars = Array.from({ length: 2000 }, (_, i) => {
      const z = 2.5 * Math.sin(i / 15) + rng.gaussian() * 0.4;
      return {
        b: bar(i, 100 + rng.gaussian(), 50 + rng.gaussian()),
        r: row(z, 0.8 + 0.1 * rng.next(), rng.gaussian() * 0.1),
        p: rng.next(),
        q: rng.next() * 0.6,
      };
    });
    const run = (k: PairKernel, from: number, to: number) => {
      const out: string[] = [];
      for (let i = from; i < to; i++) {
        const a = step(k, bars[i]!.b, bars[i]!.r, true, bars[i]!.p, bars[i]!.q);
        out.push(`${a.action}:${a.targetLotsA}:${a.targetLotsB}:${a.eventOutcome}`);
      }
      return out;
    };
    const p = kernelParamsFrom(config, { ...decisionParamsFrom(config), theta1: 0.3, theta2: 0.5 });
    const whole = run(new PairKernel(testPair(), p, open), 0, 2000);
    expect(whole.filter((s) => s.startsWith('open')).length).toBeGreaterThan(10);
    const first = new PairKernel(testPair(), p, open);
    const head = run(first, 0, 1234);
    const second = new PairKernel(testPair(), p, open);
    // through the feature state's JSON codec, which keeps NaN (a warm-up speed window holds one)
    second.restore(decodeState(encodeState(first.snapshot())));
    expect([...head, ...run(second, 1234, 2000)]).toEqual(whole);
  });
});
