// Reads dates and times from a line's characters without a regex or substring per field.

const DAY_MS = 86_400_000;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -100_000;
}

function two(s: string, i: number): number {
  return digit(s, i) * 10 + digit(s, i + 1);
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function validDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return false;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= MONTH_DAYS[month - 1]! + (leap ? 1 : 0);
}

/**
 * Turns date/time text into wall-clock milliseconds (the wall time written as if it were UTC).
 * When the text names its own instant (epoch seconds/ms, a `Z` or `±HH:MM` suffix) the result is
 * already UTC and `instant` is set, so the caller skips the zone conversion.
 */
export class DateTimeReader {
  instant = false;
  /** The offset written after the time (`Z`, `+02:00`), in ms east of UTC; NaN when none was written. */
  offsetMs = NaN;

  /** `2023-01-02`, `2023.01.02`, `2023/01/02` or `20230102` → ms of that day's midnight; NaN if not a date. */
  readDate(s: string, a: number, b: number): number {
    let year: number, month: number, day: number;
    if (b - a === 10) {
      const sep = s.charCodeAt(a + 4);
      if ((sep !== 45 && sep !== 46 && sep !== 47) || s.charCodeAt(a + 7) !== sep) return NaN;
      year = two(s, a) * 100 + two(s, a + 2);
      month = two(s, a + 5);
      day = two(s, a + 8);
    } else if (b - a === 8) {
      year = two(s, a) * 100 + two(s, a + 2);
      month = two(s, a + 4);
      day = two(s, a + 6);
    } else {
      return NaN;
    }
    if (!validDate(year, month, day)) return NaN;
    return daysFromCivil(year, month, day) * DAY_MS;
  }

  /** `00:00`, `0:00`, `00:00:00`, `00:00:00.250`, `000000`, `0000`, `000000250` → ms into the day; NaN if not a time. */
  readTime(s: string, a: number, b: number): number {
    const len = b - a;
    let hour: number,
      minute: number,
      second = 0,
      ms = 0;
    if (len >= 4 && s.charCodeAt(a + 1) === 58) {
      hour = digit(s, a);
      minute = two(s, a + 2);
      if (len === 7 && s.charCodeAt(a + 4) === 58) second = two(s, a + 5);
      else if (len !== 4) return NaN;
    } else if (len >= 5 && s.charCodeAt(a + 2) === 58) {
      hour = two(s, a);
      minute = two(s, a + 3);
      if (len >= 8) {
        if (s.charCodeAt(a + 5) !== 58) return NaN;
        second = two(s, a + 6);
        if (len > 8) {
          if (s.charCodeAt(a + 8) !== 46 || len === 9) return NaN;
          ms = this.fractionMs(s, a + 9, b);
        }
      } else if (len !== 5) {
        return NaN;
      }
    } else if (len === 4 || len === 6 || len === 9) {
      hour = two(s, a);
      minute = two(s, a + 2);
      if (len >= 6) second = two(s, a + 4);
      if (len === 9) ms = digit(s, a + 6) * 100 + digit(s, a + 7) * 10 + digit(s, a + 8);
    } else {
      return NaN;
    }
    if (!(hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && ms >= 0)) return NaN;
    return ((hour * 60 + minute) * 60 + second) * 1000 + ms;
  }

  /** A single date-time field; also epoch seconds (9-11 digits) or ms (12-13 digits), which are UTC. */
  readDateTime(s: string, a: number, b: number): number {
    this.instant = false;
    this.offsetMs = NaN;
    let k = a;
    while (k < b) {
      const d = s.charCodeAt(k) - 48;
      if (d < 0 || d > 9) break;
      k++;
    }
    const intLen = k - a;
    if (intLen >= 9 && intLen <= 13 && (k === b || s.charCodeAt(k) === 46)) {
      const value = this.epochNumber(s, a, b);
      if (Number.isNaN(value)) return NaN;
      this.instant = true;
      return intLen <= 11 ? Math.round(value * 1000) : Math.round(value);
    }
    let p: number;
    let date: number;
    if (intLen === 14 && k === b) return this.readDate(s, a, a + 8) + this.readTime(s, a + 8, b);
    if (intLen === 8) {
      date = this.readDate(s, a, a + 8);
      p = a + 8;
    } else if (intLen === 4) {
      date = this.readDate(s, a, a + 10);
      p = a + 10;
    } else return NaN;
    if (p >= b) return date;
    const sep = s.charCodeAt(p);
    if (sep !== 32 && sep !== 84 && sep !== 95) return NaN;
    p++;
    while (p < b && s.charCodeAt(p) === 32) p++;
    let e = p;
    while (e < b) {
      const c = s.charCodeAt(e);
      if (c === 90 || c === 43 || c === 45) break;
      e++;
    }
    const time = this.readTime(s, p, e);
    if (e === b) return date + time;
    const offset = this.readOffset(s, e, b);
    if (Number.isNaN(offset)) return NaN;
    this.instant = true;
    this.offsetMs = offset;
    return date + time - offset;
  }

  private epochNumber(s: string, a: number, b: number): number {
    let v = 0;
    let i = a;
    for (; i < b; i++) {
      const c = s.charCodeAt(i);
      if (c === 46) break;
      v = v * 10 + (c - 48);
    }
    if (i >= b) return v;
    let scale = 0.1;
    for (i++; i < b; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return NaN;
      v += d * scale;
      scale /= 10;
    }
    return v;
  }

  /** `.250`, `.25`, `.2500001` → whole milliseconds (extra digits are truncated). */
  private fractionMs(s: string, a: number, b: number): number {
    let ms = 0;
    for (let i = a; i < b; i++) {
      const d = digit(s, i);
      if (d < 0) return NaN;
      if (i < a + 3) ms = ms * 10 + d;
    }
    for (let i = b - a; i < 3; i++) ms *= 10;
    return ms;
  }

  /** `Z`, `+02:00`, `-0500`, `+02` → offset ms east of UTC. */
  private readOffset(s: string, a: number, b: number): number {
    const c = s.charCodeAt(a);
    if (c === 90) return b === a + 1 ? 0 : NaN;
    const sign = c === 45 ? -1 : 1;
    const len = b - a - 1;
    const hours = two(s, a + 1);
    let minutes = 0;
    if (len === 5 && s.charCodeAt(a + 3) === 58) minutes = two(s, a + 4);
    else if (len === 4) minutes = two(s, a + 3);
    else if (len !== 2) return NaN;
    if (!(hours >= 0 && hours <= 18 && minutes >= 0 && minutes <= 59)) return NaN;
    return sign * (hours * 60 + minutes) * 60_000;
  }
}
