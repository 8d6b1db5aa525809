// LegBarFeed over a folder where an MT5 script or a person drops bar files (SPEC §8, `pt live --watch DIR`).
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { PtError } from '../../core/ptError.js';
import { timeframeMs, type Timeframe } from '../../core/time.js';
import type { LegBar, LegBarFeed, LegBarFeedLog } from '../../ports/legBarFeed.js';
import { CSV_SOURCE_ID } from './buildCsvBars.js';
import type { CsvReadOptions } from './csvTypes.js';
import {
  describeFileNameTimeframe,
  inferSymbolFromFileName,
  inferTimeframeFromFileName,
  timeframeToken,
} from './inferSymbolFromFileName.js';
import { listCsvFilesAsync } from './listCsvFiles.js';
import { NO_BARS, readWatchedCsv, type WatchedBars } from './readWatchedCsv.js';
import { normaliseSymbol, resolveCsvOptions } from './resolveCsvOptions.js';

export interface WatchLegFeedOptions {
  dir: string;
  timeframe: Timeframe;
  /** The files' clock, as `pt ingest --tz`: a zone (`EET`), a shifted one (`NY+7`, `EET@-1`) or `file`. */
  tz?: string;
  /** As `pt ingest --ignore-offsets`. */
  ignoreOffsets?: boolean;
  /** As `pt ingest --snap`. */
  snap?: boolean;
  /** One scale for every file, or one per symbol (missing symbols: 1). */
  priceScale?: number | Record<string, number>;
  /** How often the folder is listed; default 1000. */
  pollMs?: number;
  /** The clock that says whether a bar has closed; default Date.now. */
  now?: () => number;
  log?: LegBarFeedLog;
}

/** Delivered bars whose re-written values are delivered again (`revised`); older rewrites are ignored. */
export const REVISION_WINDOW = 3;
/**
 * A file read less than this after its modification time is read again at the next poll even when
 * size and mtime stay: a same-size rewrite within one mtime tick (2 s on FAT, coarse on some shares)
 * would otherwise go unseen.
 */
const RACY_MS = 2000;

interface FileState {
  symbol: string;
  size: number;
  mtimeMs: number;
  /** Read again at the next poll whatever the stat says (racy mtime, or the read itself failed). */
  again: boolean;
  /** The last good read; kept while the file is unreadable, so a half-written file loses nothing. */
  bars: WatchedBars;
  /** The failure last logged, so one bad version of a file warns once. */
  failure: string;
}

interface Delivered {
  tsMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

interface SymbolState {
  /** Union of the symbol's files (a later file name wins on equal times); rebuilt when a file changes. */
  bars: WatchedBars;
  stale: boolean;
  lastTs: number;
  /** The last REVISION_WINDOW delivered bars, ascending. */
  recent: Delivered[];
}

export function createWatchLegFeed(options: WatchLegFeedOptions): LegBarFeed {
  const pollMs = options.pollMs ?? 1000;
  if (!(pollMs > 0))
    throw new PtError('CORE_CLI_USAGE', `invalid poll interval ${pollMs} ms`, { source: 'csv', exitCode: 2 });
  const now = options.now ?? Date.now;
  const log = options.log;
  const tfMs = timeframeMs(options.timeframe);
  const scaleOf = (symbol: string): number | undefined =>
    typeof options.priceScale === 'object' ? options.priceScale[symbol] : options.priceScale;
  const readOptions = (symbol: string): CsvReadOptions => ({
    symbol,
    timeframe: options.timeframe,
    tz: options.tz,
    ignoreOffsets: options.ignoreOffsets,
    snap: options.snap,
    priceScale: scaleOf(symbol),
    ingestRunId: CSV_SOURCE_ID,
  });
  // A bad --tz, scale or timeframe is a usage error now, not a warning on every file later.
  resolveCsvOptions(readOptions('CHECK'));
  if (typeof options.priceScale === 'object')
    for (const symbol of Object.keys(options.priceScale)) resolveCsvOptions(readOptions(symbol));

  const files = new Map<string, FileState>();
  const symbols = new Map<string, SymbolState>();
  /** Files passed over (other symbol, other timeframe), each logged once. */
  const ignored = new Set<string>();
  let fromMs = -Infinity;
  let onBar: (bar: LegBar) => void = () => {};
  let started = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let dirFailure = '';

  /** The file's symbol when it is one to read; otherwise logs, once, why it is passed over. */
  const wantedSymbol = (path: string): string | null => {
    const name = basename(path);
    const symbol = inferSymbolFromFileName(name);
    if (symbol === null || !symbols.has(symbol)) {
      if (!ignored.has(path)) {
        ignored.add(path);
        log?.info({
          event: 'watch_file_ignored',
          symbol: symbol ?? undefined,
          details: { file: name, reason: symbol === null ? 'no symbol in the name' : 'symbol not watched' },
        });
      }
      return null;
    }
    if (timeframeToken(name) !== null && inferTimeframeFromFileName(name) !== options.timeframe) {
      if (!ignored.has(path)) {
        ignored.add(path);
        log?.warn({
          event: 'watch_file_ignored',
          symbol,
          timeframe: options.timeframe,
          details: {
            file: name,
            reason: `the name says ${describeFileNameTimeframe(name)}, the feed is ${options.timeframe}`,
          },
        });
      }
      return null;
    }
    return symbol;
  };

  const forget = (path: string): void => {
    const state = files.get(path);
    if (!state) return;
    files.delete(path);
    symbols.get(state.symbol)!.stale = true;
  };

  /** Re-reads the file when it changed; a failed read warns once per version and keeps the bars read before. */
  const refresh = async (path: string, symbol: string): Promise<void> => {
    let size: number, mtimeMs: number;
    try {
      ({ size, mtimeMs } = await stat(path));
    } catch {
      forget(path); // gone between the listing and now
      return;
    }
    const known = files.get(path);
    if (known && !known.again && known.size === size && known.mtimeMs === mtimeMs) return;
    const state: FileState = known ?? { symbol, size, mtimeMs, again: false, bars: NO_BARS, failure: '' };
    files.set(path, state);
    state.size = size;
    state.mtimeMs = mtimeMs;
    state.again = Date.now() - mtimeMs < RACY_MS;
    try {
      state.bars = await readWatchedCsv(path, readOptions(symbol));
      state.failure = '';
      symbols.get(symbol)!.stale = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        forget(path);
        return;
      }
      // A parse error waits for the file to change; a locked or unreadable file is tried every poll.
      if (!(error instanceof PtError)) state.again = true;
      const message = error instanceof Error ? error.message : String(error);
      const failure = `${size}|${mtimeMs}|${message}`;
      if (failure === state.failure) return;
      state.failure = failure;
      log?.warn({
        event: 'watch_file_unreadable',
        symbol,
        timeframe: options.timeframe,
        details: {
          file: basename(path),
          error_id: error instanceof PtError ? error.id : 'DATA_INPUT_PARSE',
          message,
          kept_bars: state.bars.length,
        },
      });
    }
  };

  const emit = (bar: LegBar): void => {
    if (closed) return;
    try {
      onBar(bar);
    } catch (error) {
      // The consumer's failure is its own; the feed goes on with the next bar.
      log?.error({
        event: 'watch_onbar_failed',
        symbol: bar.symbol,
        details: { ts: new Date(bar.tsMs).toISOString(), message: (error as Error).message },
      });
    }
  };

  const deliver = (symbol: string, state: SymbolState): void => {
    if (state.stale) {
      const own = [...files].filter(([, f]) => f.symbol === symbol).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      state.bars = mergeBars(own.map(([, f]) => f.bars));
      state.stale = false;
    }
    const bars = state.bars;
    for (const seen of state.recent) {
      const i = indexOfTs(bars, seen.tsMs);
      if (i < 0) continue; // a rewrite in progress may not hold it yet
      if (
        bars.open[i] === seen.open &&
        bars.high[i] === seen.high &&
        bars.low[i] === seen.low &&
        bars.close[i] === seen.close
      )
        continue;
      Object.assign(seen, valuesAt(bars, i));
      emit({ symbol, ...seen, revised: true });
    }
    const closedBefore = now() - tfMs;
    for (let i = firstAbove(bars, Math.max(state.lastTs, fromMs - 1)); i < bars.length; i++) {
      if (bars.ts[i]! > closedBefore) break; // still open: held until its close has passed
      const values = valuesAt(bars, i);
      state.lastTs = values.tsMs;
      state.recent.push(values);
      if (state.recent.length > REVISION_WINDOW) state.recent.shift();
      emit({ symbol, ...values, revised: false });
    }
  };

  const scan = async (): Promise<void> => {
    let paths: string[];
    try {
      paths = await listCsvFilesAsync(options.dir);
      dirFailure = '';
    } catch (error) {
      // A share that went away degrades the feed (no bars), it does not end it.
      const message = (error as Error).message;
      if (message !== dirFailure) {
        dirFailure = message;
        log?.warn({
          event: 'watch_dir_unreadable',
          details: { dir: options.dir, error_id: error instanceof PtError ? error.id : undefined, message },
        });
      }
      return;
    }
    const listed = new Set(paths);
    for (const path of [...files.keys()]) if (!listed.has(path)) forget(path);
    for (const path of paths) {
      if (closed) return;
      const symbol = wantedSymbol(path);
      if (symbol !== null) await refresh(path, symbol);
    }
    for (const [symbol, state] of symbols) if (!closed) deliver(symbol, state);
  };

  const safeScan = async (): Promise<void> => {
    try {
      await scan();
    } catch (error) {
      log?.error({ event: 'watch_scan_failed', details: { dir: options.dir, message: (error as Error).message } });
    }
  };

  const schedule = (): void => {
    timer = setTimeout(() => {
      inFlight = safeScan().finally(() => {
        inFlight = undefined;
        if (!closed) schedule();
      });
    }, pollMs);
  };

  return {
    async start(wanted, from, callback) {
      if (started)
        throw new PtError('CORE_INTERNAL_BUG', 'the watched-folder feed was started twice', { source: 'csv' });
      started = true;
      const dirStat = await stat(options.dir).catch(() => null);
      if (!dirStat?.isDirectory())
        throw new PtError('DATA_INPUT_MISSING', `--watch ${options.dir} is not a folder`, {
          source: 'csv',
          exitCode: 2,
          details: { path: options.dir },
        });
      for (const symbol of wanted)
        symbols.set(normaliseSymbol(symbol), { bars: NO_BARS, stale: false, lastTs: -Infinity, recent: [] });
      fromMs = from;
      onBar = callback;
      inFlight = safeScan();
      await inFlight;
      inFlight = undefined;
      if (!closed) schedule();
    },

    async close() {
      closed = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}

function valuesAt(bars: WatchedBars, i: number): Delivered {
  return { tsMs: bars.ts[i]!, open: bars.open[i]!, high: bars.high[i]!, low: bars.low[i]!, close: bars.close[i]! };
}

/** Index of the first bar opening after `ts` (bars ascending). */
function firstAbove(bars: WatchedBars, ts: number): number {
  let lo = 0,
    hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bars.ts[mid]! > ts) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function indexOfTs(bars: WatchedBars, ts: number): number {
  const i = firstAbove(bars, ts) - 1;
  return i >= 0 && bars.ts[i] === ts ? i : -1;
}

/** One symbol's bars from several files; on equal times the later file (by name) wins. */
function mergeBars(parts: WatchedBars[]): WatchedBars {
  const filled = parts.filter((p) => p.length > 0);
  if (filled.length <= 1) return filled[0] ?? NO_BARS;
  const byTs = new Map<number, [WatchedBars, number]>();
  for (const part of filled) for (let i = 0; i < part.length; i++) byTs.set(part.ts[i]!, [part, i]);
  const times = [...byTs.keys()].sort((a, b) => a - b);
  const cols = Array.from({ length: 5 }, () => new Float64Array(times.length));
  const [ts, open, high, low, close] = cols as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  times.forEach((t, k) => {
    const [part, i] = byTs.get(t)!;
    ts[k] = t;
    open[k] = part.open[i]!;
    high[k] = part.high[i]!;
    low[k] = part.low[i]!;
    close[k] = part.close[i]!;
  });
  return { length: times.length, ts, open, high, low, close };
}
