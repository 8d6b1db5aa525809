// The retrain gate on hand-made numbers: each SPEC §7 "versus the previous model" check failing alone,
// all holding, the bounds themselves, a flat model in force, and the first promotion's absolute bounds.
import { describe, expect, it } from 'vitest';
import {
  formatPromotionChecks,
  promotionDecision,
  type PromotionKpis,
  type PromotionThresholds,
} from '../../../src/ops/model/promotionDecision.js';

const T: PromotionThresholds = {
  sharpe_min: 1.2,
  max_dd_max: 0.12,
  trades_per_year_min: 150,
  sharpe_ratio_vs_old: 0.95,
  max_dd_increase_vs_old: 0.03,
  false_stop_max: 0.1,
};
const OLD: PromotionKpis = { sharpe: 1.0, maxDrawdown: 0.05, ePerTrade: 12, trades: 40, tradesPerYear: 160 };
const GOOD: PromotionKpis = { sharpe: 1.1, maxDrawdown: 0.06, ePerTrade: 15, trades: 42, tradesPerYear: 170 };
const failed = (d: ReturnType<typeof promotionDecision>) => d.checks.filter((c) => !c.pass).map((c) => c.name);

describe('promotionDecision', () => {
  it('promotes when every check versus the model in force holds', () => {
    const d = promotionDecision(GOOD, OLD, 0.05, T);
    expect(d.promote).toBe(true);
    expect(d.checks.map((c) => [c.name, c.value, c.limit, c.pass])).toEqual([
      ['sharpe_vs_old', 1.1, 0.95, true],
      ['max_dd_vs_old', 0.06, 0.08, true],
      ['e_per_trade', 15, 0, true],
      ['false_stop', 0.05, 0.1, true],
    ]);
    expect(d.reason).toBe('every check versus the model in force holds');
  });

  it.each([
    ['sharpe_vs_old', { ...GOOD, sharpe: 0.94 }, 0.05, 'sharpe_vs_old 0.94 not ≥ 0.95 (0.95·1)'],
    ['max_dd_vs_old', { ...GOOD, maxDrawdown: 0.081 }, 0.05, 'max_dd_vs_old 0.081 not ≤ 0.08 (0.05 + 0.03)'],
    ['e_per_trade', { ...GOOD, ePerTrade: -0.5 }, 0.05, 'e_per_trade -0.5 not ≥ 0'],
    ['false_stop', GOOD, 0.1, 'false_stop 0.1 not < 0.1'],
  ])('holds when %s alone fails, and says why', (name, candidate, falseStop, reason) => {
    const d = promotionDecision(candidate, OLD, falseStop, T);
    expect(d.promote).toBe(false);
    expect(failed(d)).toEqual([name]);
    expect(d.reason).toBe(reason);
  });

  it('takes the bounds themselves as passing (≥, ≤), decimals as written', () => {
    const d = promotionDecision({ ...GOOD, sharpe: 0.95, maxDrawdown: 0.08, ePerTrade: 0 }, OLD, 0.0999, T);
    expect(d.promote).toBe(true);
  });

  it('passes the false-stop check when the candidate had no risk stop', () => {
    const d = promotionDecision(GOOD, OLD, null, T);
    expect(d.promote).toBe(true);
    expect(d.checks.find((c) => c.name === 'false_stop')!.note).toBe('no risk stop, none false');
  });

  it('fails a candidate without a trade (E/trade undefined)', () => {
    const none = { sharpe: Number.NaN, maxDrawdown: 0, ePerTrade: Number.NaN, trades: 0, tradesPerYear: 0 };
    const d = promotionDecision(none, OLD, null, T);
    expect(d.promote).toBe(false);
    expect(failed(d)).toEqual(['sharpe_vs_old', 'e_per_trade']);
    expect(d.reason).toContain('e_per_trade NaN not ≥ 0 (no trade)');
  });

  it('counts a model in force without a trade as a flat account (Sharpe 0, MaxDD 0)', () => {
    const flat = { sharpe: Number.NaN, maxDrawdown: Number.NaN, ePerTrade: Number.NaN, trades: 0, tradesPerYear: 0 };
    expect(promotionDecision({ ...GOOD, sharpe: 0.2, maxDrawdown: 0.02 }, flat, null, T).promote).toBe(true);
    const d = promotionDecision({ ...GOOD, sharpe: -0.1, maxDrawdown: 0.04 }, flat, null, T);
    expect(failed(d)).toEqual(['sharpe_vs_old', 'max_dd_vs_old']);
    expect(d.reason).toContain('(0.95·0 (in force made no trade: a flat account))');
  });

  it('needs the absolute acceptance when no model is in force', () => {
    const yes = promotionDecision({ ...GOOD, sharpe: 1.3, maxDrawdown: 0.1, tradesPerYear: 150 }, null, null, T);
    expect(yes.promote).toBe(true);
    expect(yes.checks.map((c) => c.name)).toEqual(['sharpe', 'max_dd', 'trades_per_year', 'e_per_trade', 'false_stop']);
    const no = promotionDecision({ ...GOOD, sharpe: 1.2 }, null, null, T);
    expect(no.promote).toBe(false);
    expect(failed(no)).toEqual(['sharpe']);
  });

  it('prints one row per check', () => {
    const lines = formatPromotionChecks(promotionDecision({ ...GOOD, sharpe: 0.5 }, OLD, 0.05, T));
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^sharpe_vs_old\s+0\.5\s+≥ 0\.95\s+FAIL\s+0\.95·1$/);
    expect(lines[3]).toMatch(/^e_per_trade\s+15\s+≥ 0\s+pass$/);
  });
});
