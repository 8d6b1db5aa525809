// The hot loop: text lines to timestamp and price columns, failing on the first malformed line.
import { csvParseError, quoteField } from './csvParseError.js';
import { detectCsvLayout, layoutName, type CsvLayout } from './detectCsvLayout.js';
import { DateTimeReader } from './dateTimeReader.js';
import { parseDecimal } from './parseDecimal.js';
import type { ResolvedCsvOptions } from './resolveCsvOptions.js';
import { WALL_REPEATED, WALL_SKIPPED } from '../../core/zoneClock.js';
import { emptyRepeatedWallRows, resolveRepeatedWallTimes } from './resolveRepeatedWallTimes.js';
import { isMetaTraderLayout, metaTraderClockMissing, metaTraderLayoutLabel } from './isMetaTraderLayout.js';
import { offsetConflict, offsetMissing } from './writtenOffsetErrors.js';

/** Parsed rows in file order, as parallel columns (NaN volume = unknown). */
export interface ParsedRows {
  format: string;
  /** Rows filled in the columns below (they may be longer). */
  count: number;
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** 1-based line number of each row. */
  line: Float64Array;
  /** The row's time as written in the file (wall clock as if UTC; the instant for epoch/offset times), for messages. */
  wall: Float64Array;
  /** Wall-clock reads only (`pt ingest --detect-clock`): the offset written in each row, NaN when none. */
  offset?: Float64Array;
  /** Physical lines, header and blank ones included. */
  lines: number;
  outOfOrder: number;
  skippedHourShifted: number;
  /** False when the last line has no line terminator. */
  terminated: boolean;
}

const PRICE_NAMES = ['open', 'high', 'low', 'close'] as const;

function isBlank(text: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 44 && c !== 59) return false;
  }
  return true;
}

/** Index of the `\n` ending the line that starts at `pos` (the text length for the last line). */
function lineEnd(text: string, pos: number): number {
  const nl = text.indexOf('\n', pos);
  return nl < 0 ? text.length : nl;
}

/** End of the line's content, before a CR of a CRLF ending. */
function contentEnd(text: string, pos: number, nl: number): number {
  return nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
}

/** Trailing spaces after the last line break do not make the last row unfinished. */
function endsWithTerminator(text: string): boolean {
  let e = text.length;
  while (e > 0 && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--;
  return e > 0 && (text.charCodeAt(e - 1) === 10 || text.charCodeAt(e - 1) === 13);
}

/** `02/01/2023`, `2.1.2023`, `02-01-2023 00:00`: a day-first or month-first date, which pt never guesses. */
const DAY_FIRST = /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b/;

function dateError(path: string, line: number, field: string): Error {
  return DAY_FIRST.test(field)
    ? csvParseError(path, line, `ambiguous day-first or month-first date ${quoteField(field)}: use ISO YYYY-MM-DD`)
    : csvParseError(path, line, `unparseable date ${quoteField(field)}`);
}

export function parseCsvText(text: string, path: string, options: ResolvedCsvOptions): ParsedRows {
  const n = text.length;
  // Old Mac files end lines with CR alone: the whole file would read as one header line.
  if (text.indexOf('\n') < 0 && text.indexOf('\r') >= 0 && text.indexOf('\r') < n - 1)
    throw csvParseError(path, 1, 'lines end with CR only (old Mac format): save the file with LF or CRLF line ends');
  // The first two non-blank lines decide the layout (the second only for a `date` column holding a time).
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let pos = bom;
  let lineNo = 0;
  let firstLine: string | null = null;
  let firstLineNo = 0;
  let secondLine: string | null = null;
  let scan = bom;
  let scanNo = 0;
  while (scan < n && secondLine === null) {
    const nl = lineEnd(text, scan);
    const end = contentEnd(text, scan, nl);
    scanNo++;
    if (!isBlank(text, scan, end)) {
      if (firstLine === null) {
        firstLine = text.slice(scan, end);
        firstLineNo = scanNo;
      } else secondLine = text.slice(scan, end);
    }
    scan = nl + 1;
  }
  if (firstLine === null) throw csvParseError(path, 1, 'empty file (no rows)');
  const layout: CsvLayout = detectCsvLayout(path, firstLine, firstLineNo, secondLine);
  const skipThrough = layout.hasHeader ? firstLineNo : firstLineNo - 1;
  if (options.clockMode === 'default' && isMetaTraderLayout(layout, firstLine, secondLine))
    throw metaTraderClockMissing(path, metaTraderLayoutLabel(layout, firstLine), options.timeframe);

  // Columns sized by the line count up front: growing arrays row by row costs more in GC than the parse.
  let capacity = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) capacity++;
  const rows: ParsedRows = {
    format: layoutName(layout),
    count: 0,
    ts: new Float64Array(capacity),
    open: new Float64Array(capacity),
    high: new Float64Array(capacity),
    low: new Float64Array(capacity),
    close: new Float64Array(capacity),
    volume: new Float64Array(capacity),
    line: new Float64Array(capacity),
    wall: new Float64Array(capacity),
    lines: 0,
    outOfOrder: 0,
    skippedHourShifted: 0,
    terminated: endsWithTerminator(text),
  };
  if (options.clockMode === 'wall') rows.offset = new Float64Array(capacity);
  const columns = layout.columns;
  const starts = new Int32Array(columns);
  const ends = new Int32Array(columns);
  const separator = String.fromCharCode(layout.separator);
  const priceCols = [layout.open, layout.high, layout.low, layout.close];
  const prices = new Float64Array(4);
  const scale = options.priceScale;
  const clock = options.clock;
  const clockMode = options.clockMode;
  const ignoreOffsets = options.ignoreOffsets;
  const reader = new DateTimeReader();
  // Rows at a repeated (DST fall-back) wall time: their instants wait for the file's order around them.
  const repeated = emptyRepeatedWallRows();
  let newest = -Infinity;

  while (pos < n) {
    const nl = lineEnd(text, pos);
    const end = contentEnd(text, pos, nl);
    const start = pos;
    pos = nl + 1;
    lineNo++;
    if (lineNo <= skipThrough || isBlank(text, start, end)) continue;

    // indexOf per separator instead of split(): no array or substring per field.
    let count = 0;
    let a = start;
    for (;;) {
      let e = text.indexOf(separator, a);
      if (e < 0 || e > end) e = end;
      if (count < columns) {
        let fa = a;
        let fb = e;
        while (fa < fb && (text.charCodeAt(fa) === 32 || text.charCodeAt(fa) === 34)) fa++;
        while (fb > fa && (text.charCodeAt(fb - 1) === 32 || text.charCodeAt(fb - 1) === 34)) fb--;
        starts[count] = fa;
        ends[count] = fb;
      }
      count++;
      if (e === end) break;
      a = e + 1;
    }
    if (count !== columns) {
      // A separator inside quotes ("1,100.5") is the usual cause of an extra column: say so.
      const quoted = text.slice(start, end).includes('"')
        ? `; a quoted field holds the separator (${JSON.stringify(text.slice(start, Math.min(end, start + 80)))}): pt does not read quoted fields or thousands separators, so save the prices as plain numbers`
        : '';
      throw csvParseError(path, lineNo, `expected ${columns} columns, found ${count}${quoted}`);
    }

    let wall: number;
    const dt = layout.dateTime;
    if (layout.time < 0) {
      wall = reader.readDateTime(text, starts[dt]!, ends[dt]!);
      if (Number.isNaN(wall)) throw dateError(path, lineNo, text.slice(starts[dt]!, ends[dt]!));
    } else {
      reader.instant = false;
      const day = reader.readDate(text, starts[dt]!, ends[dt]!);
      if (Number.isNaN(day)) throw dateError(path, lineNo, text.slice(starts[dt]!, ends[dt]!));
      const tc = layout.time;
      const time = reader.readTime(text, starts[tc]!, ends[tc]!);
      if (Number.isNaN(time))
        throw csvParseError(path, lineNo, `unparseable time ${quoteField(text.slice(starts[tc]!, ends[tc]!))}`);
      wall = day + time;
    }
    // --ignore-offsets: the written offset is wrong, the wall time before it is what the clock shows.
    const offsetDropped = reader.instant && ignoreOffsets && !Number.isNaN(reader.offsetMs);
    if (offsetDropped) wall += reader.offsetMs;
    let ts = wall;
    let laterUtc = NaN;
    if (!reader.instant || offsetDropped) {
      if (clockMode === 'file')
        throw offsetMissing(path, lineNo, text.slice(starts[dt]!, ends[lastTimeColumn(layout)]!));
      ts = clock.toUtc(wall);
      if (clock.kind === WALL_REPEATED) laterUtc = clock.laterUtc;
      else if (clock.kind === WALL_SKIPPED) rows.skippedHourShifted++;
    } else if (!Number.isNaN(reader.offsetMs)) {
      // An offset written in the file: checked against --tz, never silently preferred to it.
      if (clockMode === 'wall') ts = wall + reader.offsetMs;
      else if (clockMode === 'given' && clock.offsetAt(ts) !== reader.offsetMs)
        throw offsetConflict(path, lineNo, text.slice(starts[dt]!, ends[dt]!), reader.offsetMs, clock, ts);
    }

    for (let k = 0; k < 4; k++) {
      const col = priceCols[k]!;
      let value = parseDecimal(text, starts[col]!, ends[col]!);
      if (Number.isNaN(value))
        throw csvParseError(
          path,
          lineNo,
          `non-numeric ${PRICE_NAMES[k]} ${quoteField(text.slice(starts[col]!, ends[col]!))}`,
        );
      if (scale !== 1) {
        const points = Math.round(value);
        if (Math.abs(value - points) > 1e-6)
          throw csvParseError(
            path,
            lineNo,
            `${PRICE_NAMES[k]} ${quoteField(text.slice(starts[col]!, ends[col]!))} is not a whole number of points (price scale ${scale})`,
          );
        value = points / scale;
      }
      prices[k] = value;
    }
    let volume = NaN;
    if (layout.volume >= 0) {
      const vc = layout.volume;
      if (ends[vc]! > starts[vc]!) {
        volume = parseDecimal(text, starts[vc]!, ends[vc]!);
        if (Number.isNaN(volume) || volume < 0)
          throw csvParseError(
            path,
            lineNo,
            `non-numeric or negative volume ${quoteField(text.slice(starts[vc]!, ends[vc]!))}`,
          );
      }
    }

    if (ts < newest) rows.outOfOrder++;
    else newest = ts;
    const r = rows.count++;
    if (!Number.isNaN(laterUtc)) {
      repeated.rows.push(r);
      repeated.wall.push(wall);
      repeated.earlier.push(ts);
      repeated.later.push(laterUtc);
    }
    rows.ts[r] = ts;
    rows.open[r] = prices[0]!;
    rows.high[r] = prices[1]!;
    rows.low[r] = prices[2]!;
    rows.close[r] = prices[3]!;
    rows.volume[r] = volume;
    rows.line[r] = lineNo;
    rows.wall[r] = wall;
    if (rows.offset) rows.offset[r] = reader.instant ? reader.offsetMs : NaN;
  }
  rows.lines = lineNo;
  if (rows.count === 0) throw csvParseError(path, lineNo + 1, 'no data rows after the header');
  if (repeated.rows.length > 0) {
    resolveRepeatedWallTimes(rows.ts, rows.line, rows.count, repeated, path, clock.zone);
    rows.outOfOrder = countOutOfOrder(rows.ts, rows.count);
  }
  return rows;
}

/** Last column of the date-time text (the time column when the date has its own). */
function lastTimeColumn(layout: CsvLayout): number {
  return layout.time >= 0 ? layout.time : layout.dateTime;
}

/** Rows older than a row above them (as the parse loop counts them). */
function countOutOfOrder(ts: Float64Array, count: number): number {
  let out = 0;
  let newest = -Infinity;
  for (let i = 0; i < count; i++) {
    if (ts[i]! < newest) out++;
    else newest = ts[i]!;
  }
  return out;
}
