// A tiny store for the retention tests, written with the real bar store and table writer: 4h bars of
// two symbols over 2024-01…2024-09, a features and a labels folder per pair, predictions, model
// versions with a group pointer, signal history days, reports and an old trash batch.
import { mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBarStore, writeParquetTable } from '../../src/adapters/duckdb/index.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import type { PtConfig } from '../../src/config/schemas/index.js';
import { isFxOpen, makeBar } from '../helpers/barFixtures.mjs';
import { repoRoot } from '../helpers/runPt.js';

export const FOUR_H = 4 * 3_600_000;
export const SYMBOLS = ['XAUUSD', 'XAGUSD'];
export const FIRST_BAR = Date.UTC(2024, 0, 1);
export const END = Date.UTC(2024, 9, 1);

export interface RetentionFixture {
  root: string;
  data: string;
  models: string;
  reports: string;
  signals: string;
  auditLogPath: string;
}

/** The repo's config with the windows shrunk so that nine months of 4h bars cover the guard (5 months). */
export function tinyConfig(): PtConfig {
  const c = structuredClone(loadConfig(join(repoRoot, 'config')));
  c.data_retention.canonical_months = 1;
  c.data_retention.features_cache_months = 1;
  c.retrain_policy.min_training_months = 2;
  c.pipeline_policy.history_lookback_months = 2;
  c.retrain_policy.wf_min_train_days = 20;
  c.retrain_policy.wf_step_days = 5;
  c.retrain_policy.model_version_retention = 1;
  return c;
}

export function fourHourTimes(from: number, to: number): number[] {
  const out: number[] = [];
  for (let t = from; t < to; t += FOUR_H) if (isFxOpen(t)) out.push(t);
  return out;
}

async function table(path: string, column: string, times: number[]): Promise<void> {
  await writeParquetTable(path, [
    { name: column, kind: 'timestamp', values: Float64Array.from(times) },
    { name: 'x', kind: 'double', values: Float64Array.from(times, () => 1) },
  ]);
}

async function aged(path: string, ms: number): Promise<void> {
  await utimes(path, ms / 1000, ms / 1000);
}

async function modelVersion(models: string, version: string, group: string): Promise<void> {
  await mkdir(join(models, version), { recursive: true });
  await writeFile(join(models, version, 'metrics.json'), JSON.stringify({ group }));
}

export async function buildRetentionFixture(): Promise<RetentionFixture> {
  const root = await mkdtemp(join(tmpdir(), 'pt-retention-'));
  const f: RetentionFixture = {
    root,
    data: join(root, 'data'),
    models: join(root, 'models'),
    reports: join(root, 'reports'),
    signals: join(root, 'data', 'signals'),
    auditLogPath: join(root, 'data', 'ops', 'audit.jsonl'),
  };
  const store = await openBarStore(f.data);
  try {
    const times = fourHourTimes(FIRST_BAR, END);
    for (const s of SYMBOLS)
      await store.upsert(
        s,
        '4h',
        times.map((t) => makeBar(s, t, { timeframe: '4h' })),
        'synthetic',
      );
  } finally {
    await store.close();
  }
  // Features of a pair that left the universe (newest row 2023-06) and of a current pair (2024-05, inside the guard).
  await table(
    join(f.data, 'features', '4h', 'EURUSD_GBPUSD', 'features.parquet'),
    'ts_utc',
    fourHourTimes(Date.UTC(2023, 4, 1), Date.UTC(2023, 5, 10)),
  );
  await table(
    join(f.data, 'features', '4h', 'XAUUSD_XAGUSD', 'features.parquet'),
    'ts_utc',
    fourHourTimes(Date.UTC(2024, 3, 1), Date.UTC(2024, 4, 10)),
  );
  await table(
    join(f.data, 'labels', '4h', 'EURUSD_GBPUSD', 'events.parquet'),
    'ts_t1',
    fourHourTimes(Date.UTC(2023, 4, 1), Date.UTC(2023, 5, 10)),
  );
  await table(
    join(f.data, 'labels', '4h', 'EURUSD_GBPUSD', 'risk.parquet'),
    'ts_utc',
    fourHourTimes(Date.UTC(2023, 4, 1), Date.UTC(2023, 5, 10)),
  );
  // Model versions of group metals: the oldest three are past model_artifacts_months (24) at 2026;
  // CURRENT names the second oldest, so it and its predecessor (the oldest) stay; the third goes.
  await modelVersion(f.models, '20230101_0300_aaaaaaa', 'metals');
  await modelVersion(f.models, '20230201_0300_bbbbbbb', 'metals');
  await modelVersion(f.models, '20230301_0300_ccccccc', 'metals');
  await modelVersion(f.models, '20240901_0300_ddddddd', 'metals');
  await mkdir(join(f.models, 'metals'), { recursive: true });
  await writeFile(join(f.models, 'metals', 'CURRENT'), '20230201_0300_bbbbbbb\n');
  for (const v of ['20230301_0300_ccccccc', '20230201_0300_bbbbbbb'])
    await table(join(f.data, 'predictions', '4h', 'metals', v, 'oos_ai1.parquet'), 'ts_t0', [FIRST_BAR]);
  // Signal history: an old day and one inside signals_history_months, live and replay.
  for (const dir of [join(f.signals, 'history'), join(f.data, 'replay', 'signals', 'history')])
    for (const day of ['2023-01-05', '2025-12-20']) {
      await mkdir(join(dir, `date=${day}`), { recursive: true });
      await writeFile(join(dir, `date=${day}`, 'shard_0-1.parquet'), 'x');
    }
  // Reports: an old optimize run and a recent dq report.
  const oldRun = join(f.reports, 'optimize', 'run-old');
  await mkdir(oldRun, { recursive: true });
  await writeFile(join(oldRun, 'trials.csv'), 'x');
  await aged(join(oldRun, 'trials.csv'), Date.UTC(2023, 0, 2));
  await aged(oldRun, Date.UTC(2023, 0, 2));
  await mkdir(join(f.reports, 'dq'), { recursive: true });
  await writeFile(join(f.reports, 'dq', '4h_2025-12-30.json'), '{}');
  await aged(join(f.reports, 'dq', '4h_2025-12-30.json'), Date.UTC(2025, 11, 30));
  // A trash batch of an earlier apply.
  await mkdir(join(f.data, '.trash', '2024-09-01T000000Z', 'features'), { recursive: true });
  await writeFile(join(f.data, '.trash', '2024-09-01T000000Z', 'features', 'x'), 'x');
  return f;
}
