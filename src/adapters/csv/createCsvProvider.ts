// MarketDataProvider over a bar file or a folder of them (SPEC §1.3 `csv` adapter).
import { access } from 'node:fs/promises';
import { basename } from 'node:path';
import { PtError } from '../../core/ptError.js';
import { TIMEFRAMES, type Timeframe } from '../../core/time.js';
import type { CanonicalBar } from '../../model/bar.js';
import type {
  BarStream,
  HealthStatus,
  MarketDataProvider,
  ProviderCapabilities,
  RateLimitInfo,
  SymbolMeta,
} from '../../ports/marketDataProvider.js';
import { CSV_SOURCE_ID } from './buildCsvBars.js';
import type { CsvReadResult, LastBarPolicy } from './csvTypes.js';
import { inferSymbolFromFileName, inferTimeframeFromFileName, timeframeToken } from './inferSymbolFromFileName.js';
import { listCsvFiles } from './listCsvFiles.js';
import { readCsvBars } from './readCsvBars.js';
import { normaliseSymbol } from './resolveCsvOptions.js';

export interface CsvProviderOptions {
  /** A bar file or a folder of them. */
  path: string;
  /** Symbol of every file; otherwise taken from each file name (`XAUUSDh1.csv.gz` → XAUUSD). */
  symbol?: string;
  tz?: string;
  /** One scale for every file, or one per symbol (missing symbols: 1). */
  priceScale?: number | Record<string, number>;
  /** Written into each bar; default `csv`. */
  ingestRunId?: string;
  lastBar?: LastBarPolicy;
}

interface CsvFile {
  path: string;
  symbol: string;
  /** Timeframe word in the file name (`h1`, `d1`); null when the name has none (the spacing check still guards it). */
  timeframeWord: string | null;
}

export function createCsvProvider(options: CsvProviderOptions): MarketDataProvider {
  const fixedSymbol = options.symbol === undefined ? null : normaliseSymbol(options.symbol);
  const cache = new Map<string, Promise<CsvReadResult>>();

  const scaleOf = (symbol: string): number | undefined =>
    typeof options.priceScale === 'object' ? options.priceScale[symbol] : options.priceScale;

  const files = (): CsvFile[] =>
    listCsvFiles(options.path).flatMap((path) => {
      const symbol = fixedSymbol ?? inferSymbolFromFileName(path);
      return symbol ? [{ path, symbol, timeframeWord: timeframeToken(path) }] : [];
    });

  const read = (file: CsvFile, timeframe: Timeframe): Promise<CsvReadResult> => {
    const key = `${file.path}\u0000${timeframe}`;
    let pending = cache.get(key);
    if (!pending) {
      pending = readCsvBars(file.path, {
        symbol: file.symbol,
        timeframe,
        tz: options.tz,
        priceScale: scaleOf(file.symbol),
        ingestRunId: options.ingestRunId ?? CSV_SOURCE_ID,
        lastBar: options.lastBar,
      });
      pending.catch(() => cache.delete(key));
      cache.set(key, pending);
    }
    return pending;
  };

  /** All bars of a symbol, ascending; with several files, a later file (by name) wins on equal times. */
  const barsOf = async (symbol: string, timeframe: Timeframe): Promise<CanonicalBar[]> => {
    const wanted = normaliseSymbol(symbol);
    const matching = files().filter(
      (f) => f.symbol === wanted && (f.timeframeWord === null || inferTimeframeFromFileName(f.path) === timeframe),
    );
    if (matching.length === 0) {
      throw new PtError('DATA_INPUT_MISSING', `no ${timeframe} file for ${wanted} in ${options.path}`, {
        source: 'csv',
        details: { path: options.path, symbol: wanted, timeframe },
      });
    }
    if (matching.length === 1) return (await read(matching[0]!, timeframe)).bars;
    const byTs = new Map<number, CanonicalBar>();
    for (const file of matching) for (const bar of (await read(file, timeframe)).bars) byTs.set(bar.ts_utc, bar);
    return [...byTs.values()].sort((a, b) => a.ts_utc - b.ts_utc);
  };

  return {
    id: CSV_SOURCE_ID,

    async fetchTimeSeries(symbol, timeframe, startMs, endMs, limit) {
      const bars = (await barsOf(symbol, timeframe)).filter((b) => b.ts_utc >= startMs && b.ts_utc < endMs);
      // Earliest first, so a capped fetch resumes where it stopped.
      return limit === undefined ? bars : bars.slice(0, Math.max(0, limit));
    },

    async streamBars(symbols, timeframe, onBar): Promise<BarStream> {
      // Files are history: each symbol's bars are replayed in order, then the stream is done.
      for (const symbol of symbols) for (const bar of await barsOf(symbol, timeframe)) onBar(bar);
      return { close: async () => {} };
    },

    async listSymbols(): Promise<SymbolMeta[]> {
      const seen = new Map<string, SymbolMeta>();
      for (const file of files())
        if (!seen.has(file.symbol)) seen.set(file.symbol, { symbol: file.symbol, sourceSymbol: basename(file.path) });
      return [...seen.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
    },

    capabilities(): ProviderCapabilities {
      let assets: string[] = [];
      try {
        assets = [...new Set(files().map((f) => f.symbol))].sort();
      } catch {
        /* healthCheck reports a missing path */
      }
      return { timeframes: [...TIMEFRAMES], assets, maxBarsPerRequest: Number.MAX_SAFE_INTEGER, streaming: false };
    },

    rateLimit(): RateLimitInfo {
      // Local files: nothing to throttle.
      return { restQps: Number.MAX_SAFE_INTEGER };
    },

    async healthCheck(): Promise<HealthStatus> {
      try {
        const list = files();
        await Promise.all(list.map((f) => access(f.path)));
        return { status: list.length > 0 ? 'ok' : 'down', details: { path: options.path, files: list.length } };
      } catch (error) {
        return { status: 'down', details: { path: options.path, error: (error as Error).message } };
      }
    },
  };
}
