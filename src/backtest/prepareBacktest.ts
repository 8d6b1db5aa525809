// Builds the backtest inputs of a run: each pair's DQ-cleaned aligned bars, features and (unless
// rule-only) model scores, plus USD conversion from the store's own FX series (SPEC §7).
import type { PairSpec, PtConfig } from '../config/schemas/index.js';
import { PtError } from '../core/ptError.js';
import type { Timeframe } from '../core/time.js';
import type { AlignedPair } from '../model/bar.js';
import type { BarStore } from '../ports/barStore.js';
import { loadCleanPair } from '../data/loadCleanPair.js';
import { computePairFeatures } from '../features/computePairFeatures.js';
import { featureParamsFrom } from '../features/featureParams.js';
import { QUALITY_FLAGS } from '../model/bar.js';
import type { Scorer } from '../ports/scorer.js';
import type { BacktestPairInput, ConversionRate } from './backtestTypes.js';
import { barIndexAtOrBefore } from '../cv/index.js';
import { emptyPeriodError } from './emptyPeriodError.js';

const MISSING = QUALITY_FLAGS.indexOf('missing');

/**
 * Features (the PairFeatureState loop pt live runs bar by bar) and the scores of every row in one
 * batch through the Scorer port, of an aligned pair; also used for each stress scenario's perturbed
 * prices. Bars DQ filled in either leg are marked, so the kernel never trades them.
 */
export async function pairInput(
  config: PtConfig,
  spec: PairSpec,
  pair: AlignedPair,
  scorer?: Scorer,
): Promise<BacktestPairInput> {
  const f = computePairFeatures(pair, featureParamsFrom(config));
  const scores = scorer ? await scorer.scoreColumns(f.columns, f.valid) : undefined;
  const filled = filledColumn(pair);
  return {
    pair: spec,
    ts: pair.ts,
    a: { open: pair.a.open, high: pair.a.high, low: pair.a.low, close: pair.a.close },
    b: { open: pair.b.open, high: pair.b.high, low: pair.b.low, close: pair.b.close },
    features: { columns: f.columns, valid: f.valid },
    filled,
    ...(scores ? { returnProb: scores.returnProb, riskScore: scores.riskScore } : {}),
  };
}

/** 1 where either leg's bar was filled by DQ (quality `missing`): such a bar is never traded. */
export function filledColumn(pair: AlignedPair): Uint8Array {
  const filled = new Uint8Array(pair.length);
  for (let i = 0; i < pair.length; i++)
    filled[i] = pair.a.quality[i] === MISSING || pair.b.quality[i] === MISSING ? 1 : 0;
  return filled;
}

/** Each pair's aligned bars through the DQ rules and quarantine; `applyDq: false` takes the stored bars as they are. */
export async function loadPairs(
  config: PtConfig,
  store: BarStore,
  dataDir: string,
  specs: PairSpec[],
  timeframe: Timeframe,
  fromMs?: number,
  toMs?: number,
  applyDq = true,
): Promise<Array<{ spec: PairSpec; pair: AlignedPair }>> {
  const out: Array<{ spec: PairSpec; pair: AlignedPair }> = [];
  for (const spec of specs) {
    const { pair } = await loadCleanPair(config, store, dataDir, spec, timeframe, fromMs, toMs, applyDq);
    if (pair.length === 0) throw await emptyPeriodError(store, dataDir, spec, timeframe, fromMs, toMs);
    out.push({ spec, pair });
  }
  return out;
}

/**
 * USD per unit of a leg's quote currency from the store: XXXUSD closes give USD per XXX, USDXXX
 * closes their inverse; the last close at or before t. A missing series is an error, never 1.0.
 */
export async function conversionFromStore(
  config: PtConfig,
  store: BarStore,
  specs: PairSpec[],
  timeframe: Timeframe,
  fromMs?: number,
  toMs?: number,
): Promise<ConversionRate> {
  const series = new Map<string, { ts: Float64Array; usdPer: Float64Array }>();
  const quoteOf = new Map<string, string>();
  for (const spec of specs)
    for (const leg of [spec.leg_A, spec.leg_B]) quoteOf.set(leg.canonical_symbol, leg.quote_ccy);
  for (const ccy of new Set([...quoteOf.values()].filter((c) => c !== 'USD'))) {
    for (const [symbol, invert] of [
      [`${ccy}USD`, false],
      [`USD${ccy}`, true],
    ] as const) {
      const bars = await store.readBars(symbol, timeframe, fromMs, toMs);
      if (bars.length === 0) continue;
      series.set(ccy, { ts: bars.ts, usdPer: invert ? bars.close.map((c) => 1 / c) : bars.close });
      break;
    }
  }
  return (symbol, tsMs) => {
    const ccy = quoteOf.get(symbol);
    if (ccy === undefined || ccy === 'USD') return 1;
    const s = series.get(ccy);
    if (!s)
      throw new PtError(
        'DATA_INPUT_MISSING',
        `${symbol} is quoted in ${ccy}: ingest ${ccy}USD or USD${ccy} for the same timeframe to convert its P&L to USD`,
        { source: 'bt' },
      );
    const at = barIndexAtOrBefore(s.ts, tsMs);
    if (at < 0)
      throw new PtError('DATA_INPUT_MISSING', `no ${ccy} rate at or before ${new Date(tsMs).toISOString()}`, {
        source: 'bt',
      });
    return s.usdPer[at]!;
  };
}
