// pt ingest's run log: runIngestJob appends one line per run with each failed symbol, also when the
// store ends the run, and the reader lists and skips a line torn by a crash or with impossible counts.
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBarStore } from '../../../src/adapters/duckdb/index.js';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { PtError } from '../../../src/core/ptError.js';
import { ingestRunLogPath, readIngestRuns } from '../../../src/data/ingest/ingestRunLog.js';
import { runIngestJob } from '../../../src/data/job/runIngestJob.js';
import { writeParquetTable } from '../../../src/adapters/duckdb/tableParquetWriter.js';
import { hourlyTimes, makeBar } from '../../helpers/barFixtures.mjs';
import { repoRoot } from '../../helpers/runPt.js';

const config = loadConfig(join(repoRoot, 'config'));
const FROM = Date.UTC(2022, 0, 3);
const TO = Date.UTC(2022, 0, 5);
const dir = mkdtempSync(join(tmpdir(), 'pt-ingest-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = { source: 'synthetic', timeframe: '1h' as const, fromMs: FROM, toMs: TO, full: false, dataDir: dir };
const source = (symbols: string[], failing: string) => ({
  symbols,
  defaultFromMs: FROM,
  runKey: 'test',
  fetchBars: async (symbol: string) => {
    if (symbol === failing) throw new PtError('DATA_API_TIMEOUT', `${symbol}: timed out`);
    return { bars: hourlyTimes(FROM, TO).map((ts: number) => makeBar(symbol, ts)) };
  },
});

describe('ingest run log', () => {
  it('records asked and failed symbols of each run; a re-run up to date asks nothing', async () => {
    await runIngestJob(config, options, {
      openBarStore,
      writeTable: writeParquetTable,
      source: source(['AAA', 'BBB', 'CCC'], 'BBB'),
    });
    // AAA and CCC are up to date now; BBB is asked again and fails again.
    await runIngestJob(
      config,
      { ...options, fromMs: undefined, toMs: TO },
      {
        openBarStore,
        writeTable: writeParquetTable,
        source: source(['AAA', 'BBB', 'CCC'], 'BBB'),
      },
    );
    appendFileSync(ingestRunLogPath(dir), '{"finished_at": "2024-01-0'); // torn by a crash
    await runIngestJob(
      config,
      { ...options, fromMs: undefined, toMs: TO },
      {
        openBarStore,
        writeTable: writeParquetTable,
        source: source(['AAA', 'BBB', 'CCC'], 'none'),
      },
    );
    const { runs, unreadableLines } = await readIngestRuns(dir);
    expect(runs.map((r) => [r.asked, r.failed, r.failures])).toEqual([
      [3, 1, [{ symbol: 'BBB', error_id: 'DATA_API_TIMEOUT' }]],
      [1, 1, [{ symbol: 'BBB', error_id: 'DATA_API_TIMEOUT' }]],
      // After the torn line: a record of its own, BBB fetched at last.
      [1, 0, []],
    ]);
    expect(runs[0]).toMatchObject({ source: 'synthetic', timeframe: '1h' });
    expect(Date.parse(runs[0]!.finished_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(readFileSync(ingestRunLogPath(dir), 'utf8').split('\n')).toHaveLength(5);
    // The torn line is listed, not silently dropped.
    expect(unreadableLines).toEqual([3]);
  });

  it('a line with counts appendIngestRun cannot write (failed > asked, negative, fractional) is unreadable', async () => {
    const other = join(dir, 'counts');
    mkdirSync(join(other, 'runs'), { recursive: true });
    const line = (over: Record<string, unknown>) =>
      JSON.stringify({
        finished_at: '2024-02-03T01:00:00.000Z',
        run_id: 'r',
        source: 'twelvedata',
        timeframe: '1h',
        asked: 10,
        failed: 1,
        failures: [{ symbol: 'S0', error_id: 'DATA_API_TIMEOUT' }],
        ...over,
      });
    writeFileSync(
      ingestRunLogPath(other),
      [
        line({}),
        line({ failed: 11 }),
        line({ asked: -3, failed: -3 }),
        line({ asked: 10.5 }),
        line({ failed: 0.5 }),
        line({ asked: '10' }),
        line({ finished_at: 'yesterday' }),
        line({ failures: undefined }),
        '[1, 2]',
        line({ asked: 0, failed: 0, failures: [] }),
      ].join('\n') + '\n',
    );
    const { runs, unreadableLines } = await readIngestRuns(other);
    expect(runs.map((r) => [r.asked, r.failed])).toEqual([
      [10, 1],
      [0, 0],
    ]);
    expect(unreadableLines).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('a store failure counts every symbol of the run as failed', async () => {
    const other = join(dir, 'broken');
    const failingStore = async () => {
      const store = await openBarStore(other);
      store.upsert = async () => {
        throw new PtError('DATA_STORAGE_IOFAIL', 'disk gone');
      };
      return store;
    };
    await expect(
      runIngestJob(
        config,
        { ...options, dataDir: other },
        {
          openBarStore: failingStore,
          writeTable: writeParquetTable,
          source: source(['AAA', 'BBB'], 'none'),
        },
      ),
    ).rejects.toMatchObject({ id: 'DATA_STORAGE_IOFAIL' });
    expect(
      (await readIngestRuns(other)).runs.map((r) => [r.asked, r.failed, r.failures.map((f) => f.error_id)]),
    ).toEqual([[2, 2, ['DATA_STORAGE_IOFAIL', 'DATA_STORAGE_IOFAIL']]]);
  });
});
