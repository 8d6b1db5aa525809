// BT_ACCEPT_FAIL's text from real verdicts: a KPI that is not defined for the run (Sharpe of a run
// without trades, a DSR a search could not compute) reads n/a and says why, never NaN.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { absoluteAcceptance, withDeflatedSharpe, type AcceptanceKpis } from '../../src/backtest/kpis/acceptance.js';
import { btAcceptAlert, type BtAlertFacts } from '../../src/cli/btAlerts.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { fillTemplate } from '../../src/alerts/alertPayloads.js';
import { repoRoot } from '../helpers/runPt.js';

const config = loadConfig(join(repoRoot, 'config'));
const thresholds = config.backtest_policy.acceptance;

function run(kpis: AcceptanceKpis, trades: number, dsr?: number | null): BtAlertFacts {
  const absolute = absoluteAcceptance(kpis, thresholds);
  return {
    runId: 'bt_20260302_1',
    modelVersion: 'rule-only',
    period: '2024-01-01..2024-07-01',
    pairIds: ['SYNA_SYNB'],
    trades: Array.from({ length: trades }, (_, i) => i),
    summary: { verdict: dsr === undefined ? absolute : withDeflatedSharpe(absolute, { trials: 40, dsr }) },
  };
}

const noTrades: AcceptanceKpis = {
  sharpe: Number.NaN,
  maxDrawdown: 0,
  tradesPerYear: 0,
  ePerTrade: Number.NaN,
  falseStopRate: Number.NaN,
  riskStops: 0,
};

describe('BT_ACCEPT_FAIL text', () => {
  it('a run without trades: Sharpe reads n/a and the message says the run made no trades', () => {
    const r = run(noTrades, 0);
    // The verdict itself still says NaN: what the alert must not pass on.
    expect(r.summary.verdict.reason).toContain('NaN');
    const a = btAcceptAlert(r)!;
    expect(a.message).toBe(
      'run bt_20260302_1 (rule-only, 2024-01-01..2024-07-01) failed acceptance: sharpe n/a not > 1.2; ' +
        'trades_per_year 0 not ≥ 150 (n/a: not defined for this run, which made no trades)',
    );
    const text = fillTemplate(config.slack_policy.message_templates.alert!, {
      event_id: 'e1',
      error_id: a.errorId,
      severity: 'CRITICAL',
      source: a.source,
      message: a.message,
      occurred_at: '2026-03-02T10:00:00.000Z',
      details: a.details ?? {},
    });
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(a.details).toMatchObject({ failed: ['sharpe', 'trades_per_year'] });
  });

  it('a DSR the search could not compute reads n/a; finite values and names stay as they are', () => {
    const r = run({ ...noTrades, sharpe: 0.8, tradesPerYear: 200, ePerTrade: 1 }, 12, null);
    const a = btAcceptAlert(r)!;
    expect(a.message).toContain(
      'failed acceptance: sharpe 0.8 not > 1.2; dsr n/a not ≥ 0.95 (Deflated Sharpe over 40 trials)',
    );
    expect(a.message).toMatch(/\(n\/a: not defined for this run\)$/);
    expect(a.message).not.toMatch(/NaN|Infinity/);
  });

  it('a verdict without undefined values is passed on as it is; a passing run raises nothing', () => {
    const failing = btAcceptAlert(run({ ...noTrades, sharpe: 0.5, maxDrawdown: 0.2, tradesPerYear: 200 }, 50))!;
    expect(failing.message).toBe(
      'run bt_20260302_1 (rule-only, 2024-01-01..2024-07-01) failed acceptance: sharpe 0.5 not > 1.2; max_dd 0.2 not < 0.12',
    );
    expect(btAcceptAlert(run({ ...noTrades, sharpe: 2, maxDrawdown: 0.05, tradesPerYear: 200 }, 100))).toBeUndefined();
  });
});
