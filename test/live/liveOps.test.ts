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
      { allowEntries: true, flatten: false, leverageScale: 1 },
      { allowEntries: true, flatten: false, leverageScale: 1 },
    ]);
    const ops = lo.at(
      T0 + H,
      flags({ haltedPairs: ['EURUSD_GBPUSD'], flattenPairs: ['XAUUSD_XAGUSD'], leverageScale: 0.5 }),
      undefined,
      false,
    );
    // allowEntries stays as the flags say: decide() takes no entry for a pair under flatten anyway.
    expect(copy(ops)).toEqual([
      { allowEntries: true, flatten: true, leverageScale: 0.5 },
      { allowEntries: false, flatten: false, leverageScale: 0.5 },
    ]);
    expect(lo.at(T0 + 2 * H, flags({ globalHalt: true }), undefined, false).every((o) => !o.allowEntries)).toBe(true);
  });

  it('stale: no entries for any pair, a flatten still goes out', () => {
    const lo = new LiveOps(specs, params, 100_000);
    const ops = lo.at(T0, flags({ flattenPairs: ['EURUSD_GBPUSD'] }), undefined, true);
    expect(copy(ops)).toEqual([
      { allowEntries: false, flatten: false, leverageScale: 1 },
      { allowEntries: false, flatten: true, leverageScale: 1 },
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
      { allowEntries: false, flatten: false, leverageScale: params.leverageScaleOnWarn },
      { allowEntries: true, flatten: false, leverageScale: 1 },
    ]);
    ops = lo.at(t + H, flags(), account(100_000, { XAUUSD_XAGUSD: drop(params.kFlatten + 0.01) }), false);
    expect(lo.pairLevels[0]).toBe(3);
    expect(ops[0]).toMatchObject({ allowEntries: false, flatten: true });
  });
});
