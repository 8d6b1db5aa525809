// The metrics of `pt live` (SPEC §8), on the one registry of metrics.ts next to the seed's names.
import { Counter, Histogram } from 'prom-client';
import { metrics, registry } from './metrics.js';

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
  /** The seed's gauge (labels symbol, timeframe), shared with the data pipeline. */
  pipelineLagSeconds: metrics.pipelineLagSeconds,
} as const;

// Every action appears with 0 from the start, so a rate() over a fresh process is defined.
for (const action of SIGNAL_ACTIONS) liveMetrics.signalsEmittedTotal.inc({ action }, 0);

export type LiveMetrics = typeof liveMetrics;
