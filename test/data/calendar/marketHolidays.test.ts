import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  easterSunday,
  holidayDate,
  holidaysInYear,
  HOLIDAY_RULES,
  isHolidayRule,
  type HolidayRule,
} from '../../../src/data/calendar/marketHolidays.js';

/** Day of week (0 = Sunday) of a YYYY-MM-DD date. */
const dow = (iso: string): number => new Date(`${iso}T00:00:00Z`).getUTCDay();

// Published NYSE holiday calendars (NYSE Group press releases of 2021-12-27 for 2022–2024 and
// 2024-11-08 for 2025–2027); CME Globex observes the same US holidays on the same dates.
// null = no holiday observed that year.
const PUBLISHED: Record<HolidayRule, Record<number, string | null>> = {
  new_year: { 2022: null, 2023: '2023-01-02', 2024: '2024-01-01', 2025: '2025-01-01' },
  mlk: { 2022: '2022-01-17', 2023: '2023-01-16', 2024: '2024-01-15', 2025: '2025-01-20' },
  presidents: { 2022: '2022-02-21', 2023: '2023-02-20', 2024: '2024-02-19', 2025: '2025-02-17' },
  good_friday: { 2022: '2022-04-15', 2023: '2023-04-07', 2024: '2024-03-29', 2025: '2025-04-18' },
  memorial: { 2022: '2022-05-30', 2023: '2023-05-29', 2024: '2024-05-27', 2025: '2025-05-26' },
  juneteenth: { 2022: '2022-06-20', 2023: '2023-06-19', 2024: '2024-06-19', 2025: '2025-06-19' },
  independence: { 2022: '2022-07-04', 2023: '2023-07-04', 2024: '2024-07-04', 2025: '2025-07-04' },
  labor: { 2022: '2022-09-05', 2023: '2023-09-04', 2024: '2024-09-02', 2025: '2025-09-01' },
  thanksgiving: { 2022: '2022-11-24', 2023: '2023-11-23', 2024: '2024-11-28', 2025: '2025-11-27' },
  christmas: { 2022: '2022-12-26', 2023: '2023-12-25', 2024: '2024-12-25', 2025: '2025-12-25' },
};

describe('easterSunday', () => {
  it.each([
    [2019, 4, 21],
    [2022, 4, 17],
    [2023, 4, 9],
    [2024, 3, 31],
    [2025, 4, 20],
    [2008, 3, 23],
    [2038, 4, 25],
  ])('Easter %i is on month %i day %i', (year, month, day) => {
    expect(easterSunday(year)).toEqual({ month, day });
  });

  it('rejects a non-integer or pre-Gregorian year', () => {
    expect(() => easterSunday(2024.5)).toThrow(RangeError);
    expect(() => easterSunday(1500)).toThrow(RangeError);
  });
});

describe('holidayDate', () => {
  const cases = HOLIDAY_RULES.flatMap((rule) =>
    [2022, 2023, 2024, 2025].map((year) => [rule, year, PUBLISHED[rule][year]!] as const),
  );
  it.each(cases)('%s %i is observed on the NYSE/CME published date %s', (rule, year, expected) => {
    expect(holidayDate(rule, year)).toBe(expected);
  });

  // 2022–2025 has no Saturday fixed-date holiday other than New Year 2022; these come from the
  // NYSE calendars for 2026–2028 (press releases of 2024-11-08 and 2025-12-23).
  it.each([
    ['independence', 2026, '2026-07-03'],
    ['juneteenth', 2027, '2027-06-18'],
    ['christmas', 2027, '2027-12-24'],
    ['independence', 2027, '2027-07-05'],
    ['new_year', 2028, null],
    ['new_year', 2011, null],
  ] as const)(
    '%s %i is observed on %s (Saturday to Friday, Sunday to Monday, New Year on Saturday not at all)',
    (rule, year, expected) => {
      expect(holidayDate(rule, year)).toBe(expected);
    },
  );

  it('Juneteenth is not a market holiday before 2022', () => {
    expect(holidayDate('juneteenth', 2021)).toBeNull();
    expect(holidayDate('juneteenth', 2000)).toBeNull();
  });

  it('over 1990–2100 every observed date is a weekday, Monday holidays are Mondays, Thanksgiving a Thursday and Good Friday two days before Easter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1990, max: 2100 }), (year) => {
        for (const rule of HOLIDAY_RULES) {
          const date = holidayDate(rule, year);
          if (date === null) continue;
          expect(date.startsWith(`${year}-`)).toBe(true);
          expect([1, 2, 3, 4, 5]).toContain(dow(date));
        }
        for (const rule of ['mlk', 'presidents', 'memorial', 'labor'] as const)
          expect(dow(holidayDate(rule, year)!)).toBe(1);
        expect(dow(holidayDate('thanksgiving', year)!)).toBe(4);
        const goodFriday = holidayDate('good_friday', year)!;
        expect(dow(goodFriday)).toBe(5);
        const easter = easterSunday(year);
        expect(Date.UTC(year, easter.month - 1, easter.day) - Date.parse(`${goodFriday}T00:00:00Z`)).toBe(
          2 * 86_400_000,
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('holidaysInYear', () => {
  it('maps each observed 2022 date to its rule and leaves out New Year, which had no observance', () => {
    const got = holidaysInYear(HOLIDAY_RULES, 2022);
    expect(got.size).toBe(9);
    expect([...got.values()]).not.toContain('new_year');
    expect(got.get('2022-06-20')).toBe('juneteenth');
    expect(got.get('2022-12-26')).toBe('christmas');
    expect(got.get('2022-04-15')).toBe('good_friday');
  });

  it('holds only the rules asked for', () => {
    expect([...holidaysInYear(['christmas', 'new_year'], 2023)]).toEqual([
      ['2023-12-25', 'christmas'],
      ['2023-01-02', 'new_year'],
    ]);
  });
});

describe('isHolidayRule', () => {
  it('accepts the listed names and rejects others', () => {
    expect(HOLIDAY_RULES.every(isHolidayRule)).toBe(true);
    expect(isHolidayRule('boxing_day')).toBe(false);
  });
});
