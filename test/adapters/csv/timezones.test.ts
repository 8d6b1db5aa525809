import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvBars, ZoneClock } from '../../../src/adapters/csv/index.js';
import { WALL_REPEATED, WALL_SKIPPED, WALL_UNIQUE } from '../../../src/core/zoneClock.js';
import { options, utc } from './csvTestKit.js';

const csv = (...rows: string[]): string =>
  `time,open,high,low,close\n${rows.map((t) => `${t},1.1,1.2,1.0,1.15`).join('\n')}\n`;
const times = (text: string, tz: string) => parseCsvBars(text, 'dst.csv', options({ tz }));

describe('EET (EU rules: UTC+2 winter, UTC+3 summer)', () => {
  it('spring forward 2023-03-26: 03:00 does not exist and moves forward by the gap', () => {
    const r = times(
      csv('2023-03-26 01:00', '2023-03-26 02:00', '2023-03-26 03:00', '2023-03-26 04:00', '2023-03-26 05:00'),
      'EET',
    );
    expect(r.bars.map((b) => b.ts_utc)).toEqual([
      utc('2023-03-25T23:00'),
      utc('2023-03-26T00:00'),
      utc('2023-03-26T01:00'),
      utc('2023-03-26T02:00'),
    ]);
    expect(r.stats.skippedHourShifted).toBe(1);
    // The shifted 03:00 lands on 04:00 EEST (01:00 UTC); the later line (04:00) wins.
    expect(r.stats.duplicates).toBe(1);
    expect(r.bars[2]!.metadata.ingest_seq).toBe(5);
  });

  it('fall back 2023-10-29: the repeated 03:00 is EEST first, EET second, in file order', () => {
    const r = times(
      csv('2023-10-29 02:00', '2023-10-29 03:00', '2023-10-29 03:00', '2023-10-29 04:00', '2023-10-29 05:00'),
      'EET',
    );
    expect(r.bars.map((b) => b.ts_utc)).toEqual([
      utc('2023-10-28T23:00'),
      utc('2023-10-29T00:00'),
      utc('2023-10-29T01:00'),
      utc('2023-10-29T02:00'),
      utc('2023-10-29T03:00'),
    ]);
    expect(r.stats.duplicates).toBe(0);
  });

  it('a lone occurrence of the repeated hour takes the earlier instant', () => {
    const r = times(csv('2023-10-29 01:00', '2023-10-29 02:00', '2023-10-29 03:00', '2023-10-29 04:00'), 'EET');
    expect(r.bars.map((b) => b.ts_utc)).toEqual([
      utc('2023-10-28T22:00'),
      utc('2023-10-28T23:00'),
      utc('2023-10-29T00:00'),
      utc('2023-10-29T02:00'),
    ]);
  });

  it('uses the EU switch date, not the US one (2014-03-10 is still winter time)', () => {
    const r = times(csv('2014-03-10 10:00', '2014-03-10 11:00', '2014-03-31 10:00', '2014-03-31 11:00'), 'EET');
    expect(r.bars.map((b) => b.ts_utc)).toEqual([
      utc('2014-03-10T08:00'),
      utc('2014-03-10T09:00'),
      utc('2014-03-31T07:00'),
      utc('2014-03-31T08:00'),
    ]);
  });
});

describe('America/New_York', () => {
  it('spring forward 2023-03-12: 02:00 does not exist and maps to 03:00 EDT', () => {
    const r = times(
      csv('2023-03-12 00:00', '2023-03-12 01:00', '2023-03-12 02:00', '2023-03-12 03:00', '2023-03-12 04:00'),
      'America/New_York',
    );
    expect(r.bars.map((b) => b.ts_utc)).toEqual([
      utc('2023-03-12T05:00'),
      utc('2023-03-12T06:00'),
      utc('2023-03-12T07:00'),
      utc('2023-03-12T08:00'),
    ]);
    expect(r.stats).toMatchObject({ skippedHourShifted: 1, duplicates: 1 });
    const clock = ZoneClock.of('America/New_York');
    expect(clock.toUtc(utc('2023-03-12T02:30'))).toBe(utc('2023-03-12T07:30'));
    expect(clock.kind).toBe(WALL_SKIPPED);
  });

  it('fall back 2023-11-05: the repeated 01:00 is EDT first, EST second', () => {
    const r = times(
      csv('2023-11-05 00:00', '2023-11-05 01:00', '2023-11-05 01:00', '2023-11-05 02:00', '2023-11-05 03:00'),
      'America/New_York',
    );
    expect(r.bars.map((b) => b.ts_utc)).toEqual([
      utc('2023-11-05T04:00'),
      utc('2023-11-05T05:00'),
      utc('2023-11-05T06:00'),
      utc('2023-11-05T07:00'),
      utc('2023-11-05T08:00'),
    ]);
    const clock = ZoneClock.of('America/New_York');
    expect(clock.toUtc(utc('2023-11-05T01:30'))).toBe(utc('2023-11-05T05:30'));
    expect(clock.kind).toBe(WALL_REPEATED);
    expect(clock.laterUtc).toBe(utc('2023-11-05T06:30'));
  });
});

describe('fixed zones and bad zones', () => {
  it('Etc/GMT-2 is a constant UTC+2 and UTC is the default', () => {
    expect(times(csv('2023-07-01 02:00', '2023-07-01 03:00'), 'Etc/GMT-2').bars[0]!.ts_utc).toBe(
      utc('2023-07-01T00:00'),
    );
    expect(parseCsvBars(csv('2023-07-01 02:00'), 'x.csv', options()).bars[0]!.ts_utc).toBe(utc('2023-07-01T02:00'));
  });

  it('rejects an unknown zone as a usage error', () => {
    expect(() => times(csv('2023-07-01 02:00'), 'Mars/Olympus')).toThrow(
      expect.objectContaining({ id: 'CORE_CLI_USAGE' }),
    );
  });
});

describe('ZoneClock properties', () => {
  const instant = fc
    .integer({ min: Date.UTC(2000, 0, 1) / 60_000, max: Date.UTC(2035, 11, 31) / 60_000 })
    .map((m) => m * 60_000);

  for (const zone of ['EET', 'America/New_York']) {
    const intl = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    const intlWall = (t: number): number => {
      const p = Object.fromEntries(intl.formatToParts(t).map((x) => [x.type, Number(x.value)]));
      return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!);
    };

    it(`${zone}: UTC → wall matches Intl, and wall → UTC round-trips outside the repeated hour`, () => {
      const clock = ZoneClock.of(zone);
      fc.assert(
        fc.property(instant, (t) => {
          const wall = clock.toWall(t);
          expect(wall).toBe(intlWall(t));
          const back = clock.toUtc(wall);
          expect(clock.kind).not.toBe(WALL_SKIPPED);
          if (clock.kind === WALL_UNIQUE) expect(back).toBe(t);
          else expect([back, clock.laterUtc]).toContain(t);
        }),
        { numRuns: 2000 },
      );
    });
  }
});
