// pt live's metrics over a real HTTP server: the SPEC names and the live ones, counted values, 404/405, close.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { liveMetrics } from '../../src/observability/liveMetrics.js';
import { startMetricsServer, type MetricsServer } from '../../src/observability/metricsServer.js';

function get(port: number, path: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let servers: MetricsServer[] = [];
afterEach(async () => {
  for (const s of servers) await s.close();
  servers = [];
});

describe('startMetricsServer', () => {
  it('serves the registry on /metrics in the Prometheus text format, with the live metrics and their values', async () => {
    const server = await startMetricsServer(0);
    servers.push(server);
    expect(server.port).toBeGreaterThan(0);
    liveMetrics.inferLatencyMs.observe(0.7);
    liveMetrics.inferLatencyMs.observe(3);
    liveMetrics.barToSignalMs.observe(4);
    liveMetrics.signalsEmittedTotal.inc({ action: 'open' });
    liveMetrics.signalsEmittedTotal.inc({ action: 'open' });
    liveMetrics.redisErrorsTotal.inc();
    liveMetrics.pipelineLagSeconds.set({ symbol: 'XAUUSD', timeframe: '1h' }, 12.5);
    const r = await get(server.port, '/metrics');
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(r.body).toContain('# TYPE core_infer_latency_ms histogram');
    expect(r.body).toMatch(/^core_infer_latency_ms_count 2$/m);
    expect(r.body).toMatch(/^core_infer_latency_ms_bucket\{le="1"\} 1$/m);
    expect(r.body).toMatch(/^core_infer_latency_ms_sum 3\.7$/m);
    expect(r.body).toMatch(/^core_bar_to_signal_ms_bucket\{le="5"\} 1$/m);
    expect(r.body).toMatch(/^core_signals_emitted_total\{action="open"\} 2$/m);
    // The other actions are there at 0 from the start.
    for (const action of ['close', 'hold', 'flatten'])
      expect(r.body).toMatch(new RegExp(`^core_signals_emitted_total\\{action="${action}"\\} 0$`, 'm'));
    expect(r.body).toMatch(/^core_redis_errors_total 1$/m);
    expect(r.body).toMatch(/^data_pipeline_lag_seconds\{symbol="XAUUSD",timeframe="1h"\} 12\.5$/m);
    // The seed's data metrics are on the same registry.
    expect(r.body).toContain('# TYPE data_api_latency_ms histogram');
    // A scrape reads current values, not a snapshot taken at start.
    liveMetrics.redisErrorsTotal.inc(2);
    expect((await get(server.port, '/metrics?x=1')).body).toMatch(/^core_redis_errors_total 3$/m);
  });

  it('answers 404 elsewhere and 405 to other methods, HEAD without a body; close frees the port', async () => {
    const server = await startMetricsServer(0);
    expect((await get(server.port, '/')).status).toBe(404);
    expect((await get(server.port, '/metrics/x')).status).toBe(404);
    expect((await get(server.port, '/metrics', 'POST')).status).toBe(405);
    const head = await get(server.port, '/metrics', 'HEAD');
    expect([head.status, head.body]).toEqual([200, '']);
    await server.close();
    await server.close();
    await expect(get(server.port, '/metrics')).rejects.toThrow(/ECONNREFUSED/);
    // The same port can be bound again at once.
    const again = await startMetricsServer(server.port);
    servers.push(again);
    expect(again.port).toBe(server.port);
    expect((await get(again.port, '/metrics')).status).toBe(200);
  });

  it('rejects a port another server holds', async () => {
    const first = await startMetricsServer(0);
    servers.push(first);
    await expect(startMetricsServer(first.port)).rejects.toThrow(/EADDRINUSE/);
  });
});
