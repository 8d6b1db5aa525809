// pt bt run --alert: a scheduled backtest whose acceptance verdict fails raises BT_ACCEPT_FAIL (the
// seed's バックテスト不合格, CRITICAL: Slack and PagerDuty). Research runs pass no --alert and raise nothing.
import type { BacktestJobResult } from '../backtest/job/index.js';
import type { AlertInput } from '../ports/alerts.js';

/** The alert of a failed verdict, or undefined when the run passed. */
export function btAcceptAlert(r: BacktestJobResult): AlertInput | undefined {
  const verdict = r.summary.verdict;
  if (verdict.pass) return undefined;
  const failed = verdict.checks.filter((c) => !c.pass);
  return {
    errorId: 'BT_ACCEPT_FAIL',
    source: 'bt run',
    message: `run ${r.runId} (${r.modelVersion}, ${r.period}) failed acceptance: ${failed.map((c) => `${c.name}: ${c.reason}`).join('; ')}`,
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
