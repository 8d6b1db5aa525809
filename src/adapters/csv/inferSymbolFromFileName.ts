// Guesses symbol and timeframe from bar file names such as XAUUSDh1.csv.gz or DAT_ASCII_EURUSD_M1_2023.csv.
import { basename } from 'node:path';
import type { Timeframe } from '../../core/time.js';

const EXTENSION = /\.(csv|tsv|txt)(\.gz)?$/i;
const TIMEFRAME_TOKEN = /^(m1|m5|m15|m30|h1|h4|d1|w1|mn1?|1m|5m|15m|30m|1h|4h|1d|60|240|1440)$/i;
const GLUED_TIMEFRAME = /^([a-z0-9]{3,}?)[_-]?(m1|m5|m15|m30|h1|h4|d1|w1|mn1)$/i;
/** HistData name parts that are not the instrument. */
const NOISE_TOKEN = /^(dat|ascii|mt|xlsx|nt|ms|bid|ask|last|\d{4}|\d{6}|\d{8})$/i;
const TIMEFRAMES: Record<string, Timeframe> = {
  m15: '15m',
  '15m': '15m',
  h1: '1h',
  '1h': '1h',
  '60': '1h',
  h4: '4h',
  '4h': '4h',
  '240': '4h',
};

function tokens(name: string): string[] {
  return basename(name)
    .replace(EXTENSION, '')
    .split(/[_\-. ]+/)
    .filter(Boolean);
}

/** Upper-case symbol, or null when the name holds nothing that looks like one. */
export function inferSymbolFromFileName(name: string): string | null {
  for (const token of tokens(name)) {
    if (TIMEFRAME_TOKEN.test(token) || NOISE_TOKEN.test(token)) continue;
    const glued = GLUED_TIMEFRAME.exec(token);
    const symbol = (glued ? glued[1]! : token).toUpperCase().replace(/[^A-Z0-9]/g, '');
    if (symbol.length >= 3) return symbol;
  }
  return null;
}

/** The timeframe word in a file name, lower case (`h1`, `d1`, `m15`), or null when it names none. */
export function timeframeToken(name: string): string | null {
  for (const token of tokens(name).reverse()) {
    if (TIMEFRAME_TOKEN.test(token)) return token.toLowerCase();
    const glued = GLUED_TIMEFRAME.exec(token);
    if (glued) return glued[2]!.toLowerCase();
  }
  return null;
}

/** pt timeframe named in the file name (`h1`, `_H4`, `M15`); null when none is named or it is one pt does not use (D1). */
export function inferTimeframeFromFileName(name: string): Timeframe | null {
  const token = timeframeToken(name);
  return token === null ? null : (TIMEFRAMES[token] ?? null);
}
