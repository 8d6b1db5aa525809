// The metrics of `pt live` (SPEC §8), on the one registry of metrics.ts next to the seed's names.
import { Counter, Gauge, Histogram } from 'prom-client';
import { metrics, registry } from './metrics.js';

/** Per shard: the close (UTC s) of the newest bar a signal is due for now; set by `probeSignalDue`. */
const dueProbes = new Map<string, () => number>();

/**
 * What `core_signal_due_bar_close_timestamp_seconds{shard}` reports at each scrape: the close (UTC
 * seconds) of the newest bar the market calendar expects whose close + freshness budget has passed.
 */
export function probeSignalDue(shard: number, dueBarCloseSeconds: () => number): void {
  dueProbes.set(String(shard), dueBarCloseSeconds);
}

/** Signal actions as signal.json names them: the label values of core_signals_emitted_total. */
export const SIGNAL_ACTIONS = ['open', 'close', 'hold', 'flatten'] as const;

export const liveMetrics = {
  /** One row's AI1 + AI2 inference (scaling, ONNX, calibration): the per-pair target is a few ms. */
  inferLatencyMs: new Histogram({
    name: 'core_infer_latency_ms',
    help: 'Inference time of one bar of one pair, AI1 and AI2 (ms)',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100],
    registers: [registry],
  }),
  /** From a closed bar's arrival to the shard's signal.json renamed into place (seed NFR: < 200 ms per pair). */
  barToSignalMs: new Histogram({
    name: 'core_bar_to_signal_ms',
    help: 'Time from a closed bar arriving to signal.json written (ms)',
    buckets: [0.5, 1, 2.5, 5, 10, 25, 50, 100, 200, 500, 1000, 5000],
    registers: [registry],
  }),
  signalsEmittedTotal: new Counter({
    name: 'core_signals_emitted_total',
    help: 'Signals written to signal.json, by action',
    labelNames: ['action'],
    registers: [registry],
  }),
  redisErrorsTotal: new Counter({
    name: 'core_redis_errors_total',
    help: 'Redis calls that failed (the file bus took them)',
    registers: [registry],
  }),
  /** Wall time (UTC s) of the shard's last heartbeat: a loop that stops beating is stuck (deploy/prometheus). */
  heartbeatTimestampSeconds: new Gauge({
    name: 'core_heartbeat_timestamp_seconds',
    help: "Time of the shard's last heartbeat (UTC seconds)",
    labelNames: ['shard'],
    registers: [registry],
  }),
  lastSignalTimestampSeconds: new Gauge({
    name: 'core_last_signal_timestamp_seconds',
    help: 'Time signal.json was last written for a new bar (UTC seconds)',
    labelNames: ['shard'],
    registers: [registry],
  }),
  lastSignalBarCloseTimestampSeconds: new Gauge({
    name: 'core_last_signal_bar_close_timestamp_seconds',
    help: 'Close of the newest bar signal.json was written for (UTC seconds)',
    labelNames: ['shard'],
    registers: [registry],
  }),
  /** Above core_last_signal_bar_close_timestamp_seconds: an expected bar went past its freshness budget unanswered. */
  signalDueBarCloseTimestampSeconds: new Gauge({
    name: 'core_signal_due_bar_close_timestamp_seconds',
    help: 'Close of the newest bar the market calendar expects whose freshness budget has run out (UTC seconds)',
    labelNames: ['shard'],
    registers: [registry],
    collect() {
      for (const [shard, due] of dueProbes) this.set({ shard }, due());
    },
  }),
  /** generated_at − bar close per bar time (the SLO's freshness; buckets around the 60/120/180 s budgets). */
  signalFreshnessSeconds: new Histogram({
    name: 'core_signal_freshness_seconds',
    help: 'Time from a bar closing to its signal.json being written (s)',
    labelNames: ['shard'],
    buckets: [1, 5, 15, 30, 60, 90, 120, 180, 300, 600, 1800, 3600],
    registers: [registry],
  }),
  signalBarsTotal: new Counter({
    name: 'core_signal_bars_total',
    help: "Pairs' bars written to signal.json, by outcome: in_time (within freshness_budget_seconds of the close) or late",
    labelNames: ['shard', 'outcome'],
    registers: [registry],
  }),
  /** The seed's gauge (labels symbol, timeframe), shared with the data pipeline. */
  pipelineLagSeconds: metrics.pipelineLagSeconds,
} as const;

// Every action appears with 0 from the start, so a rate() over a fresh process is defined.
for (const action of SIGNAL_ACTIONS) liveMetrics.signalsEmittedTotal.inc({ action }, 0);

export type LiveMetrics = typeof liveMetrics;
