// pt serve's metrics, on the one registry of metrics.ts: the latency of each API request by route
// template (never the raw URL: ids in paths would make a series per request) and status code.
// The seed names no API latency metric; this follows its `data_api_latency_ms` (milliseconds).
import { Histogram } from 'prom-client';
import { registry } from './metrics.js';

export const apiMetrics = {
  requestLatencyMs: new Histogram({
    name: 'api_request_latency_ms',
    help: 'pt serve request latency (ms) by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
    registers: [registry],
  }),
} as const;
