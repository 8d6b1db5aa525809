// pt monitor fixtures: a MonitorState built by hand, and an ops folder as pt live and the alerting write it.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_OPS_FLAGS } from '../../src/ports/liveBus.js';
import type { MonitorSettings } from '../../src/monitor/monitorSettings.js';
import type { MonitorState, PairState } from '../../src/monitor/monitorState.js';

/** 2026-12-04 02:00:00 UTC. */
export const NOW = Date.UTC(2026, 11, 4, 2, 0, 0);
export const iso = (ms: number) => new Date(ms).toISOString();

export const SETTINGS: MonitorSettings = {
  pairs: [
    { pairId: 'XAUUSD_XAGUSD', shard: 0 },
    { pairId: 'GBPUSD_USDCHF', shard: 0 },
    { pairId: 'EURUSD_GBPUSD', shard: 1 },
  ],
  heartbeatTtlSeconds: 30,
  dd: { warn: 0.08, halt: 0.1, flatten: 0.12 },
  refreshSeconds: { portfolio: 10, pairs: 15, alerts: 10 },
  alertLimit: 50,
};

export function pair(p: Partial<PairState> & { pairId: string }): PairState {
  return { reported: true, stale: false, ...p };
}

/** Shard 0 beating and at warn; shard 1 without a heartbeat; one stale pair with a reconcile mismatch. */
export function sampleState(over: Partial<MonitorState> = {}): MonitorState {
  return {
    takenAtMs: NOW,
    flags: { ...DEFAULT_OPS_FLAGS, haltedPairs: ['GBPUSD_USDCHF'], hardPairs: [] },
    flagProblems: [],
    haltLevel: 'none',
    canary: [],
    shards: [
      {
        shard: 0,
        pairs: ['XAUUSD_XAGUSD', 'GBPUSD_USDCHF'],
        heartbeat: { ts: iso(NOW - 4000), age_seconds: 4, lost: false },
        lost: false,
        dd: { level: 'warn', since: iso(NOW - 86_400_000), drawdown: 0.085, pairs: {} },
        ddBand: 'warn',
        equity: 101_234.5,
        balance: 100_000,
      },
      { shard: 1, pairs: ['EURUSD_GBPUSD'], lost: true },
    ],
    pairs: [
      pair({
        pairId: 'XAUUSD_XAGUSD',
        shard: 0,
        barTs: iso(NOW - 3_600_000),
        z: 1.84,
        beta: 0.0123,
        rho: 0.88,
        seq: 1_764_814_500_000_123,
        returnProb: 0.71,
        riskScore: 0.22,
        position: 'LONG_SPREAD',
        signalAction: 'open',
        signalAt: iso(NOW - 9000),
        signalAgeSeconds: 9,
        reconcile: 'ok',
      }),
      pair({
        pairId: 'GBPUSD_USDCHF',
        shard: 0,
        z: 0.31,
        returnProb: 0.4,
        riskScore: 0.1,
        position: 'FLAT',
        signalAction: 'hold',
        signalAgeSeconds: 30,
        reconcile: 'ok',
        halt: 'soft',
      }),
      pair({
        pairId: 'EURUSD_GBPUSD',
        shard: 1,
        z: -2.41,
        returnProb: 0.3,
        riskScore: 0.61,
        position: 'FLAT',
        signalAction: 'hold',
        signalAgeSeconds: 600,
        stale: true,
        reconcile: 'mismatch',
      }),
    ],
    alerts: [
      {
        event_id: 'e2',
        error_id: 'DATA_DQ_GAP',
        severity: 'WARNING',
        source: 'dq',
        message: 'gap of 3 bars in XAUUSD',
        occurred_at: iso(NOW - 60_000),
      },
      {
        event_id: 'e1',
        error_id: 'OPS_REDIS_CONNFAIL',
        severity: 'CRITICAL',
        source: 'live',
        message: 'Redis at redis://127.0.0.1:6379 failed heartbeat: connect ECONNREFUSED and a long tail of text',
        occurred_at: iso(NOW - 600_000),
      },
    ],
    ...over,
  };
}

export const ALERT_LINES = [
  {
    event_id: 'e1',
    error_id: 'OPS_REDIS_CONNFAIL',
    severity: 'CRITICAL',
    source: 'live',
    message: 'Redis down',
    occurred_at: iso(NOW - 600_000),
  },
  {
    event_id: 'e2',
    error_id: 'DATA_DQ_GAP',
    severity: 'WARNING',
    source: 'dq',
    message: 'gap of 3 bars',
    occurred_at: iso(NOW - 60_000),
  },
];

/**
 * An ops folder as pt live (files bus) writes it: shard 0 beating 4 s ago with equity and at DD warn,
 * shard 1 beating 10 minutes ago (lost), a fresh pair and a stale one with a reconcile mismatch, and
 * alerts.jsonl whose last line is torn (a writer mid-append).
 */
export async function writeOpsDir(opsDir: string, nowMs = NOW): Promise<void> {
  await mkdir(join(opsDir, 'state'), { recursive: true });
  await mkdir(join(opsDir, 'signals'), { recursive: true });
  const json = (v: unknown) => `${JSON.stringify(v)}\n`;
  await writeFile(
    join(opsDir, 'heartbeat_shard_0.json'),
    json({
      shard: 0,
      pid: 11,
      ts: iso(nowMs - 4000),
      expires_at: iso(nowMs + 26_000),
      equity: 101_234.5,
      balance: 100_000,
    }),
  );
  await writeFile(
    join(opsDir, 'heartbeat_shard_1.json'),
    json({ shard: 1, pid: 12, ts: iso(nowMs - 600_000), expires_at: iso(nowMs - 570_000) }),
  );
  await writeFile(
    join(opsDir, 'state', 'XAUUSD_XAGUSD.json'),
    json({
      bar_ts: iso(nowMs - 3_600_000),
      z: 1.84,
      beta: 0.0123,
      position: 'LONG_SPREAD',
      return_prob: 0.71,
      risk_score: 0.22,
      rho: 0.88,
      seq: 17,
      stale: false,
      tradable: true,
      signal_action: 'open',
      signal_at: iso(nowMs - 9000),
      reconcile: 'ok',
    }),
  );
  await writeFile(
    join(opsDir, 'state', 'EURUSD_GBPUSD.json'),
    json({
      bar_ts: iso(nowMs - 3_600_000),
      z: -2.41,
      beta: null,
      position: 'FLAT',
      return_prob: 0.3,
      risk_score: 0.61,
      rho: 0.5,
      seq: 18,
      stale: true,
      tradable: true,
      signal_action: 'hold',
      signal_at: iso(nowMs - 600_000),
      reconcile: 'mismatch',
    }),
  );
  await writeFile(
    join(opsDir, 'signals', 'XAUUSD_XAGUSD.json'),
    json({ signal_id: 's1', pair_id: 'XAUUSD_XAGUSD', action: 'open', target: { side: 'LONG_SPREAD', legs: [] } }),
  );
  await writeFile(
    join(opsDir, 'flags.json'),
    json({
      halted_pairs: ['GBPUSD_USDCHF'],
      dd_shard_0: {
        shard: 0,
        level: 'warn',
        since: iso(nowMs - 86_400_000),
        drawdown: 0.085,
        pairs: {},
        updated_at: iso(nowMs),
      },
    }),
  );
  await writeFile(join(opsDir, 'alerts.jsonl'), ALERT_LINES.map(json).join('') + '{"event_id":"e3","sev');
}
