// The Prometheus registry pt serves (SPEC §8): the seed's metric names, one registry per process.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();

const labelsSourceTf = ['source', 'timeframe'] as const;
const labelsSymbolTf = ['symbol', 'timeframe'] as const;

export const metrics = {
  ingestSuccessRate: new Gauge({
    name: 'data_ingest_success_rate',
    help: 'Share of successful provider requests in the last ingest run',
    labelNames: labelsSourceTf,
    registers: [registry],
  }),
  apiLatencyMs: new Histogram({
    name: 'data_api_latency_ms',
    help: 'Provider REST/WS latency (ms)',
    labelNames: labelsSourceTf,
    buckets: [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000],
    registers: [registry],
  }),
  apiRequestsTotal: new Counter({
    name: 'data_api_requests_total',
    help: 'Provider requests by outcome',
    labelNames: [...labelsSourceTf, 'outcome'],
    registers: [registry],
  }),
  missingRate: new Gauge({
    name: 'data_missing_rate',
    help: 'Missing-bar rate of the last DQ run',
    labelNames: labelsSymbolTf,
    registers: [registry],
  }),
  outlierRate: new Gauge({
    name: 'data_outlier_rate',
    help: 'Outlier rate of the last DQ run',
    labelNames: labelsSymbolTf,
    registers: [registry],
  }),
  wsReconnectsTotal: new Counter({
    name: 'data_ws_reconnects_total',
    help: 'Price stream reconnects',
    labelNames: ['source'],
    registers: [registry],
  }),
  pipelineLagSeconds: new Gauge({
    name: 'data_pipeline_lag_seconds',
    help: 'Delay from a bar closing to it being in the canonical store',
    labelNames: labelsSymbolTf,
    registers: [registry],
  }),
  retryTotal: new Counter({
    name: 'data_retry_total',
    help: 'Provider request retries',
    labelNames: labelsSourceTf,
    registers: [registry],
  }),
  dedupeDropsTotal: new Counter({
    name: 'data_dedupe_drops_total',
    help: 'Rows dropped as duplicates on upsert',
    labelNames: labelsSymbolTf,
    registers: [registry],
  }),
  watermarkLagBars: new Gauge({
    name: 'data_watermark_lag_bars',
    help: 'Closed bars not yet in the store, per symbol',
    labelNames: labelsSymbolTf,
    registers: [registry],
  }),
  circuitOpen: new Gauge({
    name: 'data_circuit_open',
    help: '1 while the circuit of a source x timeframe is open',
    labelNames: labelsSourceTf,
    registers: [registry],
  }),
  betaStabilityStd: new Gauge({
    name: 'beta_stability_std',
    help: 'std of beta over the stability window',
    labelNames: ['pair_id', 'timeframe'],
    registers: [registry],
  }),
  dqFailTotal: new Counter({
    name: 'dq_fail_total',
    help: 'Partitions failing DQ thresholds',
    labelNames: labelsSymbolTf,
    registers: [registry],
  }),
  ingestLastRunTimestampSeconds: new Gauge({
    name: 'data_ingest_last_run_timestamp_seconds',
    help: 'When the last ingest run ended (UTC seconds)',
    labelNames: labelsSourceTf,
    registers: [registry],
  }),
  dqPassRate: new Gauge({
    name: 'data_dq_pass_rate',
    help: 'Share of month partitions within the DQ thresholds in the last DQ run',
    labelNames: ['timeframe'],
    registers: [registry],
  }),
  pipelineRowsTotal: new Counter({
    name: 'data_ingest_rows_total',
    help: 'Rows ingested by outcome',
    labelNames: [...labelsSymbolTf, 'outcome'],
    registers: [registry],
  }),
} as const;

export type PtMetrics = typeof metrics;
