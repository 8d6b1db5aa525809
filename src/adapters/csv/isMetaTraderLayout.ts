// MetaTrader exports carry the broker's server clock, which is rarely UTC: such a file needs --tz.
import { basename } from 'node:path';
import { PtError } from '../../core/ptError.js';
import type { CsvLayout } from './detectCsvLayout.js';

/** `2024.03.11` at the start of a date field: the date form MetaTrader writes. */
const DOTTED_DATE = /^"?\d{4}\.\d{2}\.\d{2}/;

/**
 * True for an MT5 "Export Bars" file (`<DATE>` headers), an MT4 file with or without a header
 * (`2009.12.21,00:00,…`, `Date,Time,…` over dotted dates), the MQL `FileWrite` form, and an MT5
 * Python export (`time,…,tick_volume,spread,real_volume`).
 */
export function isMetaTraderLayout(layout: CsvLayout, firstLine: string, secondLine: string | null): boolean {
  if (layout.kind === 'mt5') return true;
  const header = layout.hasHeader ? firstLine.toLowerCase() : '';
  // MT5 Python's copy_rates columns; `tick_volume` alone is common elsewhere.
  if (header.includes('real_volume') || (header.includes('tick_volume') && header.includes('spread'))) return true;
  const dataLine = layout.hasHeader ? secondLine : firstLine;
  if (dataLine === null) return false;
  const field = dataLine.split(String.fromCharCode(layout.separator))[layout.dateTime] ?? '';
  return DOTTED_DATE.test(field.trim());
}

/**
 * The MetaTrader layout as users know it, for messages (the stats keep `layoutName`'s `mt5:tab`,
 * `histdata:comma` …): an MT5 "Export Bars" file, an MT5 Python export, an MT4 history export
 * (`2009.12.21,00:00,…`), an MQL FileWrite export (`2009.12.21 00:00,…`), an MT4 export with a header.
 */
export function metaTraderLayoutLabel(layout: CsvLayout, firstLine: string): string {
  if (layout.kind === 'mt5') return 'an MT5 "Export Bars" file';
  const header = layout.hasHeader ? firstLine.toLowerCase() : '';
  if (header.includes('real_volume') || (header.includes('tick_volume') && header.includes('spread')))
    return 'an MT5 Python export';
  if (layout.hasHeader) return 'an MT4 export with a header';
  return layout.time >= 0 ? 'an MT4 history export' : 'an MQL FileWrite export';
}

/** The error for a MetaTrader file read without --tz. */
export function metaTraderClockMissing(path: string, layoutLabel: string, timeframe: string): PtError {
  return new PtError(
    'CORE_CLI_USAGE',
    `${basename(path)}: ${layoutLabel} (MetaTrader) is on the broker's server clock, so --tz is required: ` +
      `run pt ingest --detect-clock --source csv --path ${path} --timeframe ${timeframe} to find it, then pass e.g. --tz EET or --tz NY+7`,
    { source: 'csv', exitCode: 2, details: { path } },
  );
}
