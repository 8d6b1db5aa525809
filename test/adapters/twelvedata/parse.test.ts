// Pure parsing of documented TwelveData payloads (fixtures) into canonical bars.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PtError } from '../../../src/core/ptError.js';
import { barChecksum } from '../../../src/model/barChecksum.js';
import { assertCanonicalBars } from '../../../src/model/barSchema.js';
import {
  fromProviderSymbol,
  parseTdDatetime,
  parseTimeSeries,
  TD_INTERVAL,
  toProviderSymbol,
} from '../../../src/adapters/twelvedata/parse.js';
import { createSeq, isPriceEvent, readPriceEvent } from '../../../src/adapters/twelvedata/parse.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/twelvedata/${name}`, import.meta.url), 'utf8'));
const H = 3_600_000;
const T12 = Date.UTC(2024, 2, 1, 12);

function ctx(over: Partial<Parameters<typeof parseTimeSeries>[1]> = {}) {
  let seq = 0;
  return {
    symbol: 'XAUUSD',
    timeframe: '1h' as const,
    nowMs: T12 + 30 * 60_000,
    ingestRunId: 'run-1',
    sourceLatencyMs: 42,
    nextSeq: () => ++seq,
    ...over,
  };
}

describe('symbol and interval mapping', () => {
  it('maps canonical and provider symbols both ways', () => {
    expect(toProviderSymbol('XAUUSD')).toBe('XAU/USD');
    expect(toProviderSymbol('eurusd')).toBe('EUR/USD');
    expect(toProviderSymbol('SPX')).toBe('SPX');
    expect(fromProviderSymbol('XAU/USD')).toBe('XAUUSD');
    expect(fromProviderSymbol('xag/usd')).toBe('XAGUSD');
    expect(TD_INTERVAL).toEqual({ '15m': '15min', '1h': '1h', '4h': '4h' });
  });

  it('reads datetime as UTC', () => {
    expect(parseTdDatetime('2024-03-01 11:00:00')).toBe(Date.UTC(2024, 2, 1, 11));
    expect(parseTdDatetime('2024-04-15')).toBe(Date.UTC(2024, 3, 15));
    expect(parseTdDatetime('15/04/2024')).toBeNaN();
  });
});

describe('parseTimeSeries', () => {
  it('turns the newest-first forex payload into ascending closed bars with provenance', () => {
    const bars = parseTimeSeries(fixture('time_series_xauusd_1h.json'), ctx());
    // 12:00 is still forming at 12:30 and must not be returned.
    expect(bars.map((b) => b.ts_utc)).toEqual([T12 - 3 * H, T12 - 2 * H, T12 - H]);
    const last = bars[2]!;
    expect(last).toMatchObject({
      symbol: 'XAUUSD',
      timeframe: '1h',
      open: 2051.85,
      high: 2054.9,
      low: 2050.7,
      close: 2054.1,
      volume: null,
      quality_flag: 'ok',
      source_id: 'twelvedata',
      ingest_run_id: 'run-1',
    });
    expect(last.metadata).toEqual({
      symbol_source: 'XAU/USD',
      source_latency_ms: 42,
      provider_version: 'twelvedata-rest-v1',
      ingest_seq: 3,
      checksum: barChecksum(T12 - H, 2051.85, 2054.9, 2050.7, 2054.1, null),
    });
    expect(last.metadata.checksum).toMatch(/^[0-9a-f]{16}$/);
    expect(bars.map((b) => b.metadata.ingest_seq)).toEqual([1, 2, 3]);
    expect(() => assertCanonicalBars(bars, 'test')).not.toThrow();
  });

  it('keeps the bar whose close is exactly now', () => {
    const bars = parseTimeSeries(fixture('time_series_xauusd_1h.json'), ctx({ nowMs: T12 + H }));
    expect(bars.at(-1)!.ts_utc).toBe(T12);
  });

  it('reads volume when present (equity payload, asked as 15min in UTC, exchange zone expected)', () => {
    const payload = fixture('time_series_aapl_1min.json') as {
      meta: Record<string, string>;
      values: Array<Record<string, string>>;
    };
    payload.meta.interval = '15min';
    payload.values[0]!.datetime = '2021-09-16 15:45:00';
    const bars = parseTimeSeries(
      payload,
      ctx({ symbol: 'AAPL', timeframe: '15m', nowMs: Date.UTC(2022, 0, 1), exchangeTimezones: ['America/New_York'] }),
    );
    expect(bars).toHaveLength(1);
    expect(bars[0]!.volume).toBe(624277);
    expect(bars[0]!.close).toBe(148.85001);
  });

  it('refuses the documented 1min AAPL answer for a 15m request: interval, zone and grid are all checked', () => {
    const read = (
      over: Partial<Parameters<typeof parseTimeSeries>[1]>,
      edit: (p: { meta: Record<string, string> }) => void = () => {},
    ) => {
      const payload = fixture('time_series_aapl_1min.json');
      edit(payload as { meta: Record<string, string> });
      try {
        parseTimeSeries(payload, ctx({ symbol: 'AAPL', timeframe: '15m', nowMs: Date.UTC(2022, 0, 1), ...over }));
        return 'parsed';
      } catch (e) {
        expect((e as PtError).id).toBe('DATA_API_MALFORMED');
        return (e as PtError).message;
      }
    };
    expect(read({})).toContain('answer has interval "1min", but 15min was asked');
    expect(read({}, (p) => (p.meta.interval = '15min'))).toContain(
      'exchange_timezone "America/New_York", expected UTC for AAPL',
    );
    expect(read({ exchangeTimezones: ['America/New_York'] }, (p) => (p.meta.interval = '15min'))).toContain(
      '2021-09-16 15:59:00 is not on the UTC 15m grid',
    );
  });

  it('drops and counts bars with inconsistent OHLC or a non-positive price', () => {
    const payload = fixture('time_series_xauusd_1h.json') as { values: Array<Record<string, string>> };
    // newest first: [12:00, 11:00, 10:00, 09:00]
    payload.values[1]!.high = String(Number(payload.values[1]!.open) - 1);
    payload.values[2]!.low = '0';
    const dropped = { invalid: 0 };
    const bars = parseTimeSeries(payload, ctx({ dropped }));
    expect(bars.map((b) => b.ts_utc)).toEqual([T12 - 3 * H]);
    expect(dropped.invalid).toBe(2);
  });

  it('filters to [startMs, endMs) and de-duplicates repeated datetimes', () => {
    const payload = fixture('time_series_xauusd_1h.json') as { values: unknown[] };
    payload.values.push(payload.values[1]);
    const bars = parseTimeSeries(payload, ctx({ startMs: T12 - 2 * H, endMs: T12 - H + 1 }));
    expect(bars.map((b) => b.ts_utc)).toEqual([T12 - 2 * H, T12 - H]);
  });

  it.each([
    ['not an object', '[]'],
    ['no values', '{"status":"ok","meta":{"symbol":"XAU/USD"}}'],
    [
      'a non-numeric price',
      '{"status":"ok","values":[{"datetime":"2024-03-01 09:00:00","open":"abc","high":"1","low":"1","close":"1"}]}',
    ],
    [
      'a bad datetime',
      '{"status":"ok","values":[{"datetime":"yesterday","open":"1","high":"1","low":"1","close":"1"}]}',
    ],
    ['another symbol', '{"status":"ok","meta":{"symbol":"XAG/USD"},"values":[]}'],
  ])('rejects %s with DATA_API_MALFORMED', (_what, json) => {
    const err = (() => {
      try {
        parseTimeSeries(JSON.parse(json), ctx());
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(PtError);
    expect((err as PtError).id).toBe('DATA_API_MALFORMED');
  });
});

describe('stream payloads and ingest_seq', () => {
  it('recognises the documented price event and ignores status events', () => {
    expect(isPriceEvent(fixture('ws_price_xauusd.json'))).toBe(true);
    expect(isPriceEvent(fixture('ws_subscribe_status.json'))).toBe(false);
    expect(isPriceEvent({ event: 'price', symbol: 'XAU/USD', timestamp: 1, price: '1925.18' })).toBe(false);
  });

  it('reads numeric-string prices, seconds and millisecond timestamps, and names what it cannot read', () => {
    const ev = (timestamp: unknown, price: unknown) => ({ event: 'price', symbol: 'XAU/USD', timestamp, price });
    const tick = { kind: 'tick', symbol: 'XAU/USD', tsMs: 1_647_950_462_000, price: 1925.18 };
    expect(readPriceEvent(ev(1_647_950_462, 1925.18))).toEqual(tick);
    expect(readPriceEvent(ev(1_647_950_462_000, 1925.18))).toEqual(tick);
    expect(readPriceEvent(ev(1_647_950_462, '1925.18'))).toEqual(tick);
    expect(readPriceEvent(ev('1647950462', ' 1925.18 '))).toEqual(tick);
    expect(readPriceEvent(ev(1_647_950_462, 'n/a'))).toMatchObject({ kind: 'bad_price', value: 'n/a' });
    expect(readPriceEvent(ev(1_647_950_462, -1))).toMatchObject({ kind: 'bad_price' });
    expect(readPriceEvent(ev(null, 1))).toMatchObject({ kind: 'bad_timestamp' });
    expect(readPriceEvent({ event: 'heartbeat', status: 'ok' })).toBeNull();
  });

  it('ingest_seq grows strictly, also across runs on a later clock', () => {
    let t = 1_700_000_000_000;
    const a = createSeq(() => t);
    const first = [a(), a(), a()];
    expect(first[1]! - first[0]!).toBe(1);
    t += 1;
    const b = createSeq(() => t);
    expect(b()).toBeGreaterThan(first[2]!);
    expect(Number.isSafeInteger(b())).toBe(true);
  });
});
