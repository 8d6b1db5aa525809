// A seeded simulator of cointegrated prices on an FX calendar, with volatility bursts and a beta regime break.
// Every symbol loads on one common log-price factor, so any two synthetic symbols form a cointegrated pair.
// Prices depend only on (seed, symbol, time): paths are simulated on a 15-minute grid from a fixed epoch and
// aggregated, so a range fetched today equals the same range fetched later, and 1h bars aggregate 15m bars.
import { SeededRng, seedFromString } from '../../core/rng.js';
import { FX_CALENDAR, isTradingTime } from '../../data/calendar/marketCalendar.js';

/** Start of every synthetic path. */
export const SYNTHETIC_EPOCH_MS = Date.UTC(2015, 0, 1);
/** The loading on the common factor changes here (the regime break). */
export const SYNTHETIC_BREAK_MS = Date.UTC(2023, 6, 1);
export const BASE_STEP_MS = 900_000;

export interface SyntheticSpec {
  symbol: string;
  seed: number;
  /** Price level at the epoch. */
  level: number;
  betaBefore: number;
  betaAfter: number;
  /** Mean reversion per 15 minutes of the idiosyncratic (spread) part. */
  kappa: number;
  idioVol: number;
}

export function specFor(symbol: string, seed: number): SyntheticSpec {
  const rng = new SeededRng(seedFromString(symbol, seed));
  return {
    symbol,
    seed,
    level: 20 + 180 * rng.next(),
    betaBefore: 0.7 + 0.8 * rng.next(),
    betaAfter: 0.5 + 1.0 * rng.next(),
    kappa: 0.01 + 0.02 * rng.next(),
    idioVol: 0.0006 + 0.0006 * rng.next(),
  };
}

export interface BasePath {
  /** 15-minute open times of trading bars. */
  ts: Float64Array;
  /** Close (log price) of each 15-minute bar, and the intrabar extremes in log price. */
  close: Float64Array;
  high: Float64Array;
  low: Float64Array;
  length: number;
}

const factorCache = new Map<string, { untilMs: number; factor: Float64Array; vol: Float64Array; ts: Float64Array }>();

/** The common factor (log-price random walk with volatility bursts) on trading 15-minute bars up to `untilMs`. */
function commonFactor(seed: number, untilMs: number) {
  const key = String(seed);
  const cached = factorCache.get(key);
  if (cached && cached.untilMs >= untilMs) return cached;
  const rng = new SeededRng(seedFromString('__factor__', seed));
  const steps = Math.ceil((untilMs - SYNTHETIC_EPOCH_MS) / BASE_STEP_MS);
  const ts = new Float64Array(steps);
  const factor = new Float64Array(steps);
  const vol = new Float64Array(steps);
  let n = 0;
  let f = 0;
  let burstLeft = 0;
  for (let i = 0; i < steps; i++) {
    const t = SYNTHETIC_EPOCH_MS + i * BASE_STEP_MS;
    if (!isTradingTime(FX_CALENDAR, t)) continue;
    // About one volatility burst a month, lasting one to three days at 2.5-4x the normal vol.
    if (burstLeft === 0 && rng.next() < 1 / 2000) burstLeft = 96 + Math.floor(rng.next() * 192);
    const v = 0.0012 * (burstLeft > 0 ? 2.5 + 1.5 * rng.next() : 1);
    if (burstLeft > 0) burstLeft--;
    f += v * rng.gaussian();
    ts[n] = t;
    factor[n] = f;
    vol[n] = v;
    n++;
  }
  const out = { untilMs, factor: factor.subarray(0, n), vol: vol.subarray(0, n), ts: ts.subarray(0, n) };
  factorCache.set(key, out);
  return out;
}

/** The 15-minute log-price path of one symbol up to `untilMs`. */
export function simulateBasePath(spec: SyntheticSpec, untilMs: number): BasePath {
  const common = commonFactor(spec.seed, untilMs);
  const rng = new SeededRng(seedFromString(`${spec.symbol}/path`, spec.seed));
  const n = common.ts.length;
  const close = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const logLevel = Math.log(spec.level);
  let u = 0;
  let prev = logLevel;
  for (let i = 0; i < n; i++) {
    const beta = common.ts[i]! < SYNTHETIC_BREAK_MS ? spec.betaBefore : spec.betaAfter;
    const burst = common.vol[i]! / 0.0012;
    u += -spec.kappa * u + spec.idioVol * burst * rng.gaussian();
    const c = logLevel + beta * common.factor[i]! + u;
    const wick = spec.idioVol * burst * Math.abs(rng.gaussian());
    const wick2 = spec.idioVol * burst * Math.abs(rng.gaussian());
    close[i] = c;
    high[i] = Math.max(prev, c) + wick;
    low[i] = Math.min(prev, c) - wick2;
    prev = c;
  }
  return { ts: common.ts, close, high, low, length: n };
}
