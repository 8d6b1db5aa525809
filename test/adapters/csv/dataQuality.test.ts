import { describe, expect, it } from 'vitest';
import { parseCsvBars, readCsvBars } from '../../../src/adapters/csv/index.js';
import { fixture, options, utc } from './csvTestKit.js';

describe('data-quality rules (SPEC §1.4) and ordering', () => {
  it('drops bad prices, sorts, and lets the later line win a duplicate, counting each', async () => {
    const r = await readCsvBars(fixture('DQ_rules_H1.csv'), options());
    expect(r.stats).toMatchObject({
      lines: 14,
      parsed: 13,
      droppedInvalid: 4,
      duplicates: 1,
      outOfOrder: 2,
      droppedOpenBar: 0,
    });
    expect(r.bars.map((b) => b.ts_utc)).toEqual(
      ['00', '03', '04', '07', '08', '09', '10', '11'].map((h) => utc(`2023-01-02T${h}:00`)),
    );
    expect(r.bars[0]).toMatchObject({ high: 1.25, low: 0.95, volume: 7, metadata: { ingest_seq: 8 } });
    expect(r.bars[1]!.metadata.ingest_seq).toBe(7);
  });

  it('drops a still-open last bar when the file ends without a line terminator (lastBar auto)', async () => {
    const r = await readCsvBars(fixture('XAGUSD_open_last_H1.csv'), options({ symbol: 'XAGUSD' }));
    expect(r.stats.droppedOpenBar).toBe(1);
    expect(r.bars.at(-1)!.ts_utc).toBe(utc('2023-09-11T08:00'));
    const kept = await readCsvBars(fixture('XAGUSD_open_last_H1.csv'), options({ symbol: 'XAGUSD', lastBar: 'keep' }));
    expect(kept.bars.at(-1)!.ts_utc).toBe(utc('2023-09-11T09:00'));
    expect(kept.stats.droppedOpenBar).toBe(0);
  });

  it('keeps the last bar of a terminated file unless told to drop it', async () => {
    const auto = await readCsvBars(fixture('GBPUSD_plain_H1.csv'), options());
    const drop = await readCsvBars(fixture('GBPUSD_plain_H1.csv'), options({ lastBar: 'drop' }));
    expect(auto.bars).toHaveLength(5);
    expect(drop.bars).toHaveLength(4);
    expect(drop.stats.droppedOpenBar).toBe(1);
  });

  it('trailing spaces after the final line break do not count as an unfinished line', () => {
    const r = parseCsvBars(
      'time,open,high,low,close\n2023-01-02 00:00,1,1.2,0.9,1.1\n2023-01-02 01:00,1,1.2,0.9,1.1\n  ',
      's.csv',
      options(),
    );
    expect(r.bars).toHaveLength(2);
    expect(r.stats.droppedOpenBar).toBe(0);
  });

  it('skips blank lines but keeps real line numbers in ingest_seq', () => {
    const r = parseCsvBars(
      'time,open,high,low,close\n\n2023-01-02 00:00,1,1.2,0.9,1.1\r\n\r\n2023-01-02 01:00,1,1.2,0.9,1.1\r\n',
      'b.csv',
      options(),
    );
    expect(r.bars.map((b) => b.metadata.ingest_seq)).toEqual([3, 5]);
    expect(r.stats.lines).toBe(5);
  });

  it('a file whose every row is invalid is DATA_INPUT_INVALID naming the reason, not an empty result', () => {
    expect(() => parseCsvBars('time,open,high,low,close\n2023-01-02 00:00,0,0,0,0\n', 'z.csv', options())).toThrow(
      'z.csv: all 1 row is invalid: 1 with a zero or negative price (first line 2); nothing to store',
    );
  });
});
