// pt bt run --alert: a scheduled backtest whose acceptance verdict fails raises BT_ACCEPT_FAIL (the
// seed's バックテスト不合格, CRITICAL: Slack and PagerDuty). Research runs pass no --alert and raise nothing.
import type { BacktestJobResult } from '../backtest/job/index.js';
import type { Check } from '../backtest/kpis/index.js';
import type { AlertInput } from '../ports/alerts.js';

/** What the alert reads of a run (of its trades, only how many). */
export type BtAlertFacts = Pick<BacktestJobResult, 'runId' | 'modelVersion' | 'period' | 'pairIds'> & {
  trades: readonly unknown[];
  summary: { verdict: BacktestJobResult['summary']['verdict'] };
};

/** A number the verdict printed that is not one (NaN, ±Infinity): a KPI undefined for the run. */
const NOT_A_NUMBER = /(?<![\w.])-?(?:NaN|Infinity)(?![\w.])/g;

/** A failed check as the alert says it: an undefined value reads `n/a`, not `NaN`. */
function checkText(c: Check): string {
  return c.reason.replace(NOT_A_NUMBER, 'n/a');
}

/** The alert of a failed verdict, or undefined when the run passed. */
export function btAcceptAlert(r: BtAlertFacts): AlertInput | undefined {
  const verdict = r.summary.verdict;
  if (verdict.pass) return undefined;
  const failed = verdict.checks.filter((c) => !c.pass);
  const checks = failed.map(checkText).join('; ');
  // Say what is missing: a run without trades has no Sharpe (nor DSR, E/trade) to compare.
  const missing = checks.includes('n/a')
    ? ` (n/a: not defined for this run${r.trades.length === 0 ? ', which made no trades' : ''})`
    : '';
  return {
    errorId: 'BT_ACCEPT_FAIL',
    source: 'bt run',
    message: `run ${r.runId} (${r.modelVersion}, ${r.period}) failed acceptance: ${checks}${missing}`,
    details: {
      run_id: r.runId,
      model_version: r.modelVersion,
      period: r.period,
      pairs: r.pairIds,
      failed: failed.map((c) => c.name),
    },
    // One per run: a scheduled run failing again next week is news again.
    dedupeKey: r.runId,
  };
}
