// Works out a file's layout (separator, header, which column holds what) from its first lines.
import { csvParseError } from './csvParseError.js';

/** Where each value sits in a row; -1 when the file has no such column. */
export interface CsvLayout {
  /** `mt5`, `histdata` (no header) or `header` (named columns). */
  kind: 'mt5' | 'histdata' | 'header';
  separator: number;
  columns: number;
  /** Date-time column, or the date column when `time` is a separate column. */
  dateTime: number;
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  hasHeader: boolean;
}

const SEPARATOR_NAMES: Record<number, string> = { 9: 'tab', 44: 'comma', 59: 'semicolon' };

export function layoutName(layout: CsvLayout): string {
  return `${layout.kind}:${SEPARATOR_NAMES[layout.separator] ?? 'other'}`;
}

const COMBINED_TIME_NAMES = [
  'datetime',
  'date_time',
  'date time',
  'timestamp',
  'ts',
  'time',
  'date',
  'gmt time',
  'local time',
  'time (utc)',
  'open_time',
  'open time',
  'dtyyyymmdd',
];
/** Tick volume first: MT5's `<VOL>` is real volume, zero for most CFDs and FX. */
const VOLUME_NAMES = ['tickvol', 'tick_volume', 'tick volume', 'tickvolume', 'volume', 'vol'];

function chooseSeparator(line: string): number {
  if (line.includes('\t')) return 9;
  if (line.includes(';')) return 59;
  return 44;
}

function splitLine(line: string, separator: number): string[] {
  return line.split(String.fromCharCode(separator)).map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
}

/** Lower case, without MT5's angle brackets. */
function normaliseName(name: string): string {
  return name
    .toLowerCase()
    .replace(/^<(.*)>$/, '$1')
    .trim();
}

/**
 * `firstLine` is the first non-blank line (number `lineNo`); `dataLine`, if any, the next one.
 * A first line starting with a digit means no header (HistData forms).
 */
export function detectCsvLayout(path: string, firstLine: string, lineNo: number, dataLine: string | null): CsvLayout {
  const first = firstLine.trimStart().replace(/^"/, '');
  const c = first.charCodeAt(0);
  if (c >= 48 && c <= 57) return headerlessLayout(path, firstLine, lineNo);
  const separator = chooseSeparator(firstLine);
  const names = splitLine(firstLine, separator).map(normaliseName);
  const find = (...candidates: string[]): number => {
    for (const candidate of candidates) {
      const i = names.indexOf(candidate);
      if (i >= 0) return i;
    }
    return -1;
  };
  // `<DTYYYYMMDD>,<TIME>` (MetaStock-style exports): the date column has its format for a name.
  const date = find('date', 'day', 'dtyyyymmdd');
  const time = find('time');
  let dateTime: number;
  let timeCol = -1;
  if (date >= 0 && time >= 0 && dataLine !== null && !fieldHasTime(splitLine(dataLine, separator)[date] ?? '')) {
    dateTime = date;
    timeCol = time;
  } else {
    dateTime = find(...COMBINED_TIME_NAMES);
  }
  if (dateTime < 0)
    throw csvParseError(
      path,
      lineNo,
      `no time column in header (expected one of time, date, datetime, timestamp, ts); found ${names.join(',')}`,
    );
  const layout: CsvLayout = {
    kind: firstLine.includes('<') ? 'mt5' : 'header',
    separator,
    columns: names.length,
    dateTime,
    time: timeCol,
    open: find('open', 'o'),
    high: find('high', 'h'),
    low: find('low', 'l'),
    close: find('close', 'c'),
    volume: find(...VOLUME_NAMES),
    hasHeader: true,
  };
  for (const key of ['open', 'high', 'low', 'close'] as const) {
    if (layout[key] < 0) throw csvParseError(path, lineNo, `no ${key} column in header; found ${names.join(',')}`);
  }
  return layout;
}

/** A date column that already carries a time of day (`2023-01-02 00:00`) makes a `time` column redundant. */
function fieldHasTime(field: string): boolean {
  return field.includes(' ') || field.includes('T');
}

/**
 * HistData forms: `20230102 000000;o;h;l;c;v` (ASCII M1), `2023.01.02,00:00,o,h,l,c,v`
 * (MetaTrader form); volume optional. One more column after the volume is MQL `FileWrite`'s real
 * volume (`2021.03.22 10:00,o,h,l,c,tickvol,vol`): the tick volume before it is taken.
 */
function headerlessLayout(path: string, line: string, lineNo: number): CsvLayout {
  const separator = chooseSeparator(line);
  const fields = splitLine(line, separator);
  const n = fields.length;
  const head = fields[0] ?? '';
  const combined = head.includes(' ') || head.includes('T') || /^\d{9,13}(\.\d+)?$/.test(head);
  const base = combined ? 1 : 2;
  if (n >= base + 4 && n <= base + 6) {
    return {
      kind: 'histdata',
      separator,
      columns: n,
      dateTime: 0,
      time: combined ? -1 : 1,
      open: base,
      high: base + 1,
      low: base + 2,
      close: base + 3,
      volume: n >= base + 5 ? base + 4 : -1,
      hasHeader: false,
    };
  }
  throw csvParseError(
    path,
    lineNo,
    `no header and ${n} columns: expected date-time;open;high;low;close[;tickvolume[;volume]] or date,time,open,high,low,close[,tickvolume[,volume]]`,
  );
}
