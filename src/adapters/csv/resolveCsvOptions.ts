// Checks the reader's options once, before any line is read, so mistakes surface as usage errors.
import { PtError } from '../../core/ptError.js';
import { isTimeframe, type Timeframe } from '../../core/time.js';
import type { CsvReadOptions, LastBarPolicy } from './csvTypes.js';
import { ZoneClock } from '../../core/zoneClock.js';

/**
 * `given`: --tz names the clock, and an offset written in the file must agree with it; `default`:
 * no --tz (UTC, written offsets used); `file`: every timestamp must carry its offset; `wall`: wall
 * times as written (CsvReadOptions.wallClock).
 */
export type ClockMode = 'given' | 'default' | 'file' | 'wall';

export interface ResolvedCsvOptions {
  symbol: string;
  timeframe: Timeframe;
  clock: ZoneClock;
  clockMode: ClockMode;
  /** 1 means prices are used as written. */
  priceScale: number;
  ingestRunId: string;
  fromMs: number;
  toMs: number;
  lastBar: LastBarPolicy;
  exportTimeMs?: number;
  snap: boolean;
  /** Written offsets dropped, wall times read in `clock` (only with clockMode `given`). */
  ignoreOffsets: boolean;
}

function usage(message: string): PtError {
  return new PtError('CORE_CLI_USAGE', message, { source: 'csv', exitCode: 2 });
}

/** `XAU/USD`, `xauusd` → `XAUUSD` (the canonical symbol has no separators). */
export function normaliseSymbol(symbol: string): string {
  return symbol.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export function resolveCsvOptions(options: CsvReadOptions): ResolvedCsvOptions {
  const symbol = normaliseSymbol(options.symbol ?? '');
  if (!symbol) throw usage(`invalid symbol "${options.symbol}"`);
  if (!isTimeframe(options.timeframe))
    throw usage(`invalid timeframe "${String(options.timeframe)}" (expected 15m, 1h or 4h)`);
  const priceScale = options.priceScale ?? 1;
  const decimals = Math.log10(priceScale);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 12)
    throw usage(`invalid price scale ${priceScale} (expected a power of ten such as 100 or 100000)`);
  if (!options.ingestRunId) throw usage('an ingest run id is required');
  const lastBar = options.lastBar ?? 'auto';
  if (lastBar !== 'auto' && lastBar !== 'keep' && lastBar !== 'drop')
    throw usage(`invalid last-bar policy "${String(lastBar)}" (expected auto, keep or drop)`);
  const tz = options.tz;
  const clockMode: ClockMode = options.wallClock
    ? 'wall'
    : tz === undefined
      ? 'default'
      : tz.toLowerCase() === 'file'
        ? 'file'
        : 'given';
  if (options.ignoreOffsets && clockMode !== 'given' && clockMode !== 'wall')
    throw usage('ignoring written offsets needs the clock to read the wall times in: pass a --tz zone, not file');
  return {
    symbol,
    timeframe: options.timeframe,
    clock: ZoneClock.of(clockMode === 'given' ? tz! : 'UTC'),
    clockMode,
    priceScale,
    ingestRunId: options.ingestRunId,
    fromMs: options.fromMs ?? -Infinity,
    toMs: options.toMs ?? Infinity,
    lastBar,
    exportTimeMs: options.exportTimeMs,
    snap: options.snap === true,
    ignoreOffsets: options.ignoreOffsets === true && clockMode === 'given',
  };
}
