// Synthetic pair inputs for the engine tests: a USD-quoted test pair, a cost table, columns from arrays.
import type { BacktestPairInput } from '../../../src/backtest/backtestTypes.js';
import type { PairSpec, PtConfig } from '../../../src/config/schemas/index.js';
import { F, FEATURE_COUNT } from '../../../src/features/featureNames.js';
import { config, pairOf } from '../../decision/config.js';

export { config };

/** XAUUSD_XAGUSD's calendars with round contract sizes: leg A 100 units a lot, leg B 100 units a lot. */
export function testPair(id = 'SYNA_SYNB', quoteB = 'USD'): PairSpec {
  const base = pairOf('XAUUSD_XAGUSD');
  const [a, b] = id.split('_');
  return {
    ...base,
    pair_id: id,
    leg_A: {
      ...base.leg_A,
      canonical_symbol: a!,
      broker_symbol: a!,
      contract_size: 100,
      lot_step: 0.01,
      min_lot: 0.01,
      quote_ccy: 'USD',
    },
    leg_B: {
      ...base.leg_B,
      canonical_symbol: b!,
      broker_symbol: b!,
      contract_size: 100,
      lot_step: 0.01,
      min_lot: 0.01,
      quote_ccy: quoteB,
    },
  };
}

/** Round costs: spread 20 bps, slippage 10 bps (×1.5 in 22:00-01:00 UTC), commission 10 bps, swap long −10 / short +5 bps, triple WED 21:00. */
export const costTable: PtConfig['cost_table'] = {
  defaults: {
    commission_bps: 10,
    slippage_bps: 10,
    spread_bps: 20,
    swap: { long_bps_day: -10, short_bps_day: 5, rollover_day: 'WED', time_utc: '21:00' },
  },
  overrides: {},
  time_of_day_multipliers: { '22:00-01:00': 1.5 },
};

export interface Columns {
  ts: number[];
  closeA: number[];
  closeB: number[];
  z: number[];
  deltaZ?: number[];
  beta?: number[];
  prob?: number[];
  risk?: number[];
  tradable?: number[];
}

/** Feature columns hold only z, delta_z and beta (the engine reads no others); every row valid. */
export function pairInput(pair: PairSpec, c: Columns): BacktestPairInput {
  const n = c.ts.length;
  const columns = Array.from({ length: FEATURE_COUNT }, () => new Float64Array(n).fill(Number.NaN));
  columns[F.z] = Float64Array.from(c.z);
  columns[F.delta_z] = c.deltaZ ? Float64Array.from(c.deltaZ) : new Float64Array(n).fill(0.01);
  columns[F.beta] = c.beta ? Float64Array.from(c.beta) : new Float64Array(n).fill(1);
  return {
    pair,
    ts: Float64Array.from(c.ts),
    a: { close: Float64Array.from(c.closeA) },
    b: { close: Float64Array.from(c.closeB) },
    features: { columns, valid: new Uint8Array(n).fill(1) },
    returnProb: c.prob ? Float64Array.from(c.prob) : new Float64Array(n).fill(0.8),
    riskScore: c.risk ? Float64Array.from(c.risk) : new Float64Array(n).fill(0.1),
    tradable: c.tradable ? Uint8Array.from(c.tradable) : new Uint8Array(n).fill(1),
  };
}

/**
 * `n` hourly bars from `startMs`, skipping the weekly close (Fri 22:00 → Sun 22:00 UTC); z is an
 * AR(1) (φ 0.95, σ 0.35: sd ≈ 1.1, |z| ≥ 2 on ≈ 7% of bars, half-life ≈ 14 bars) so trades are many;
 * its mean |Δz| is above θ_speed, so runs on it pass RANDOM_PARAMS. Prices are random walks,
 * predictions uniform. Deterministic per seed.
 */
/** Turns the speed exclusion off for randomColumns data. */
export const RANDOM_PARAMS = { thetaSpeed: 10 };

export function randomColumns(
  rng: { next(): number; gaussian(): number },
  n: number,
  startMs: number,
): Required<Columns> {
  const H = 3_600_000;
  const c: Required<Columns> = {
    ts: [],
    closeA: [],
    closeB: [],
    z: [],
    deltaZ: [],
    beta: [],
    prob: [],
    risk: [],
    tradable: [],
  };
  let t = startMs;
  let z = 0;
  let a = 100;
  let b = 50;
  while (c.ts.length < n) {
    const d = new Date(t);
    const dow = d.getUTCDay();
    const hour = d.getUTCHours();
    const closed = dow === 6 || (dow === 5 && hour >= 22) || (dow === 0 && hour < 22);
    if (!closed) {
      const nz = 0.95 * z + 0.35 * rng.gaussian();
      c.deltaZ.push(nz - z);
      z = nz;
      a *= Math.exp(0.002 * rng.gaussian());
      b *= Math.exp(0.002 * rng.gaussian());
      c.ts.push(t);
      c.z.push(z);
      c.closeA.push(a);
      c.closeB.push(b);
      c.beta.push(0.9 + 0.2 * rng.next());
      c.prob.push(rng.next());
      c.risk.push(rng.next() * 0.6);
      c.tradable.push(1);
    }
    t += H;
  }
  return c;
}
