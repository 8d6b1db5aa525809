// Shifted clocks (`NY+7`, `ZONE@±H`): the base zone's offset plus a fixed shift, DST switches at the
// base zone's instants, and one clear usage error for anything else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WALL_REPEATED, WALL_SKIPPED, WALL_UNIQUE, ZoneClock } from '../../src/core/zoneClock.js';
import { PtError } from '../../src/core/ptError.js';

const HOUR = 3_600_000;
const utc = (iso: string) => Date.parse(`${iso}Z`);
/** 2000-01-01 .. 2035-01-01 to the minute. */
const instant = fc
  .integer({ min: utc('2000-01-01T00:00') / 60_000, max: utc('2035-01-01T00:00') / 60_000 })
  .map((m) => m * 60_000);

const SHIFTED: Array<[string, string, number]> = [
  ['NY+7', 'America/New_York', 7 * HOUR],
  ['America/New_York@+7', 'America/New_York', 7 * HOUR],
  ['NY@+7', 'America/New_York', 7 * HOUR],
  ['Europe/London@-1', 'Europe/London', -HOUR],
  ['EET@+1', 'EET', HOUR],
  ['Etc/GMT+5@+3', 'Etc/GMT+5', 3 * HOUR],
  ['Australia/Sydney@-10', 'Australia/Sydney', -10 * HOUR],
  ['Asia/Kolkata@-0:30', 'Asia/Kolkata', -30 * 60_000],
  ['America/New_York@+05:30', 'America/New_York', 5.5 * HOUR],
];

describe('shifted ZoneClock', () => {
  it.each(SHIFTED)('%s: offsetAt is the base zone offset plus the shift at every instant', (spec, base, shift) => {
    const clock = ZoneClock.of(spec);
    const zone = ZoneClock.of(base);
    expect(clock.baseZone).toBe(base);
    expect(clock.shiftMs).toBe(shift);
    fc.assert(
      fc.property(
        instant,
        (t) => clock.offsetAt(t) === zone.offsetAt(t) + shift && clock.toWall(t) === zone.toWall(t) + shift,
      ),
      { numRuns: 300 },
    );
  });

  it.each(SHIFTED)(
    '%s: toUtc of a wall time is the base zone toUtc of that wall minus the shift, same kind',
    (spec, base, shift) => {
      const clock = ZoneClock.of(spec);
      const zone = ZoneClock.of(base);
      fc.assert(
        fc.property(instant, (wall) => {
          const got = clock.toUtc(wall);
          const kind = clock.kind;
          const later = clock.laterUtc;
          const want = zone.toUtc(wall - shift);
          if (got !== want || kind !== zone.kind) return false;
          return kind !== WALL_REPEATED || later === zone.laterUtc;
        }),
        { numRuns: 300 },
      );
    },
  );

  it('round-trips every instant through toWall and toUtc (the later of a repeated pair included)', () => {
    const clock = ZoneClock.of('NY+7');
    fc.assert(
      fc.property(instant, (t) => {
        const back = clock.toUtc(clock.toWall(t));
        return back === t || (clock.kind === WALL_REPEATED && clock.laterUtc === t);
      }),
      { numRuns: 500 },
    );
  });

  it('NY+7 is UTC+2 in winter and UTC+3 in summer, switching on the US dates (not the EU ones)', () => {
    const ny7 = ZoneClock.of('NY+7');
    const eet = ZoneClock.of('EET');
    expect(ny7.offsetAt(utc('2024-01-15T12:00'))).toBe(2 * HOUR);
    expect(ny7.offsetAt(utc('2024-07-15T12:00'))).toBe(3 * HOUR);
    // 2024-03-11: the US is on summer time, the EU not yet.
    expect(ny7.offsetAt(utc('2024-03-11T12:00'))).toBe(3 * HOUR);
    expect(eet.offsetAt(utc('2024-03-11T12:00'))).toBe(2 * HOUR);
    // 2024-10-28: the EU is back on winter time, the US not yet.
    expect(ny7.offsetAt(utc('2024-10-28T12:00'))).toBe(3 * HOUR);
    expect(eet.offsetAt(utc('2024-10-28T12:00'))).toBe(2 * HOUR);
    // Server midnight is 17:00 New York all year.
    for (const day of ['2024-01-15', '2024-03-11', '2024-07-15', '2024-10-28', '2024-12-02'])
      expect(new Date(ZoneClock.of('America/New_York').toWall(ny7.toUtc(utc(`${day}T00:00`)))).getUTCHours()).toBe(17);
  });

  it('NY+7 skips 09:00 on 2024-03-10 and repeats 08:00 on 2024-11-03 (02:00 and 01:00 New York)', () => {
    const ny7 = ZoneClock.of('NY+7');
    expect(ny7.toUtc(utc('2024-03-10T08:30'))).toBe(utc('2024-03-10T06:30'));
    expect(ny7.kind).toBe(WALL_UNIQUE);
    expect(ny7.toUtc(utc('2024-03-10T09:30'))).toBe(utc('2024-03-10T07:30'));
    expect(ny7.kind).toBe(WALL_SKIPPED);
    expect(ny7.toUtc(utc('2024-11-03T08:30'))).toBe(utc('2024-11-03T05:30'));
    expect(ny7.kind).toBe(WALL_REPEATED);
    expect(ny7.laterUtc).toBe(utc('2024-11-03T06:30'));
  });

  it('a plain zone is unchanged (no shift), Etc/GMT+5 included', () => {
    expect(ZoneClock.of('Etc/GMT+5').shiftMs).toBe(0);
    expect(ZoneClock.of('Etc/GMT+5').offsetAt(utc('2024-06-01T00:00'))).toBe(-5 * HOUR);
    expect(ZoneClock.of('EET').baseZone).toBe('EET');
  });

  it.each(['NY', 'NY+', 'NY+7x', 'EET@', 'EET@7', 'EET@+13', 'EET@+1:60', '@+2', 'Mars/Olympus@+1', 'Foo', '+02:00'])(
    '%s is CORE_CLI_USAGE listing the accepted forms',
    (spec) => {
      let error: unknown;
      try {
        ZoneClock.of(spec);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PtError);
      expect((error as PtError).id).toBe('CORE_CLI_USAGE');
      expect((error as PtError).message).toBe(
        `unknown clock "${spec}" for --tz (expected an IANA zone such as UTC, EET, America/New_York, Etc/GMT-2; ` +
          'a shifted zone ZONE@+H or ZONE@-H such as America/New_York@+7 or EET@-1 (whole hours, or +H:MM); NY+7; or file)',
      );
    },
  );
});
