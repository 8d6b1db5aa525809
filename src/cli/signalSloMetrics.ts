// The metrics of pt live that deploy/prometheus's signal rules read: heartbeat and last signal times,
// freshness per bar, bars in time or late, and (at each scrape) the newest bar the calendar says is due.
import type { PtConfig } from '../config/schemas/index.js';
import { timeframeMs, type Timeframe } from '../core/time.js';
import { PairSessionGate } from '../decision/sessionGate.js';
import type { LiveMetricsSink } from '../live/job/runLiveJob.js';
import { shardPairs } from '../live/shardPairs.js';
import { liveMetrics, probeSignalDue } from '../observability/liveMetrics.js';
import { latestDueBarClose } from '../slo/expectedBars.js';

export function signalSloMetrics(
  config: PtConfig,
  shard: number,
  timeframe: Timeframe,
): Pick<LiveMetricsSink, 'heartbeat' | 'signalWritten'> {
  const label = { shard: String(shard) };
  const barMs = timeframeMs(timeframe);
  const budgetMs = config.pipeline_policy.freshness_budget_seconds[timeframe] * 1000;
  const gates = shardPairs(config, shard).map((p) => new PairSessionGate(config, p));
  probeSignalDue(shard, () => latestDueBarClose(gates, Date.now(), barMs, budgetMs) / 1000);
  // Until the first new bar the shard owes only bars closing after its start (a restart's gap is
  // PtLiveDown's): without a value the due-bar rule could never fire for a shard that never emits.
  liveMetrics.lastSignalBarCloseTimestampSeconds.set(label, Date.now() / 1000);
  return {
    heartbeat: (ms) => liveMetrics.heartbeatTimestampSeconds.set(label, ms / 1000),
    signalWritten: (generatedMs, barCloseMs, pairs) => {
      const lagSeconds = (generatedMs - barCloseMs) / 1000;
      liveMetrics.lastSignalTimestampSeconds.set(label, generatedMs / 1000);
      liveMetrics.lastSignalBarCloseTimestampSeconds.set(label, barCloseMs / 1000);
      liveMetrics.signalFreshnessSeconds.observe(label, lagSeconds);
      liveMetrics.signalBarsTotal.inc({ ...label, outcome: lagSeconds * 1000 <= budgetMs ? 'in_time' : 'late' }, pairs);
    },
  };
}
