// The ops of a live bar: manual flags, the portfolio level on account.json's equity, each pair's σ
// level on its pnl_usd, and freshness (a stale bar takes no entry; a flatten still goes out).
import { describe, expect, it } from 'vitest';
import type { AccountSnapshot } from '../../src/live/account/accountSnapshot.js';
import { LiveOps } from '../../src/live/job/liveOps.js';
import { ddPolicyParamsFrom, PairDrawdown } from '../../src/decision/ddPolicy.js';
import { DEFAULT_OPS_FLAGS, type OpsFlags } from '../../src/ports/liveBus.js';
import { config, pairOf } from '../decision/config.js';

const H = 3_600_000;
const T0 = Date.UTC(2025, 0, 6);
const specs = [pairOf('XAUUSD_XAGUSD'), pairOf('EURUSD_GBPUSD')];
const params = ddPolicyParamsFrom(config.dd_policy, 24);
const flags = (f: Partial<OpsFlags> = {}): OpsFlags => ({ ...DEFAULT_OPS_FLAGS, ...f });
const account = (equity: number, pnl: Record<string, number> = {}): AccountSnapshot => ({
  tsMs: 0,
  equity,
  balance: equity,
  positions: new Map(
    Object.entries(pnl).map(([id, p]) => [id, { side: 0 as const, lotsA: 0, lotsB: 0, tickets: [], pnlUsd: p }]),
  ),
  alerts: [],
});
const copy = (ops: readonly object[]) => ops.map((o) => ({ ...o }));

describe('LiveOps', () => {
  it('no account, no flags: every pair trades normally; manual flags halt, flatten and scale per pair', () => {
    const lo = new LiveOps(specs, params, 100_000);
    expect(copy(lo.at(T0, flags(), undefined, false))).toEqual([
      { allowEntries: true, flatten: false, leverageScale: 1, holdExits: false },
      { allowEntries: true, flatten: false, leverageScale: 1, holdExits: false },
    ]);
    const ops = lo.at(
      T0 + H,
      flags({ haltedPairs: ['EURUSD_GBPUSD'], flattenPairs: ['XAUUSD_XAGUSD'], leverageScale: 0.5 }),
      undefined,
      false,
    );
    // allowEntries stays as the flags say: decide() takes no entry for a pair under flatten anyway.
    expect(copy(ops)).toEqual([
      { allowEntries: true, flatten: true, leverageScale: 0.5, holdExits: false },
      { allowEntries: false, flatten: false, leverageScale: 0.5, holdExits: false },
    ]);
    expect(lo.at(T0 + 2 * H, flags({ globalHalt: true }), undefined, false).every((o) => !o.allowEntries)).toBe(true);
  });

  it('a hard halt holds positions (portfolio or one pair); the soft one does not', () => {
    const lo = new LiveOps(specs, params, 100_000);
    const hard = copy(lo.at(T0, flags({ globalHalt: true, hardHalt: true }), undefined, false));
    expect(hard.every((o) => (o as { holdExits: boolean }).holdExits)).toBe(true);
    const pair = lo.at(
      T0 + H,
      flags({ haltedPairs: ['EURUSD_GBPUSD'], hardPairs: ['EURUSD_GBPUSD'] }),
      undefined,
      false,
    );
    expect(copy(pair)).toEqual([
      { allowEntries: true, flatten: false, leverageScale: 1, holdExits: false },
      { allowEntries: false, flatten: false, leverageScale: 1, holdExits: true },
    ]);
    expect(lo.at(T0 + 2 * H, flags({ globalHalt: true }), undefined, false).some((o) => o.holdExits)).toBe(false);
  });

  it('a graceful flatten closes one holding pair per bar, in universe order; flat pairs are skipped', () => {
    const holding = [true, true];
    const lo = new LiveOps(specs, params, 100_000, (j) => holding[j]!);
    const both = flags({
      flattenPairs: ['XAUUSD_XAGUSD', 'EURUSD_GBPUSD'],
      gracefulPairs: ['XAUUSD_XAGUSD', 'EURUSD_GBPUSD'],
    });
    expect(lo.at(T0, both, undefined, false).map((o) => o.flatten)).toEqual([true, false]);
    holding[0] = false;
    // A flat pair keeps its flag (it takes no entry); the next holding pair closes.
    expect(lo.at(T0 + H, both, undefined, false).map((o) => o.flatten)).toEqual([true, true]);
    holding[0] = true;
    holding[1] = true;
    expect(lo.at(T0 + H, both, undefined, false).map((o) => o.flatten)).toEqual([true, false]);
    holding[0] = false;
    holding[1] = false;
    // Nothing held: the flag stays on (no entries) for both.
    expect(lo.at(T0 + 2 * H, both, undefined, false).map((o) => o.flatten)).toEqual([true, true]);
    // Immediate: every pair at once.
    holding[0] = holding[1] = true;
    const now = flags({ flattenPairs: ['XAUUSD_XAGUSD', 'EURUSD_GBPUSD'] });
    expect(lo.at(T0 + 3 * H, now, undefined, false).map((o) => o.flatten)).toEqual([true, true]);
  });

  it("a resume's canary scales the size until its time on the wall clock, portfolio-wide or for one pair", () => {
    const lo = new LiveOps(specs, params, 100_000);
    const wall = Date.UTC(2026, 11, 3);
    const canary = flags({ canaryUntil: { portfolio: wall + 1000 }, canaryScale: 0.2, leverageScale: 0.5 });
    expect(lo.at(T0, canary, undefined, false, wall).map((o) => o.leverageScale)).toEqual([0.1, 0.1]);
    expect(lo.at(T0 + H, canary, undefined, false, wall + 1000).map((o) => o.leverageScale)).toEqual([0.5, 0.5]);
    const pair = flags({ canaryUntil: { EURUSD_GBPUSD: wall + 1000 }, canaryScale: 0.2 });
    expect(lo.at(T0 + 2 * H, pair, undefined, false, wall).map((o) => o.leverageScale)).toEqual([1, 0.2]);
  });

  it('stale: no entries for any pair, a flatten still goes out', () => {
    const lo = new LiveOps(specs, params, 100_000);
    const ops = lo.at(T0, flags({ flattenPairs: ['EURUSD_GBPUSD'] }), undefined, true);
    expect(copy(ops)).toEqual([
      { allowEntries: false, flatten: false, leverageScale: 1, holdExits: false },
      { allowEntries: false, flatten: true, leverageScale: 1, holdExits: false },
    ]);
  });

  it('the portfolio level on equity: halt past dd_halt_portfolio from the peak, and it lifts when equity recovers', () => {
    const lo = new LiveOps(specs, params, 100_000);
    lo.at(T0, flags(), account(100_000), false);
    const halted = lo.at(T0 + H, flags(), account(100_000 * (1 - params.haltPortfolio - 0.001)), false);
    expect(lo.portfolioLevel).toBe(2);
    expect(halted.every((o) => !o.allowEntries && !o.flatten)).toBe(true);
    lo.at(T0 + 2 * H, flags(), account(100_000), false);
    expect(lo.portfolioLevel).toBe(0);
  });

  it("a pair's σ level on its pnl_usd (the backtest's PairDrawdown); the other pair, without pnl_usd, stays normal", () => {
    const lo = new LiveOps(specs, params, 100_000);
    const reference = new PairDrawdown(params);
    let t = T0;
    let pnl = 0;
    // Fifteen days of daily P&L changes +100, +40, ... (σ > 0 over ≥ minPairDays days).
    for (let d = 0; d < 15; d++) {
      pnl += d % 2 === 0 ? 100 : 40;
      for (let b = 0; b < 24; b++, t += H) {
        lo.at(t, flags(), account(100_000, { XAUUSD_XAGUSD: pnl }), false);
        reference.onBarClose(t, pnl);
      }
    }
    const sigma = reference.sigmaUsd;
    expect(sigma).toBeGreaterThan(0);
    const drop = (k: number) => pnl - k * sigma;
    let ops = lo.at(t, flags(), account(100_000, { XAUUSD_XAGUSD: drop(params.kHalt + 0.01) }), false);
    expect(lo.pairLevels).toEqual([2, 0]);
    expect(copy(ops)).toEqual([
      { allowEntries: false, flatten: false, leverageScale: params.leverageScaleOnWarn, holdExits: false },
      { allowEntries: true, flatten: false, leverageScale: 1, holdExits: false },
    ]);
    ops = lo.at(t + H, flags(), account(100_000, { XAUUSD_XAGUSD: drop(params.kFlatten + 0.01) }), false);
    expect(lo.pairLevels[0]).toBe(3);
    expect(ops[0]).toMatchObject({ allowEntries: false, flatten: true });
  });
});
