// Turns parsed rows into canonical bars: DQ drops, sort, latest-line-wins dedupe, spacing check.
import { basename } from 'node:path';
import { timeframeMs } from '../../core/time.js';
import type { CanonicalBar } from '../../model/bar.js';
import { assertCanonicalBars } from '../../model/barSchema.js';
import { barChecksum } from '../../model/barChecksum.js';
import { csvParseError } from './csvParseError.js';
import type { CsvReadResult } from './csvTypes.js';
import type { ParsedRows } from './parseCsvText.js';
import type { ResolvedCsvOptions } from './resolveCsvOptions.js';

export const CSV_SOURCE_ID = 'csv';
export const CSV_PROVIDER_VERSION = 'csv-1';

/** The smallest number of spacings for which a median says something about the timeframe. */
const MIN_SPACINGS = 3;

function formatSpan(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

export function buildCsvBars(rows: ParsedRows, path: string, options: ResolvedCsvOptions): CsvReadResult {
  const { ts, open, high, low, close, volume, line } = rows;
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
  };

  // A volume column that is 0 on every row (HistData, MT5 <VOL> of FX) carries no information.
  let anyVolume = false;
  for (let i = 0; i < count; i++) {
    if (volume[i]! > 0) {
      anyVolume = true;
      break;
    }
  }

  // SPEC §1.4: zero/negative prices and inconsistent high/low are dropped, not errors.
  let order = new Int32Array(count);
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const o = open[i]!,
      h = high[i]!,
      l = low[i]!,
      c = close[i]!;
    if (o > 0 && h > 0 && l > 0 && c > 0 && h >= o && h >= c && l <= o && l <= c) order[kept++] = i;
    else stats.droppedInvalid++;
  }
  order = order.subarray(0, kept);

  // Rows are in file order, so sorting by (ts, row) keeps the later line last among equal times.
  if (rows.outOfOrder > 0) order.sort((x, y) => ts[x]! - ts[y]! || x - y);
  let unique = 0;
  for (let k = 0; k < kept; k++) {
    const i = order[k]!;
    if (k + 1 < kept && ts[order[k + 1]!] === ts[i]) {
      stats.duplicates++;
      continue;
    }
    order[unique++] = i;
  }
  order = order.subarray(0, unique);

  if (unique > 0) {
    const newest = order[unique - 1]!;
    const unfinishedLastLine = !rows.terminated && newest === count - 1;
    if (options.lastBar === 'drop' || (options.lastBar === 'auto' && unfinishedLastLine)) {
      order = order.subarray(0, unique - 1);
      stats.droppedOpenBar = 1;
    }
  }

  checkSpacing(order, ts, path, options);

  const symbolSource = basename(path);
  const bars: CanonicalBar[] = [];
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const t = ts[i]!;
    if (t < options.fromMs || t >= options.toMs) {
      stats.outsideRange++;
      continue;
    }
    const v = anyVolume && !Number.isNaN(volume[i]!) ? volume[i]! : null;
    const o = open[i]!,
      h = high[i]!,
      l = low[i]!,
      c = close[i]!;
    bars.push({
      ts_utc: t,
      symbol: options.symbol,
      timeframe: options.timeframe,
      open: o,
      high: h,
      low: l,
      close: c,
      volume: v,
      quality_flag: 'ok',
      source_id: CSV_SOURCE_ID,
      ingest_run_id: options.ingestRunId,
      metadata: {
        symbol_source: symbolSource,
        ingest_seq: line[i]!,
        checksum: barChecksum(t, o, h, l, c, v),
        provider_version: CSV_PROVIDER_VERSION,
      },
    });
  }
  assertCanonicalBars(bars, symbolSource);
  return { bars, stats, format: rows.format };
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
