// Guesses symbol and timeframe from bar file names such as XAUUSDh1.csv.gz, DAT_ASCII_EURUSD_M1_2023.csv or EURUSD60.csv.
import { basename } from 'node:path';
import type { Timeframe } from '../../core/time.js';

const EXTENSION = /\.(csv|tsv|txt)(\.gz)?$/i;
const TIMEFRAME_TOKEN = /^(m1|m5|m15|m30|h1|h4|d1|w1|mn1?|1m|5m|15m|30m|1h|4h|1d|60|240|1440)$/i;
const GLUED_TIMEFRAME = /^([a-z0-9]{3,}?)[_-]?(m1|m5|m15|m30|h1|h4|d1|w1|mn1)$/i;
/**
 * MT4 History Center names: the symbol glued to the period in minutes (`EURUSD60`, `XAUUSD15`,
 * `EURUSD1440`). Only six or more letters before the digits, so index names such as `US30`,
 * `GER40` or `NAS100` stay symbols.
 */
const MT4_NAME = /^([a-z]{6,})(1|5|15|30|60|240|1440|10080|43200)$/i;
/** MT4 period minutes → the MT5-style word the rest of this file speaks. */
const MT4_MINUTES: Record<string, string> = {
  '1': 'm1',
  '5': 'm5',
  '15': 'm15',
  '30': 'm30',
  '60': 'h1',
  '240': 'h4',
  '1440': 'd1',
  '10080': 'w1',
  '43200': 'mn1',
};
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
/** How a timeframe word pt does not use is named in messages. */
const OTHER_TIMEFRAMES: Record<string, string> = {
  m1: '1-minute',
  '1m': '1-minute',
  m5: '5-minute',
  '5m': '5-minute',
  m30: '30-minute',
  '30m': '30-minute',
  d1: 'daily',
  '1d': 'daily',
  '1440': 'daily',
  w1: 'weekly',
  mn: 'monthly',
  mn1: 'monthly',
};

/**
 * A symbol glued to a timeframe word, as [symbol, lower-case word]: MT5-style `XAUUSDh1`,
 * `XAUUSDm15`, or MT4's `EURUSD60` (word `h1`). Both readings fit some names: `XAUUSDm15` is
 * XAUUSD M15 (not `XAUUSDM` 15 minutes), but `EURUSD1` is MT4's EURUSD M1 (not `EURUS` D1), so the
 * MT5 reading wins unless it leaves fewer than six characters of symbol where MT4's leaves six.
 */
function gluedParts(token: string): [string, string] | null {
  const mt5 = GLUED_TIMEFRAME.exec(token);
  const mt4 = MT4_NAME.exec(token);
  if (mt5 && (!mt4 || mt5[1]!.length >= 6)) return [mt5[1]!, mt5[2]!.toLowerCase()];
  if (mt4) return [mt4[1]!, MT4_MINUTES[mt4[2]!]!];
  return mt5 ? [mt5[1]!, mt5[2]!.toLowerCase()] : null;
}

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
    const glued = gluedParts(token);
    const symbol = (glued ? glued[0] : token).toUpperCase().replace(/[^A-Z0-9]/g, '');
    if (symbol.length >= 3) return symbol;
  }
  return null;
}

/** The timeframe word in a file name, lower case (`h1`, `d1`, `m15`; MT4's `EURUSD60` gives `h1`), or null when it names none. */
export function timeframeToken(name: string): string | null {
  for (const token of tokens(name).reverse()) {
    if (TIMEFRAME_TOKEN.test(token)) return token.toLowerCase();
    const glued = gluedParts(token);
    if (glued) return glued[1];
  }
  return null;
}

/** pt timeframe named in the file name (`h1`, `_H4`, `M15`, `EURUSD60`); null when none is named or it is one pt does not use (D1). */
export function inferTimeframeFromFileName(name: string): Timeframe | null {
  const token = timeframeToken(name);
  return token === null ? null : (TIMEFRAMES[token] ?? null);
}

/** The timeframe a file name names, for messages: `1h`, `daily`, `5-minute`; null when it names none. */
export function describeFileNameTimeframe(name: string): string | null {
  const token = timeframeToken(name);
  if (token === null) return null;
  return TIMEFRAMES[token] ?? OTHER_TIMEFRAMES[token] ?? token;
}
