// SPEC §7 acceptance verdicts on boundary values, with thresholds read from config/backtest_policy.yaml.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { absoluteAcceptance, relativeAcceptance, type AcceptanceKpis } from '../../../src/backtest/kpis/index.js';
import { DSR_MIN, withDeflatedSharpe } from '../../../src/backtest/kpis/acceptance.js';

const t = loadConfig(fileURLToPath(new URL('../../../config', import.meta.url))).backtest_policy.acceptance;
const base: AcceptanceKpis = {
  sharpe: 1.5,
  maxDrawdown: 0.08,
  tradesPerYear: 200,
  ePerTrade: 0.001,
  falseStopRate: 0.05,
  riskStops: 40,
};
const checkOf = (v: ReturnType<typeof absoluteAcceptance>, name: string): boolean =>
  v.checks.find((c) => c.name === name)!.pass;

describe('absoluteAcceptance (Sharpe > 1.2, MaxDD < 0.12, trades/yr ≥ 150)', () => {
  it('thresholds come from config', () => {
    expect(t).toEqual({
      sharpe_min: 1.2,
      max_dd_max: 0.12,
      trades_per_year_min: 150,
      sharpe_ratio_vs_old: 0.95,
      max_dd_increase_vs_old: 0.03,
      false_stop_max: 0.1,
    });
  });

  it('passes inside every bound', () => {
    const v = absoluteAcceptance(base, t);
    expect(v.pass).toBe(true);
    expect(v.reason).toBe('all bounds hold');
  });

  it('strict bounds fail at equality, the inclusive one passes', () => {
    expect(checkOf(absoluteAcceptance({ ...base, sharpe: 1.2 }, t), 'sharpe')).toBe(false);
    expect(checkOf(absoluteAcceptance({ ...base, sharpe: 1.2000001 }, t), 'sharpe')).toBe(true);
    expect(checkOf(absoluteAcceptance({ ...base, maxDrawdown: 0.12 }, t), 'max_dd')).toBe(false);
    expect(checkOf(absoluteAcceptance({ ...base, maxDrawdown: 0.1199999 }, t), 'max_dd')).toBe(true);
    expect(checkOf(absoluteAcceptance({ ...base, tradesPerYear: 150 }, t), 'trades_per_year')).toBe(true);
    expect(checkOf(absoluteAcceptance({ ...base, tradesPerYear: 149.999 }, t), 'trades_per_year')).toBe(false);
  });

  it('a failure names each broken bound; NaN Sharpe fails', () => {
    const v = absoluteAcceptance({ ...base, sharpe: Number.NaN, tradesPerYear: 100 }, t);
    expect(v.pass).toBe(false);
    expect(v.reason).toBe('sharpe NaN not > 1.2; trades_per_year 100 not ≥ 150');
  });
});

describe('relativeAcceptance (versus the previous model)', () => {
  const old: AcceptanceKpis = { ...base, sharpe: 2, maxDrawdown: 0.1 };

  it('Sharpe_new ≥ 0.95·Sharpe_old: 1.9 passes, 1.8999 fails', () => {
    expect(checkOf(relativeAcceptance({ ...base, sharpe: 1.9 }, old, t), 'sharpe_vs_old')).toBe(true);
    const v = relativeAcceptance({ ...base, sharpe: 1.8999 }, old, t);
    expect(v.pass).toBe(false);
    expect(v.reason).toBe('sharpe_vs_old 1.8999 not ≥ 0.95·2 = 1.9');
  });

  it('MaxDD_new ≤ MaxDD_old + 0.03: 0.13 passes, 0.1301 fails', () => {
    expect(checkOf(relativeAcceptance({ ...base, maxDrawdown: 0.13 }, old, t), 'max_dd_vs_old')).toBe(true);
    expect(checkOf(relativeAcceptance({ ...base, maxDrawdown: 0.1301 }, old, t), 'max_dd_vs_old')).toBe(false);
  });

  it('decides as the decimals read: 0.29 + 0.03 is 0.31999999999999995 in binary, yet 0.32 passes', () => {
    expect(0.29 + 0.03 < 0.32).toBe(true);
    expect(
      checkOf(relativeAcceptance({ ...base, maxDrawdown: 0.32 }, { ...old, maxDrawdown: 0.29 }, t), 'max_dd_vs_old'),
    ).toBe(true);
    expect(
      checkOf(relativeAcceptance({ ...base, maxDrawdown: 0.3201 }, { ...old, maxDrawdown: 0.29 }, t), 'max_dd_vs_old'),
    ).toBe(false);
  });

  it('E/trade ≥ 0: 0 passes, −1e-6 fails', () => {
    expect(checkOf(relativeAcceptance({ ...base, ePerTrade: 0 }, old, t), 'e_per_trade')).toBe(true);
    expect(checkOf(relativeAcceptance({ ...base, ePerTrade: -1e-6 }, old, t), 'e_per_trade')).toBe(false);
  });

  it('false-stop < 10%: 0.1 fails, 0.0999 passes, no risk stops passes with its reason', () => {
    expect(checkOf(relativeAcceptance({ ...base, falseStopRate: 0.1 }, old, t), 'false_stop')).toBe(false);
    expect(checkOf(relativeAcceptance({ ...base, falseStopRate: 0.0999 }, old, t), 'false_stop')).toBe(true);
    const none = relativeAcceptance({ ...base, sharpe: 1.9, falseStopRate: Number.NaN, riskStops: 0 }, old, t);
    expect(none.pass).toBe(true);
    expect(none.checks.find((c) => c.name === 'false_stop')!.reason).toBe('false_stop: no risk stops, none false');
  });

  it('a NaN Sharpe on either side fails the Sharpe check', () => {
    expect(checkOf(relativeAcceptance({ ...base, sharpe: Number.NaN }, old, t), 'sharpe_vs_old')).toBe(false);
    expect(checkOf(relativeAcceptance(base, { ...old, sharpe: Number.NaN }, t), 'sharpe_vs_old')).toBe(false);
  });
});

describe('withDeflatedSharpe (an optimised θ: DSR ≥ 0.95 over the search)', () => {
  const passing = absoluteAcceptance(base, t);
  it('adds one dsr check, inclusive at the bound; the others are kept', () => {
    const v = withDeflatedSharpe(passing, { trials: 305, dsr: 0.95 });
    expect(v.checks.map((c) => c.name)).toEqual([...passing.checks.map((c) => c.name), 'dsr']);
    expect(v.pass).toBe(true);
    const low = withDeflatedSharpe(passing, { trials: 305, dsr: 0.73 });
    expect(low.pass).toBe(false);
    expect(low.reason).toBe('dsr 0.73 not ≥ 0.95 (Deflated Sharpe over 305 trials)');
  });

  it('fails when the search could not compute a DSR (its selection bias is unmeasured)', () => {
    expect(checkOf(withDeflatedSharpe(passing, { trials: 12, dsr: null }), 'dsr')).toBe(false);
    expect(DSR_MIN).toBe(0.95);
  });
});
