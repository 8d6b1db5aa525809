// The signals history: each signal.json becomes one Parquet file under its bar's day, and reads back as written.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readParquetTable } from '../../src/adapters/duckdb/tableParquetReader.js';
import { writeParquetTable } from '../../src/adapters/duckdb/tableParquetWriter.js';
import { SIGNAL_HISTORY_COLUMNS, SignalHistory } from '../../src/live/signal/signalHistory.js';
import type { SignalFile } from '../../src/live/signal/signalTypes.js';
import { readHistoryFiles } from '../../src/paper/readHistoryFiles.js';
import { KernelDriver, SHARD0, shardFile } from './signalFixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

const nanOr = (x: number | null) => (x === null ? Number.NaN : x);
const ms = (iso: string | null) => (iso === null ? Number.NaN : Date.parse(iso));

describe('SignalHistory', () => {
  it('writes one Parquet file per signal.json under date=<bar day>, every entry readable back as written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-history-'));
    dirs.push(dir);
    const history = new SignalHistory(join(dir, 'signals', 'history'), writeParquetTable);
    const drivers = SHARD0.map((id) => new KernelDriver(id));
    // Bars 20..27 cross midnight UTC (T0 is 00:00): files land in two days.
    const files: SignalFile[] = [];
    for (let i = 20; i < 28; i++) {
      const f = shardFile(drivers, i, 5000 + i);
      files.push(f);
      await history.append(f);
    }
    expect(filesUnder(join(dir, 'signals', 'history'))).toEqual([
      ...[20, 21, 22, 23].map((i) => join('date=2024-03-04', `shard_0-${5000 + i}.parquet`)),
      ...[24, 25, 26, 27].map((i) => join('date=2024-03-05', `shard_0-${5000 + i}.parquet`)),
    ]);
    expect(new Set(files.flatMap((f) => f.signals.map((s) => s.action)))).toEqual(new Set(['open', 'hold', 'close']));

    for (const f of files) {
      const t = await readParquetTable(history.pathFor(f), SIGNAL_HISTORY_COLUMNS);
      const n = f.signals.length;
      expect(t.pair_id).toEqual(f.signals.map((s) => s.pair_id));
      expect(t.signal_id).toEqual(f.signals.map((s) => s.signal_id));
      expect(t.action).toEqual(f.signals.map((s) => s.action));
      expect(t.side).toEqual(f.signals.map((s) => s.side));
      expect(t.target_side).toEqual(f.signals.map((s) => s.target.side));
      expect(t.target_legs).toEqual(f.signals.map((s) => JSON.stringify(s.target.legs)));
      expect(t.reason).toEqual(f.signals.map((s) => s.reason));
      expect([...(t.seq as Float64Array)]).toEqual(new Array(n).fill(f.seq));
      expect([...(t.generated_at as Float64Array)]).toEqual(new Array(n).fill(Date.parse(f.generated_at)));
      expect([...(t.bar_ts as Float64Array)]).toEqual(f.signals.map((s) => Date.parse(s.bar_ts)));
      expect([...(t.expires_at as Float64Array)]).toEqual(f.signals.map((s) => ms(s.expires_at)));
      expect([...(t.z as Float64Array)]).toEqual(f.signals.map((s) => nanOr(s.z)));
      expect([...(t.return_prob as Float64Array)]).toEqual(f.signals.map((s) => nanOr(s.return_prob)));
      expect([...(t.target_lots_a as Float64Array)]).toEqual(
        f.signals.map((s) =>
          s.target.legs[0] ? (s.target.legs[0].side === 'BUY' ? 1 : -1) * s.target.legs[0].lots : 0,
        ),
      );
      expect([...(t.target_lots_b as Float64Array)]).toEqual(
        f.signals.map((s) =>
          s.target.legs[1] ? (s.target.legs[1].side === 'BUY' ? 1 : -1) * s.target.legs[1].lots : 0,
        ),
      );
      expect([...(t.stale as Float64Array)]).toEqual(new Array(n).fill(0));
    }
  });

  it('reads back as the signal.json files it holds, batch files included, in seq order; --from/--to keep their bars only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-history-'));
    dirs.push(dir);
    const history = new SignalHistory(dir, writeParquetTable);
    const drivers = SHARD0.map((id) => new KernelDriver(id));
    const files = Array.from({ length: 10 }, (_, k) => shardFile(drivers, 20 + k, 7000 + k));
    // A stale file with a halt and another scale: every file-level field must come back too.
    files[6] = { ...files[6]!, stale: true, ops: { global_halt: true, leverage_scale: 0.5 } };
    await history.appendBatch(files.slice(0, 4));
    for (const f of files.slice(4)) await history.append(f);
    // A batch file of another shard in the same folder is not this shard's.
    await history.append({ ...files[0]!, shard: 1, seq: 1 });
    const iso = (t: string | null) => (t === null ? null : new Date(Date.parse(t)).toISOString());
    const normal = (f: SignalFile): SignalFile => ({
      ...f,
      generated_at: iso(f.generated_at)!,
      signals: f.signals.map((e) => ({ ...e, bar_ts: iso(e.bar_ts)!, expires_at: iso(e.expires_at) })),
    });
    expect(await readHistoryFiles(dir, 0, readParquetTable)).toEqual(files.map(normal));
    const from = Date.parse(files[3]!.signals[0]!.bar_ts);
    const to = Date.parse(files[5]!.signals[0]!.bar_ts);
    const kept = await readHistoryFiles(dir, 0, readParquetTable, from, to);
    expect(kept.map((f) => f.seq)).toEqual([7003, 7004]);
    await expect(readHistoryFiles(join(dir, 'nowhere'), 0, readParquetTable)).rejects.toThrow(/no signals history/);
  });

  it('a file without entries writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-history-'));
    dirs.push(dir);
    const history = new SignalHistory(dir, writeParquetTable);
    const f = { ...shardFile([new KernelDriver(SHARD0[0]!)], 0, 1), signals: [] };
    expect(await history.append(f)).toBeUndefined();
    expect(filesUnder(dir)).toEqual([]);
  });
});
