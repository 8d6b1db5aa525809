// US exchange holiday rules (NYSE / CME Globex): the calendar date on which each holiday is observed in a year.

const DAY_MS = 86_400_000;
const SUN = 0;
const MON = 1;
const THU = 4;
const SAT = 6;

/** Names of the holiday rules, in calendar order; a config file names rules from this list. */
export const HOLIDAY_RULES = [
  'new_year',
  'mlk',
  'presidents',
  'good_friday',
  'memorial',
  'juneteenth',
  'independence',
  'labor',
  'thanksgiving',
  'christmas',
] as const;

/** One named US market holiday rule. */
export type HolidayRule = (typeof HOLIDAY_RULES)[number];

/** True when `name` is one of {@link HOLIDAY_RULES}. */
export function isHolidayRule(name: string): name is HolidayRule {
  return (HOLIDAY_RULES as readonly string[]).includes(name);
}

function checkYear(year: number): void {
  // The Easter algorithm is only valid for the Gregorian calendar (from 1583), and ISO strings
  // stay YYYY-MM-DD only up to 9999.
  if (!Number.isInteger(year) || year < 1583 || year > 9999)
    throw new RangeError(`year must be an integer in 1583..9999, got ${year}`);
}

/**
 * Gregorian Easter Sunday of `year` (anonymous Gregorian algorithm, Meeus/Jones/Butcher).
 * @returns month 1-12 and day of month.
 * @throws RangeError when `year` is not an integer in 1583..9999.
 */
export function easterSunday(year: number): { month: number; day: number } {
  checkYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const n = h + l - 7 * m + 114;
  return { month: Math.floor(n / 31), day: (n % 31) + 1 };
}

function dayMs(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day);
}

function weekday(ms: number): number {
  return new Date(ms).getUTCDay();
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The `n`th `dow` (0 = Sunday) of `month`. */
function nthWeekday(year: number, month: number, dow: number, n: number): string {
  const first = dayMs(year, month, 1);
  return isoDate(first + (((dow - weekday(first) + 7) % 7) + 7 * (n - 1)) * DAY_MS);
}

/** The last `dow` (0 = Sunday) of `month`. */
function lastWeekday(year: number, month: number, dow: number): string {
  const last = dayMs(year, month + 1, 0);
  return isoDate(last - ((weekday(last) - dow + 7) % 7) * DAY_MS);
}

/** A fixed-date holiday moved off the weekend: Saturday to the Friday before, Sunday to the Monday after. */
function fixedObserved(year: number, month: number, day: number, saturdayToFriday = true): string | null {
  const ms = dayMs(year, month, day);
  const dow = weekday(ms);
  if (dow === SAT) return saturdayToFriday ? isoDate(ms - DAY_MS) : null;
  if (dow === SUN) return isoDate(ms + DAY_MS);
  return isoDate(ms);
}

const RULES: Record<HolidayRule, (year: number) => string | null> = {
  // NYSE Rule 7.2 keeps the market open on Dec 31 (the year's last trading day) when New Year's Day
  // is a Saturday, and CME follows: that year has no New Year closure at all.
  new_year: (y) => fixedObserved(y, 1, 1, false),
  mlk: (y) => nthWeekday(y, 1, MON, 3),
  presidents: (y) => nthWeekday(y, 2, MON, 3),
  good_friday: (y) => {
    const easter = easterSunday(y);
    return isoDate(dayMs(y, easter.month, easter.day) - 2 * DAY_MS);
  },
  memorial: (y) => lastWeekday(y, 5, MON),
  // US exchanges first closed for Juneteenth in 2022 (it became a federal holiday too late in 2021).
  juneteenth: (y) => (y >= 2022 ? fixedObserved(y, 6, 19) : null),
  independence: (y) => fixedObserved(y, 7, 4),
  labor: (y) => nthWeekday(y, 9, MON, 1),
  thanksgiving: (y) => nthWeekday(y, 11, THU, 4),
  christmas: (y) => fixedObserved(y, 12, 25),
};

/**
 * The date (YYYY-MM-DD) on which US markets observe `rule` in `year`, or null when the holiday has
 * no weekday observance that year (New Year's Day on a Saturday, Juneteenth before 2022).
 * Rules are today's; other historical changes (e.g. MLK Day closures only from 1998) are not modelled.
 * @throws RangeError when `year` is not an integer in 1583..9999.
 */
export function holidayDate(rule: HolidayRule, year: number): string | null {
  checkYear(year);
  return RULES[rule](year);
}

/**
 * Observed dates of `rules` in `year`, each date (YYYY-MM-DD) mapped to its rule;
 * rules with no observance that year are left out.
 */
export function holidaysInYear(rules: readonly HolidayRule[], year: number): Map<string, HolidayRule> {
  const out = new Map<string, HolidayRule>();
  for (const rule of rules) {
    const date = holidayDate(rule, year);
    if (date !== null) out.set(date, rule);
  }
  return out;
}
