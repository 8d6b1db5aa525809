// pt ingest's and pt dq's alerts from their results: a source down over 10 minutes across runs (the
// streak kept in ops_dir), an open circuit, a guard's refusal under its own id, new quarantine, outliers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dqAlerts, ingestAlerts } from '../../src/cli/dataAlerts.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import type { DqReport } from '../../src/data/dq/runDq.js';
import type { IngestSummary, SymbolIngestSummary } from '../../src/data/ingest/runIngest.js';
import { repoRoot } from '../helpers/runPt.js';

const dir = mkdtempSync(join(tmpdir(), 'pt-data-alerts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = loadConfig(join(repoRoot, 'config'));
const config = { ...base, signals_policy: { ...base.signals_policy, ops_dir: join(dir, 'ops') } };
const T0 = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;

function summary(errors: Array<{ id: string; message: string } | undefined>): IngestSummary {
  return {
    ingestRunId: 'r',
    source: 'twelvedata',
    timeframe: '1h',
    durationMs: 1,
    symbols: errors.map(
      (error, i) => ({ symbol: `S${i}`, upToDate: false, ...(error ? { error } : {}) }) as SymbolIngestSummary,
    ),
  };
}
const timeout = { id: 'DATA_API_TIMEOUT', message: 'timed out after 10000 ms' };

describe('ingest alerts', () => {
  it('DATA_API_DOWN only once every symbol has failed at the source for more than 10 minutes; a good run resets', async () => {
    const ids = async (s: IngestSummary, t: number) => (await ingestAlerts(config, s, t)).map((a) => a.errorId);
    expect(await ids(summary([timeout, timeout]), T0)).toEqual([]);
    expect(await ids(summary([timeout, timeout]), T0 + 10 * MIN)).toEqual([]);
    const down = await ingestAlerts(config, summary([timeout, timeout]), T0 + 11 * MIN);
    expect(down.map((a) => [a.errorId, a.dedupeKey])).toEqual([['DATA_API_DOWN', 'twelvedata|1h']]);
    expect(down[0]!.message).toBe(
      'twelvedata 1h has failed since 2026-03-02T10:00:00.000Z (11 min): DATA_API_TIMEOUT timed out after 10000 ms',
    );
    // One symbol answered: not down, and the streak starts again.
    expect(await ids(summary([undefined, timeout]), T0 + 12 * MIN)).toEqual([]);
    expect(await ids(summary([timeout, timeout]), T0 + 13 * MIN)).toEqual([]);
    expect(await ids(summary([timeout, timeout]), T0 + 24 * MIN)).toEqual(['DATA_API_DOWN']);
  });

  it('an open circuit warns; a guard refusal is raised under its own id', async () => {
    const r = await ingestAlerts(
      config,
      summary([
        { id: 'DATA_API_CIRCUIT', message: 'open' },
        { id: 'DATA_PRICE_RANGE', message: 'price 19000 outside [1000, 5000]' },
        undefined,
      ]),
      T0,
    );
    expect(r.map((a) => [a.errorId, a.dedupeKey])).toEqual([
      ['DATA_API_CIRCUIT', 'twelvedata|1h'],
      ['DATA_PRICE_RANGE', 'S1'],
    ]);
  });
});

describe('dq alerts', () => {
  it('a newly quarantined month and a symbol over 10% outliers', () => {
    const report = {
      timeframe: '1h',
      symbols: [
        { symbol: 'XAUUSD', outlier_rate: 0.12, bars: 100 },
        { symbol: 'XAGUSD', outlier_rate: 0.1, bars: 100 },
      ],
      quarantine: {
        entries: [
          { symbol: 'XAUUSD', timeframe: '1h', month: '2026-01', reason: 'outlier_rate 0.12 > 0.08' },
          { symbol: 'XAGUSD', timeframe: '1h', month: '2025-12', reason: 'missing_rate 0.06 > 0.05' },
        ],
        added: ['XAUUSD 2026-01'],
        released: [],
      },
    } as unknown as DqReport;
    expect(dqAlerts(report).map((a) => [a.errorId, a.dedupeKey, a.message])).toEqual([
      ['DATA_DQ_THRESHOLD', 'XAUUSD|2026-01', 'XAUUSD 1h 2026-01 quarantined: outlier_rate 0.12 > 0.08'],
      ['DATA_DQ_OUTLIER', 'XAUUSD', 'XAUUSD 1h: outlier rate 12.0% over 100 bars (> 10%)'],
    ]);
  });
});
