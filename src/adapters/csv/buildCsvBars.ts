// Turns parsed rows into canonical bars: DQ drops, sort, latest-line-wins dedupe, spacing check.
import { basename } from 'node:path';
import { PtError } from '../../core/ptError.js';
import { timeframeMs } from '../../core/time.js';
import type { CanonicalBar } from '../../model/bar.js';
import { assertCanonicalBars } from '../../model/barSchema.js';
import { CsvBarBatch } from './csvBarBatch.js';
import { checkCsvGrid } from './checkCsvGrid.js';
import { csvParseError } from './csvParseError.js';
import type { CsvBatchResult, CsvReadResult, DroppedOpenBar } from './csvTypes.js';
import type { ParsedRows } from './parseCsvText.js';
import type { ResolvedCsvOptions } from './resolveCsvOptions.js';

export { CSV_SOURCE_ID, CSV_PROVIDER_VERSION } from './csvBarBatch.js';

const SYMBOL_RE = /^[A-Z0-9]+$/;

/** The smallest number of spacings for which a median says something about the timeframe. */
const MIN_SPACINGS = 3;

function formatSpan(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

/** Moves every row down onto its timeframe's grid; returns how many moved. */
function floorToGrid(rows: ParsedRows, timeframe: ResolvedCsvOptions['timeframe']): number {
  const step = timeframeMs(timeframe);
  let moved = 0;
  for (let i = 0; i < rows.count; i++) {
    const off = ((rows.ts[i]! % step) + step) % step;
    if (off === 0) continue;
    rows.ts[i] = rows.ts[i]! - off;
    moved++;
  }
  // Flooring keeps the rows' order, so the out-of-order count stands.
  return moved;
}

/** The bars of a file as objects (the provider's form). */
export function buildCsvBars(rows: ParsedRows, path: string, options: ResolvedCsvOptions): CsvReadResult {
  const { batch, stats, format, droppedOpenBar } = buildCsvBatch(rows, path, options);
  const bars: CanonicalBar[] = new Array<CanonicalBar>(batch.length);
  for (let i = 0; i < batch.length; i++) bars[i] = batch.bar(i);
  const result: CsvReadResult = droppedOpenBar ? { bars, stats, format, droppedOpenBar } : { bars, stats, format };
  if (rows.offset) result.writtenOffsets = { count: rows.count, wall: rows.wall, offset: rows.offset };
  return result;
}

/** The bars of a file as columns (the ingest path's form), checked against the canonical schema. */
export function buildCsvBatch(
  rows: ParsedRows,
  path: string,
  options: ResolvedCsvOptions,
): CsvBatchResult & { batch: CsvBarBatch } {
  const { ts, volume } = rows;
  const count = rows.count;
  const stats = {
    lines: rows.lines,
    parsed: count,
    droppedInvalid: 0,
    duplicates: 0,
    outOfOrder: rows.outOfOrder,
    skippedHourShifted: rows.skippedHourShifted,
    droppedOpenBar: 0,
    outsideRange: 0,
    snapped: 0,
  };

  // Every stored bar opens on the timeframe's UTC grid: off-grid rows are refused or, with snap, moved.
  // A wall-clock read (clock detection) looks only at times: each row goes down onto the grid of its
  // own wall time, so MT4's hh:05 stamps need no --snap there.
  stats.snapped =
    options.clockMode === 'wall'
      ? floorToGrid(rows, options.timeframe)
      : checkCsvGrid(rows, path, options.timeframe, options.snap);

  // A volume column that is 0 on every row (HistData, MT5 <VOL> of FX) carries no information.
  const anyVolume = hasVolume(volume, count);

  // SPEC §1.4: zero/negative prices and inconsistent high/low are dropped, not errors; a file with no
  // valid row at all is one (it stored nothing and said nothing before).
  const invalid = { nonPositive: 0, firstNonPositive: 0, inconsistent: 0, firstInconsistent: 0 };
  let order = validRows(rows, stats, invalid);
  if (order.length === 0) throw allRowsInvalid(path, count, invalid);

  // Rows are in file order, so sorting by (ts, row) keeps the later line last among equal times.
  if (rows.outOfOrder > 0) order.sort((x, y) => ts[x]! - ts[y]! || x - y);
  order = lastOfEachTime(order, ts, stats);
  const unique = order.length;

  let droppedOpenBar: DroppedOpenBar | undefined;
  if (unique > 0) {
    droppedOpenBar = formingLastBar(rows, order[unique - 1]!, options);
    if (droppedOpenBar) {
      order = order.subarray(0, unique - 1);
      stats.droppedOpenBar = 1;
    }
  }

  checkSpacing(order, ts, path, options);

  const n = order.length;
  const cols = Array.from({ length: 7 }, () => new Float64Array(n));
  const [tsOut, openOut, highOut, lowOut, closeOut, volumeOut, seqOut] = cols as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const m = copyRowsInRange(rows, order, options, anyVolume, cols);
  stats.outsideRange = n - m;
  const symbolSource = basename(path);
  const batch = new CsvBarBatch(
    options.symbol,
    options.timeframe,
    tsOut.subarray(0, m),
    openOut.subarray(0, m),
    highOut.subarray(0, m),
    lowOut.subarray(0, m),
    closeOut.subarray(0, m),
    volumeOut.subarray(0, m),
    seqOut.subarray(0, m),
    options.ingestRunId,
    symbolSource,
  );
  if (!surelyCanonical(batch)) {
    // Some bar may break the schema (a date before 1970, say): the schema itself decides, and names it.
    const bars: CanonicalBar[] = [];
    for (let i = 0; i < batch.length; i++) bars.push(batch.bar(i));
    assertCanonicalBars(bars, symbolSource);
  }
  return droppedOpenBar ? { batch, stats, format: rows.format, droppedOpenBar } : { batch, stats, format: rows.format };
}

/**
 * Whether the newest row is a bar still forming when the file was written: `drop` says so always,
 * `keep` never; `auto` when the file's last line is cut off (no terminator) or when the bar closes
 * (`ts + timeframe`) after the export time. The export time wins over a terminated last line,
 * because MT5 ends every line, the last one included, with a terminator.
 */
function formingLastBar(rows: ParsedRows, newest: number, options: ResolvedCsvOptions): DroppedOpenBar | undefined {
  const tsUtc = rows.ts[newest]!;
  const exportTimeMs = options.exportTimeMs;
  const known = exportTimeMs === undefined ? {} : { exportTimeMs };
  if (options.lastBar === 'keep') return undefined;
  if (options.lastBar === 'drop') return { tsUtc, reason: 'forced', ...known };
  if (!rows.terminated && newest === rows.count - 1) return { tsUtc, reason: 'unterminated', ...known };
  if (exportTimeMs !== undefined && tsUtc + timeframeMs(options.timeframe) > exportTimeMs)
    return { tsUtc, reason: 'export-time', exportTimeMs };
  return undefined;
}

// The loops of buildCsvBatch, each a function of its own: small functions are optimised once.

function hasVolume(volume: Float64Array, count: number): boolean {
  for (let i = 0; i < count; i++) if (volume[i]! > 0) return true;
  return false;
}

interface InvalidTally {
  nonPositive: number;
  firstNonPositive: number;
  inconsistent: number;
  firstInconsistent: number;
}

/** Indexes of the rows with positive, consistent prices, in file order; the others are counted by reason. */
function validRows(rows: ParsedRows, stats: { droppedInvalid: number }, tally: InvalidTally): Int32Array {
  const { open, high, low, close, count, line } = rows;
  const order = new Int32Array(count);
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const o = open[i]!,
      h = high[i]!,
      l = low[i]!,
      c = close[i]!;
    if (o > 0 && h > 0 && l > 0 && c > 0 && h >= o && h >= c && l <= o && l <= c) {
      order[kept++] = i;
      continue;
    }
    stats.droppedInvalid++;
    if (!(o > 0 && h > 0 && l > 0 && c > 0)) {
      if (tally.nonPositive++ === 0) tally.firstNonPositive = line[i]!;
    } else if (tally.inconsistent++ === 0) tally.firstInconsistent = line[i]!;
  }
  return order.subarray(0, kept);
}

/** DATA_INPUT_INVALID for a file none of whose rows is a valid bar, with the reasons and their counts. */
function allRowsInvalid(path: string, count: number, t: InvalidTally): PtError {
  const reasons = [
    t.nonPositive > 0 ? `${t.nonPositive} with a zero or negative price (first line ${t.firstNonPositive})` : '',
    t.inconsistent > 0
      ? `${t.inconsistent} with high/low not enclosing open and close (first line ${t.firstInconsistent})`
      : '',
  ].filter(Boolean);
  return new PtError(
    'DATA_INPUT_INVALID',
    `${basename(path)}: all ${count} row${count === 1 ? ' is' : 's are'} invalid: ${reasons.join(', ')}; nothing to store`,
    { source: 'csv', details: { path, rows: count, ...t } },
  );
}

/** Of rows sorted by (ts, row), the last of each time; the others are counted as duplicates. */
function lastOfEachTime(order: Int32Array, ts: Float64Array, stats: { duplicates: number }): Int32Array {
  const kept = order.length;
  let unique = 0;
  for (let k = 0; k < kept; k++) {
    const i = order[k]!;
    if (k + 1 < kept && ts[order[k + 1]!] === ts[i]) {
      stats.duplicates++;
      continue;
    }
    order[unique++] = i;
  }
  return order.subarray(0, unique);
}

/** Copies the rows of `order` inside [fromMs, toMs) into `out` (ts, open, high, low, close, volume, line); returns how many. */
function copyRowsInRange(
  rows: ParsedRows,
  order: Int32Array,
  options: ResolvedCsvOptions,
  anyVolume: boolean,
  out: Float64Array[],
): number {
  const { ts, open, high, low, close, volume, line } = rows;
  const [tsOut, openOut, highOut, lowOut, closeOut, volumeOut, seqOut] = out as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  let m = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const t = ts[i]!;
    if (t < options.fromMs || t >= options.toMs) continue;
    tsOut[m] = t;
    openOut[m] = open[i]!;
    highOut[m] = high[i]!;
    lowOut[m] = low[i]!;
    closeOut[m] = close[i]!;
    volumeOut[m] = anyVolume ? volume[i]! : NaN;
    seqOut[m] = line[i]!;
    m++;
  }
  return m;
}

/**
 * True when every bar certainly passes the canonical schema: a stricter test than the schema's, read
 * from the columns (the bars' other fields are fixed by the reader's checked options), so that the
 * schema runs on bar objects only when something may be wrong.
 */
function surelyCanonical(b: CsvBarBatch): boolean {
  if (!SYMBOL_RE.test(b.symbol) || b.ingestRunId().length === 0) return false;
  for (let i = 0; i < b.length; i++) {
    const t = b.ts[i]!,
      o = b.open[i]!,
      h = b.high[i]!,
      l = b.low[i]!,
      c = b.close[i]!,
      v = b.volume[i]!;
    if (!(Number.isSafeInteger(t) && t >= 0)) return false;
    if (!(o > 0 && h > 0 && l > 0 && c > 0 && Number.isFinite(o + h + l + c))) return false;
    if (!(h >= o && h >= c && l <= o && l <= c)) return false;
    if (!Number.isNaN(v) && !(v >= 0 && Number.isFinite(v))) return false;
  }
  return true;
}

/** A wrong --timeframe shows as a median bar spacing other than the timeframe (gaps do not move the median). */
function checkSpacing(order: Int32Array, ts: Float64Array, path: string, options: ResolvedCsvOptions): void {
  if (order.length <= MIN_SPACINGS) return;
  const spacings = new Float64Array(order.length - 1);
  for (let k = 1; k < order.length; k++) spacings[k - 1] = ts[order[k]!]! - ts[order[k - 1]!]!;
  spacings.sort();
  const median = spacings[spacings.length >> 1]!;
  const expected = timeframeMs(options.timeframe);
  if (median !== expected) {
    throw csvParseError(
      path,
      null,
      `bars are ${formatSpan(median)} apart (median) but the timeframe given is ${options.timeframe}; check --timeframe`,
    );
  }
}
