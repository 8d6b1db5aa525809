// runIngest's pipeline against a scripted store: the next symbol is fetched and handed over while the last one writes.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.js';
import { PtError } from '../../src/core/ptError.js';
import type { Timeframe } from '../../src/core/time.js';
import { runIngest, type FetchBars, type IngestRequest } from '../../src/data/ingest/runIngest.js';
import type { CanonicalBar } from '../../src/model/bar.js';
import type { BarBatch } from '../../src/model/barBatch.js';
import type { BarStore, UpsertResult } from '../../src/ports/barStore.js';
import { hourlyTimes, makeBar } from '../helpers/barFixtures.mjs';
import { repoRoot } from '../helpers/runPt.js';

const config = loadConfig(join(repoRoot, 'config'));
const FROM = Date.UTC(2022, 0, 3);
const TO = Date.UTC(2022, 1, 1);
const NOW = Date.UTC(2024, 0, 1);

/** A store whose writes end only when the test says so; it logs what happens, in order. */
function scriptedStore(failOn?: string) {
  const log: string[] = [];
  const finish = new Map<string, () => void>();
  const store: BarStore = {
    async upsert(
      symbol: string,
      _tf: Timeframe,
      bars: readonly CanonicalBar[] | BarBatch,
      _source: string,
      onPartition?: (done: number, total: number) => void,
    ): Promise<UpsertResult> {
      log.push(`upsert ${symbol}`);
      if (symbol === failOn) throw new PtError('DATA_STORAGE_IOFAIL', `bar store: ${symbol} failed`);
      onPartition?.(0, 1); // staged: the caller may go on
      await new Promise<void>((resolve) => finish.set(symbol, resolve));
      log.push(`written ${symbol}`);
      return { inserted: bars.length, updated: 0, deduped: 0, partitionsWritten: 1 };
    },
    readWatermark: async () => undefined,
    readBars: async () => {
      throw new Error('not used');
    },
    readAlignedPair: async () => {
      throw new Error('not used');
    },
    listSymbols: async () => [],
    close: async () => {},
  };
  return { store, log, finish };
}

const request = (symbols: string[]): IngestRequest => ({
  source: 'synthetic',
  symbols,
  timeframe: '1h',
  fromMs: FROM,
  toMs: TO,
  full: false,
  defaultFromMs: FROM,
});

describe('runIngest', () => {
  it('fetches and hands over the next symbol while the last one is still being written', async () => {
    const { store, log, finish } = scriptedStore();
    const fetchBars: FetchBars = async (symbol, _tf, from, to) => {
      log.push(`fetch ${symbol}`);
      return { bars: hourlyTimes(from, to).map((ts, k) => makeBar(symbol, ts, { seq: k })) };
    };
    const run = runIngest(request(['AAA', 'BBB', 'CCC']), { config, store, fetchBars, now: () => NOW });
    // Let the run go as far as it can with no write finished.
    const settle = () => new Promise((r) => setTimeout(r, 20));
    await settle();
    expect(log).toEqual(['fetch AAA', 'upsert AAA', 'fetch BBB', 'upsert BBB', 'fetch CCC', 'upsert CCC']);
    for (const s of ['BBB', 'AAA', 'CCC']) finish.get(s)!();
    const summary = await run;
    expect(summary.symbols.map((x) => [x.symbol, x.inserted])).toEqual([
      ['AAA', hourlyTimes(FROM, TO).length],
      ['BBB', hourlyTimes(FROM, TO).length],
      ['CCC', hourlyTimes(FROM, TO).length],
    ]);
  });

  it('a store failure ends the run once the writes under way are done, and no symbol starts after it', async () => {
    const { store, log, finish } = scriptedStore('BBB');
    const fetchBars: FetchBars = async (symbol, _tf, from, to) => {
      log.push(`fetch ${symbol}`);
      return { bars: hourlyTimes(from, to).map((ts, k) => makeBar(symbol, ts, { seq: k })) };
    };
    let done = false;
    const run = runIngest(request(['AAA', 'BBB', 'CCC']), { config, store, fetchBars, now: () => NOW }).finally(
      () => (done = true),
    );
    run.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false); // AAA is still being written
    finish.get('AAA')!();
    await expect(run).rejects.toMatchObject({ id: 'DATA_STORAGE_IOFAIL', message: 'bar store: BBB failed' });
    expect(log.filter((l) => l.startsWith('upsert'))).toEqual(['upsert AAA', 'upsert BBB']);
    expect(log).toContain('written AAA');
  });
});
