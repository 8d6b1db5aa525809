// Gross vs net: the same decisions re-run through the accounting with the cost table scaled.
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/engine.js';
import { costSensitivity } from '../../src/backtest/costSensitivity.js';
import { scaleCostTable } from '../../src/backtest/costs/scaleCostTable.js';
import { renderBacktestReport } from '../../src/backtest/report/index.js';
import { SeededRng } from '../../src/core/rng.js';
import { config, costTable, pairInput, RANDOM_PARAMS, randomColumns, testPair } from './engine/enginePairs.js';
import { loadSample } from './report/reportTestData.js';

const start = Date.parse('2024-01-01T00:00:00Z');
/** Costs that only cost: swaps are charged both ways, so more cost can never help. */
const paying = {
  ...costTable,
  defaults: { ...costTable.defaults, swap: { ...costTable.defaults.swap, long_bps_day: -2, short_bps_day: -1 } },
};

function run(capital: number, table = costTable) {
  const rng = new SeededRng(4);
  const input = {
    pairs: [
      pairInput(testPair('SYNA_SYNB'), randomColumns(rng, 4000, start)),
      pairInput(testPair('SYNC_SYND'), randomColumns(rng, 4000, start)),
    ],
    config,
    timeframe: '1h' as const,
    costTable: table,
    ruleOnly: true,
    params: RANDOM_PARAMS,
    initialCapitalUsd: capital,
  };
  return { input, result: runBacktest(input) };
}

describe('costSensitivity', () => {
  it("the 1× row re-runs the accounting to exactly the run's own equity; replaying gives the same trades", () => {
    const { input, result } = run(30_000);
    expect(result.trades.length).toBeGreaterThan(20);
    const again = runBacktest({ ...input, replayDecisions: result.decisions });
    expect(Array.from(again.equityUsd)).toEqual(Array.from(result.equityUsd));
    expect(again.trades).toEqual(result.trades);
    const g = costSensitivity(input, result);
    expect(g.rows.find((r) => r.scale === 1)!.sharpe).toBe(result.kpis.sharpe);
  });

  it("at 0× costs net equals gross: on a zero cost table the run's own KPIs are its gross row", () => {
    const { input, result } = run(30_000, scaleCostTable(costTable, 0));
    const g = costSensitivity(input, result);
    expect(g.gross.sharpe).toBe(result.kpis.sharpe);
    expect(g.gross.annualReturnSimple).toBe(result.kpis.annualReturnSimple);
    expect(g.rows.every((r) => r.pnlUsd === g.rows[0]!.pnlUsd)).toBe(true);
    for (const t of result.trades)
      expect(t.cost_commission + t.cost_slippage + t.cost_spread + Math.abs(t.swap)).toBe(0);
  });

  it('is monotone when every cost costs: more cost, lower P&L, return and Sharpe', () => {
    const { input, result } = run(1e6, paying);
    const g = costSensitivity(input, result);
    expect(g.rows.map((r) => r.scale)).toEqual([0, 0.25, 0.5, 1, 2]);
    for (let k = 1; k < g.rows.length; k++) {
      expect(g.rows[k]!.pnlUsd).toBeLessThan(g.rows[k - 1]!.pnlUsd);
      expect(g.rows[k]!.annualReturn).toBeLessThan(g.rows[k - 1]!.annualReturn);
      expect(g.rows[k]!.sharpe).toBeLessThan(g.rows[k - 1]!.sharpe);
    }
    // break-even: the gross P&L over the entry notional of both legs
    const notional = runBacktest({
      ...input,
      costTable: scaleCostTable(paying, 0),
      replayDecisions: result.decisions,
    }).trades.reduce((a, t) => a + t.notional_usd, 0);
    expect(g.breakEvenBps).toBeCloseTo((g.rows[0]!.pnlUsd / notional) * 1e4, 9);
  });

  it('counts lot-sizing skips with their reasons', () => {
    const { input, result } = run(1e6);
    const pairs = input.pairs.map((p) => ({
      ...p,
      features: {
        ...p.features,
        columns: p.features.columns.map((c, k) => (k === 5 ? c.map((b, i) => (i % 3 === 0 ? Number.NaN : b)) : c)),
      },
    }));
    const skipped = runBacktest({ ...input, pairs });
    const g = costSensitivity({ ...input, pairs }, skipped);
    expect(g.sizing.reasons.invalid_beta).toBeGreaterThan(0);
    expect(g.sizing.skipped).toBe(skipped.skips.invalid_beta);
    expect(g.sizing.rate).toBeCloseTo(g.sizing.skipped / g.sizing.attempted, 12);
    expect(result.skips.invalid_beta ?? 0).toBe(0);
  });

  it('the report shows the same table', () => {
    const { input, result } = run(30_000);
    const g = costSensitivity(input, result);
    const html = renderBacktestReport({
      ...loadSample(),
      costs: { rows: g.rows, breakEvenBps: g.breakEvenBps, costBps: 12.5, sizing: g.sizing },
    });
    expect(html).toContain('<h2>Gross and net</h2>');
    expect(html).toContain('0 (gross)');
    expect(html).toMatch(/Break-even cost: -?[\d.]+ bps per round trip/);
  });
});
