// signal.json times as the EA reads them (PtIsoToMs): the schema's pattern, and an instant that exists.

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/;

/**
 * Milliseconds since 1970 of `YYYY-MM-DDTHH:MM:SS(.f{1,3})?Z`, or undefined when the text does not match
 * or names no real instant (`2024-02-30`, month 13, hour 24): `Date.parse` would roll those over.
 */
export function realInstantMs(text: string): number | undefined {
  const m = ISO_UTC.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  // setUTCFullYear keeps years 0-99 as written (Date.UTC maps them to 1900-1999).
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
