// The local files pt sync reads, written by pt's own writers: the signals history (SignalHistory →
// Parquet), pt paper's fills.csv (FILLS_HEADER + fillsCsvLines), alerts.jsonl (JsonlAlertStore), DD level
// changes in the audit log (DrawdownWatch over LiveOps), and an account.json that passes its schema.
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileLiveBus } from '../../src/adapters/files/fileLiveBus.js';
import { writeParquetTable } from '../../src/adapters/duckdb/index.js';
import { JsonlAlertStore } from '../../src/alerts/jsonlAlertStore.js';
import { ddPolicyParamsFrom } from '../../src/decision/ddPolicy.js';
import type { AccountSnapshot } from '../../src/live/account/accountSnapshot.js';
import { DrawdownWatch } from '../../src/live/job/drawdownWatch.js';
import { LiveOps } from '../../src/live/job/liveOps.js';
import { signalId } from '../../src/live/signal/signalId.js';
import { SignalHistory } from '../../src/live/signal/signalHistory.js';
import type { SignalFile } from '../../src/live/signal/signalTypes.js';
import { DEFAULT_OPS_FLAGS } from '../../src/ports/liveBus.js';
import { FILLS_HEADER, fillsCsvLines } from '../../src/paper/paperAccountFile.js';
import type { PaperFill } from '../../src/paper/paperLedger.js';
import { config, pairOf } from '../decision/config.js';

export const H = 3_600_000;
export const T0 = Date.UTC(2025, 0, 6);

export interface SyncPaths {
  signalDir: string;
  historyDir: string;
  fillsDir: string;
  opsDir: string;
  alertsPath: string;
  auditPath: string;
  accountPath: string;
}

export function syncPaths(root: string): SyncPaths {
  const signalDir = join(root, 'signals');
  const opsDir = join(root, 'ops');
  return {
    signalDir,
    historyDir: join(signalDir, 'history'),
    fillsDir: join(signalDir, 'paper'),
    opsDir,
    alertsPath: join(opsDir, 'alerts.jsonl'),
    auditPath: join(opsDir, 'audit.jsonl'),
    accountPath: join(root, 'account.json'),
  };
}

/** One signal.json of `shard` at bar `k` (two pairs), as pt live writes it. */
export function signalFile(shard: number, seq: number, k: number, reason = 'no_entry'): SignalFile {
  const barMs = T0 + k * H;
  return {
    schema_version: 'v1',
    shard,
    seq,
    generated_at: new Date(barMs + H + 1000).toISOString(),
    model_version: 'v-test',
    stale: false,
    ops: { global_halt: false, leverage_scale: 1 },
    signals: ['A', 'B'].map((p, j) => ({
      signal_id: signalId(shard, `P${shard}${p}`, barMs, 'hold'),
      pair_id: `P${shard}${p}`,
      bar_ts: new Date(barMs).toISOString(),
      action: 'hold' as const,
      side: 'FLAT' as const,
      target: { side: 'FLAT' as const, legs: [] },
      z: j === 0 ? null : 0.5 + k / 1000,
      beta: 1.1,
      return_prob: j === 0 ? null : 0.4,
      risk_score: 0.2,
      position_scale: 1,
      reason,
      expires_at: null,
    })),
  };
}

/**
 * `files` signal.json of the shard into the history, `perBatch` per Parquet file (a replay's batch
 * file when > 1). Returns every signal_id with the highest seq written for it.
 */
export async function writeSignals(
  historyDir: string,
  shard: number,
  o: { files: number; firstSeq?: number; firstBar?: number; perBatch?: number },
): Promise<Map<string, number>> {
  const history = new SignalHistory(historyDir, writeParquetTable);
  const ids = new Map<string, number>();
  const all = Array.from({ length: o.files }, (_, i) =>
    signalFile(shard, (o.firstSeq ?? 1000) + i, (o.firstBar ?? 0) + i),
  );
  const per = o.perBatch ?? 1;
  for (let i = 0; i < all.length; i += per) await history.appendBatch(all.slice(i, i + per));
  for (const f of all) for (const s of f.signals) ids.set(s.signal_id, Math.max(ids.get(s.signal_id) ?? 0, f.seq));
  return ids;
}

/** `n` leg fills of pt paper (tickets from `firstTicket`) appended to <fillsDir>/shard_<N>/fills.csv. */
export function writeFills(fillsDir: string, shard: number, n: number, firstTicket = 1): string {
  const dir = join(fillsDir, `shard_${shard}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'fills.csv');
  const fills: PaperFill[] = Array.from({ length: n }, (_, i) => ({
    ticket: firstTicket + i,
    timeMs: T0 + (firstTicket + i) * H,
    pairId: `P${shard}A`,
    leg: i % 2 === 0 ? 'A' : 'B',
    symbol: i % 2 === 0 ? 'XAUUSD' : 'XAGUSD',
    side: i % 4 < 2 ? 'BUY' : 'SELL',
    lots: 0.1,
    price: 2000 + i / 100,
    reduce: i % 4 >= 2,
    retcode: 10009,
  }));
  appendFileSync(path, (firstTicket === 1 ? `${FILLS_HEADER}\n` : '') + fillsCsvLines(fills, { [`P${shard}A`]: 0 }));
  return path;
}

/** `n` alert records through the alerts store; returns their event ids. */
export async function writeAlerts(alertsPath: string, n: number): Promise<string[]> {
  const store = new JsonlAlertStore(alertsPath);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const event_id = randomUUID();
    ids.push(event_id);
    await store.append({
      event_id,
      error_id: 'OPS_HEARTBEAT_LOST',
      severity: 'CRITICAL',
      source: 'ops',
      message: `shard heartbeat ${i} expired`,
      occurred_at: new Date(T0 + i * 1000).toISOString(),
      details: { n: i },
    });
  }
  return ids;
}

/** pt live's DD watch of `shard` through warn → flatten → normal: three dd.action entries in the audit log. */
export async function writeDdChanges(opsDir: string, auditPath: string, shard: number): Promise<number> {
  const specs = [pairOf('XAUUSD_XAGUSD'), pairOf('EURUSD_GBPUSD')];
  const params = ddPolicyParamsFrom(config.dd_policy, 24);
  const account = (equity: number): AccountSnapshot => ({
    tsMs: 0,
    equity,
    balance: equity,
    positions: new Map(),
    alerts: [],
  });
  const bus = new FileLiveBus({ opsDir, heartbeatIntervalSeconds: 10 });
  const ops = new LiveOps(specs, params, 100_000);
  const watch = new DrawdownWatch(shard, specs, bus, auditPath);
  const equities = [
    100_000,
    100_000 * (1 - params.warnPortfolio - 0.001),
    100_000 * (1 - params.flattenPortfolio - 0.001),
    100_000,
  ];
  for (const [k, equity] of equities.entries()) {
    ops.at(T0 + k * H, DEFAULT_OPS_FLAGS, account(equity), false);
    await watch.after(T0 + k * H, ops);
  }
  return 3;
}

/** An account.json as the EA writes it (schema v1). */
export function writeAccount(path: string, ts: string, equity: number): void {
  writeFileSync(
    path,
    JSON.stringify({
      schema_version: 'v1',
      ts,
      equity,
      balance: equity,
      margin: 1200.5,
      positions: { XAUUSD_XAGUSD: { side: 'LONG_SPREAD', lots_A: 0.1, lots_B: -0.5, tickets: [11, 12] } },
    }),
  );
}
