// pt live's SLO metrics on the one registry: heartbeat and signal times, freshness, bars in time or
// late (against the 1h budget of 120 s), and the due bar the market calendar computes at each scrape.
import { describe, expect, it } from 'vitest';
import { signalSloMetrics } from '../../src/cli/signalSloMetrics.js';
import { registry } from '../../src/observability/metrics.js';
import { config } from '../decision/config.js';

describe('signalSloMetrics', () => {
  it('sets the gauges, the histogram and the counter the alerting rules read', async () => {
    const sink = signalSloMetrics(config, 1, '1h');
    const close = Date.UTC(2024, 1, 2, 18);
    sink.heartbeat!(close + 5_000);
    sink.signalWritten!(close + 30_000, close, 4); // 30 s: in time
    sink.signalWritten!(close + 3_600_000 + 200_000, close + 3_600_000, 3); // 200 s: late
    const text = await registry.metrics();
    expect(text).toMatch(/^core_heartbeat_timestamp_seconds\{shard="1"\} 1706896805$/m);
    expect(text).toMatch(/^core_last_signal_timestamp_seconds\{shard="1"\} 1706900600$/m);
    expect(text).toMatch(/^core_last_signal_bar_close_timestamp_seconds\{shard="1"\} 1706900400$/m);
    expect(text).toMatch(/^core_signal_bars_total\{shard="1",outcome="in_time"\} 4$/m);
    expect(text).toMatch(/^core_signal_bars_total\{shard="1",outcome="late"\} 3$/m);
    expect(text).toMatch(/^core_signal_freshness_seconds_bucket\{le="30",shard="1"\} 1$/m);
    expect(text).toMatch(/^core_signal_freshness_seconds_count\{shard="1"\} 2$/m);
    // At scrape time: a recent weekday bar close (whole hours, at most ~1 h + 2 min old).
    const due = Number(/^core_signal_due_bar_close_timestamp_seconds\{shard="1"\} (\S+)$/m.exec(text)?.[1]);
    expect(due % 3600).toBe(0);
    expect(Date.now() / 1000 - due).toBeLessThan(8 * 86_400);
  });
});
