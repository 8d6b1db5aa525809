// Wires the chosen source (csv, synthetic, twelvedata) into the FetchBars function runIngest calls.
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { PtConfig } from '../../config/schemas/index.js';
import { PtError } from '../../core/ptError.js';
import { isoUtc, timeframeMs, type Timeframe } from '../../core/time.js';
import type { IngestSource } from '../../data/job/runIngestJob.js';
import { SyntheticProvider } from '../../adapters/synthetic/index.js';
import {
  readCsvBatch,
  listCsvFiles,
  inferSymbolFromFileName,
  inferTimeframeFromFileName,
  describeFileNameTimeframe,
  timeframeToken,
  type DroppedOpenBar,
} from '../../adapters/csv/index.js';
import {
  createTwelveDataProvider,
  resolveApiKey,
  twelveDataSettings,
  type RetryNotice,
} from '../../adapters/twelvedata/index.js';
import { failoverFromConfig, type FailoverProvider } from '../../data/resilience/failoverProvider.js';
import { metrics } from '../../observability/metrics.js';
import { clockMarketOf, nyMinuteOf, weeklyOpenNyMin } from '../../data/clock/marketClockEvents.js';
import { marketHoursShift } from '../../data/clock/marketHoursShift.js';

export type SourceSetup = IngestSource;

/** `EURUSD240.csv (4h)`, `EURUSD1440.csv (daily)` */
function named(file: string): string {
  return `${basename(file)} (${describeFileNameTimeframe(basename(file)) ?? 'no timeframe in the name'})`;
}

/** A name that names a timeframe other than --timeframe: MT4 `EURUSD1440` (daily) or `XAUUSD_H4` when 1h is asked. */
function namesOtherTimeframe(file: string, timeframe: Timeframe): boolean {
  return timeframeToken(basename(file)) !== null && inferTimeframeFromFileName(basename(file)) !== timeframe;
}

function wrongTimeframe(file: string, timeframe: Timeframe): PtError {
  const said = describeFileNameTimeframe(basename(file));
  const known = inferTimeframeFromFileName(basename(file));
  return new PtError(
    'CORE_CLI_USAGE',
    known
      ? `${basename(file)}: the file name says ${known} but --timeframe is ${timeframe}; pass --timeframe ${known}, or the ${timeframe} file`
      : `${basename(file)}: the file name says ${said}, a timeframe pt does not use (15m, 1h, 4h); pass the broker's ${timeframe} file`,
    { exitCode: 2, details: { path: file } },
  );
}

/**
 * Picks, for each symbol, the file whose name gives it (XAUUSDh1.csv.gz, XAUUSD_H4.csv.gz, MT4's
 * EURUSD60.csv). A name that names a timeframe must name --timeframe: in a folder other files are
 * passed over, a single file is refused.
 */
function csvFilesBySymbol(path: string, timeframe: Timeframe, wanted: string[]): Map<string, string> {
  if (!existsSync(path)) throw new PtError('DATA_INPUT_MISSING', `--path ${path} does not exist`, { exitCode: 2 });
  const isDir = statSync(path).isDirectory();
  if (!isDir && namesOtherTimeframe(path, timeframe)) throw wrongTimeframe(path, timeframe);
  const files = isDir ? listCsvFiles(path) : [path];
  const single = files.length === 1;
  const bySymbol = new Map<string, string[]>();
  const otherTimeframe = new Map<string, string[]>();
  for (const f of files) {
    const sym = single && wanted.length === 1 ? wanted[0]! : inferSymbolFromFileName(basename(f));
    if (!sym) continue;
    const into = namesOtherTimeframe(f, timeframe) ? otherTimeframe : bySymbol;
    into.set(sym, [...(into.get(sym) ?? []), f]);
  }
  const out = new Map<string, string>();
  const symbols = wanted.length > 0 ? wanted : [...bySymbol.keys()].sort();
  for (const sym of symbols) {
    const candidates = bySymbol.get(sym) ?? [];
    const matching = candidates.filter((f) => inferTimeframeFromFileName(basename(f)) === timeframe);
    const pick = candidates.length === 1 ? candidates[0] : matching.length === 1 ? matching[0] : undefined;
    if (!pick) {
      const others = otherTimeframe.get(sym) ?? [];
      throw new PtError(
        'DATA_INPUT_MISSING',
        candidates.length === 0 && others.length > 0
          ? `no ${timeframe} file for ${sym} in ${path}, only ${others.map(named).join(', ')} (pt's timeframes are 15m, 1h, 4h; MT4 names are SYMBOL15, SYMBOL60, SYMBOL240)`
          : candidates.length === 0
            ? `no CSV file for ${sym} in ${path} (name files like ${sym}h1.csv or MT4's ${sym}60.csv, or pass one file with --symbols ${sym})`
            : `several CSV files for ${sym} in ${path} and none clearly ${timeframe}: ${candidates.map((c) => basename(c)).join(', ')}`,
        { exitCode: 2 },
      );
    }
    out.set(sym, pick);
  }
  if (out.size === 0)
    throw new PtError(
      'DATA_INPUT_MISSING',
      otherTimeframe.size > 0
        ? `no ${timeframe} CSV file in ${path}: ${[...otherTimeframe.values()].flat().map(named).join(', ')}`
        : `no CSV file with a recognisable symbol in ${path}; pass --symbols`,
      { exitCode: 2 },
    );
  return out;
}

export interface SourceOptions {
  source: string;
  symbols: string[];
  timeframe: Timeframe;
  path?: string;
  /** csv: --tz as given; undefined lets the reader decide by layout (UTC, or an error for MetaTrader files). */
  tz?: string;
  priceScale?: number;
  /** csv: drop offsets written in the timestamps and read their wall times in --tz. */
  ignoreOffsets?: boolean;
  /** csv: move MT4's hh:05-style rows down onto the grid. */
  snap?: boolean;
  /** csv: always drop the newest bar of each file. */
  dropLast?: boolean;
  seed?: number;
  now: () => number;
  /** A warning line for the user (stderr), e.g. rows at a local time the zone skips. */
  warn?: (line: string) => void;
}

/** `twelvedata XAUUSD: attempt 2/6 failed (HTTP 503 — …); retrying in 2 s` */
function retryLine(n: RetryNotice): string {
  const wait = n.delayMs < 1000 ? `${n.delayMs} ms` : `${Number((n.delayMs / 1000).toFixed(1))} s`;
  return `twelvedata ${n.symbol}: attempt ${n.attempt}/${n.attempts} failed (${n.reason}); retrying in ${wait}`;
}

/** A bar dropped as still forming: its close and the export time it was compared with. */
function formingLine(symbol: string, path: string, open: DroppedOpenBar, timeframe: Timeframe): string {
  const closes = isoUtc(open.tsUtc + timeframeMs(timeframe));
  const why =
    open.reason === 'forced'
      ? '--drop-last'
      : open.reason === 'unterminated'
        ? 'the last line is cut off'
        : `it closes at ${closes}, after the file was written (${isoUtc(Math.floor(open.exportTimeMs!))}, its modification time)`;
  return `${symbol}: newest bar ${isoUtc(open.tsUtc)} of ${basename(path)} dropped as still forming (${why})`;
}

/** Rows at a wall time the zone skips (spring forward) were shifted: most often --tz is not the file's clock. */
function spring(symbol: string, path: string, count: number, tz: string): string {
  return (
    `warning: ${symbol}: ${count} row${count === 1 ? '' : 's'} of ${basename(path)} at a local time that does not exist in ${tz} ` +
    `(spring-forward gap) ${count === 1 ? 'was' : 'were'} moved forward by the gap and may replace the next row; ` +
    `check --tz ${tz}: a clock on a fixed offset is e.g. --tz Etc/GMT-2, not EET`
  );
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Weeks whose bars sit whole hours away from the market's hours: most often the wrong --tz (EET for
 * a NY+7 file: 1 h in the US-only DST weeks; UTC for an EET file: 2–3 h in every week).
 */
function marketHoursWarning(symbol: string, path: string, tz: string, ts: Float64Array, count: number, tf: Timeframe) {
  const market = clockMarketOf(symbol);
  const tfMs = timeframeMs(tf);
  const shift = marketHoursShift(ts, count, tfMs, market);
  if (!shift.first) return undefined;
  const { kind, ts: at } = shift.first;
  const when = `${new Date(at).toISOString().slice(0, 16)}Z`;
  const ny = hhmm(nyMinuteOf(kind === 'lateClose' || kind === 'earlyClose' ? at + tfMs : at));
  const example =
    kind === 'earlyOpen' || kind === 'lateOpen'
      ? `the week's first bar ${when} opens ${ny} New York, not ${hhmm(weeklyOpenNyMin(market))}`
      : kind === 'lateClose' || kind === 'earlyClose'
        ? `the week's last bar ${when} ends ${ny} New York, not 17:00`
        : `the daily break starts ${when} = ${ny} New York, not 17:00`;
  const { minShift: lo, maxShift: hi } = shift;
  const size = (a: number, b: number) => (a === b ? `${a} h` : `${a}–${b} h`);
  const [how, ahead] =
    lo > 0
      ? [`${size(lo, hi)} later than`, `${size(lo, hi)} ahead of`]
      : hi < 0
        ? [`${size(-hi, -lo)} earlier than`, `${size(-hi, -lo)} behind`]
        : [`whole hours away from`, 'off'];
  return (
    `warning: ${symbol}: read with --tz ${tz}, ${basename(path)} has bars ${how} the market's hours in ` +
    `${shift.shiftedWeeks} of ${shift.weeks} weeks (first: ${example}): the file's clock is probably ${ahead} --tz ${tz}; ` +
    `check it with pt ingest --detect-clock --source csv --path ${path} --timeframe ${tf}`
  );
}

export function setupSource(config: PtConfig, o: SourceOptions): SourceSetup {
  const lookbackFrom = () => {
    const d = new Date(o.now());
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - config.pipeline_policy.history_lookback_months, 1);
  };
  switch (o.source) {
    case 'synthetic': {
      if (o.symbols.length === 0)
        throw new PtError('CORE_CLI_USAGE', '--symbols is required for the synthetic source (e.g. SYNA,SYNB)', {
          exitCode: 2,
        });
      const seed = o.seed ?? config.retrain_policy.seed;
      return {
        symbols: o.symbols,
        defaultFromMs: lookbackFrom(),
        runKey: `seed=${seed}`,
        fetchBars: async (symbol, tf, from, to, runId) => ({
          bars: await new SyntheticProvider({ seed, ingestRunId: runId, now: o.now }).fetchTimeSeries(
            symbol,
            tf,
            from,
            to,
          ),
        }),
      };
    }
    case 'csv': {
      if (!o.path)
        throw new PtError('CORE_CLI_USAGE', '--path is required for the csv source (a file or a folder)', {
          exitCode: 2,
        });
      const files = csvFilesBySymbol(o.path, o.timeframe, o.symbols);
      return {
        symbols: [...files.keys()],
        defaultFromMs: 0,
        runKey:
          [...files.values()].map((f) => `${basename(f)}:${statSync(f).size}`).join(',') +
          `|tz=${o.tz ?? 'UTC'}${o.ignoreOffsets ? '|ignore-offsets' : ''}|scale=${o.priceScale ?? 1}${o.snap ? '|snap' : ''}${o.dropLast ? '|drop-last' : ''}`,
        fetchBars: async (symbol, tf, from, to, runId) => {
          const r = await readCsvBatch(files.get(symbol)!, {
            symbol,
            timeframe: tf,
            tz: o.tz,
            ignoreOffsets: o.ignoreOffsets,
            priceScale: o.priceScale,
            ingestRunId: runId,
            fromMs: from,
            toMs: to,
            snap: o.snap,
            lastBar: o.dropLast ? 'drop' : 'auto',
          });
          const { lines: _lines, parsed: _parsed, ...counted } = r.stats;
          if (counted.skippedHourShifted > 0)
            o.warn?.(spring(symbol, files.get(symbol)!, counted.skippedHourShifted, o.tz ?? 'UTC'));
          const shifted = marketHoursWarning(symbol, files.get(symbol)!, o.tz ?? 'UTC', r.batch.ts, r.batch.length, tf);
          if (shifted) o.warn?.(shifted);
          if (counted.snapped > 0)
            o.warn?.(
              `${symbol}: ${counted.snapped} row${counted.snapped === 1 ? '' : 's'} of ${basename(files.get(symbol)!)} 1–5 minutes after the ${tf} grid moved down onto it (--snap)`,
            );
          if (r.droppedOpenBar) o.warn?.(formingLine(symbol, files.get(symbol)!, r.droppedOpenBar, tf));
          return { bars: r.batch, stats: counted };
        },
      };
    }
    case 'twelvedata': {
      if (o.symbols.length === 0)
        throw new PtError('CORE_CLI_USAGE', '--symbols is required for the twelvedata source', { exitCode: 2 });
      // At start-up, once: without the key every symbol would fail alike (SPEC §10).
      resolveApiKey(twelveDataSettings(config));
      // Network sources only: failover by priority with a circuit breaker per source x timeframe.
      let provider: FailoverProvider | undefined;
      // Bars the provider dropped (bad OHLC, weekly close, holidays), per symbol, printed as source counts.
      const dropped = new Map<string, Record<string, number>>();
      return {
        symbols: o.symbols,
        defaultFromMs: lookbackFrom(),
        runKey: 'twelvedata',
        fetchBars: async (symbol, tf, from, to, runId) => {
          provider ??= failoverFromConfig(
            config,
            [
              createTwelveDataProvider(config, {
                now: o.now,
                ingestRunId: runId,
                onRetry: (n) => o.warn?.(retryLine(n)),
                onDropped: ({ symbol: s, timeframe: _tf, ...counts }) => dropped.set(s, counts),
              }),
            ],
            { now: o.now, metrics },
          );
          dropped.delete(symbol);
          const bars = await provider.fetchTimeSeries(symbol, tf, from, to);
          return { bars, stats: dropped.get(symbol) ?? {} };
        },
      };
    }
    default:
      throw new PtError('CORE_CLI_USAGE', `unknown --source "${o.source}" (expected twelvedata, csv or synthetic)`, {
        exitCode: 2,
      });
  }
}
