// pt label as a library job: AI1 events and AI2 risk rows of each pair from the bar store, written
// to data/labels/<tf>/<pair>/ or to the given CSV/Parquet files.
import { join } from 'node:path';
import type { PairSpec, PtConfig } from '../../config/schemas/index.js';
import { codeHash } from '../../core/codeHash.js';
import { configHash } from '../../core/configHash.js';
import { PtError } from '../../core/ptError.js';
import { barsPerDay, type Timeframe } from '../../core/time.js';
import { computePairFeatures } from '../../features/computePairFeatures.js';
import { featureParamsFrom } from '../../features/featureParams.js';
import {
  buildAi1Events,
  buildAi2Risk,
  labelInputsFromFeatures,
  labelParamsFrom,
  type Ai1Counts,
  type Ai2Counts,
} from '../../labels/index.js';
import { spreadSideName } from '../../model/spreadSide.js';
import type { OpenBarStore } from '../../ports/barStore.js';
import type { TableColumn, WriteTable } from '../../ports/tableWriter.js';
import { loadCleanPair } from '../loadCleanPair.js';
import { forEachPair } from './forEachPair.js';

export type LabelKind = 'ai1' | 'ai2' | 'all';

export interface LabelJobOptions {
  pairs: PairSpec[];
  timeframe: Timeframe;
  fromMs?: number;
  toMs?: number;
  kind: LabelKind;
  /** One file each (.csv or .parquet, absolute path) instead of data/labels/; one pair only. */
  outEvents?: string;
  outRisk?: string;
  /** Pass the bars through the DQ rules and quarantine (false: as stored). */
  dq: boolean;
  /** Absolute path of the bar store's folder. */
  dataDir: string;
}

/** What one pair's labels came to; ai1/ai2 as asked by `kind`. */
export interface PairLabelsResult {
  pairId: string;
  timeframe: Timeframe;
  bars: number;
  validBars: number;
  ai1?: { events: number; counts: Ai1Counts; out: string };
  ai2?: { counts: Ai2Counts; out: string };
}

export interface LabelJobDeps {
  openBarStore: OpenBarStore;
  writeTable: WriteTable;
  /** After each pair is written. */
  onPair?: (r: PairLabelsResult) => void;
  /** A pair skipped for lack of data while others go on. */
  onSkip?: (pairId: string, message: string) => void;
}

export async function runLabelJob(config: PtConfig, o: LabelJobOptions, deps: LabelJobDeps): Promise<void> {
  const { timeframe, dataDir, kind } = o;
  const featureParams = featureParamsFrom(config);
  const labelParams = labelParamsFrom(config, barsPerDay(timeframe));
  const hash = configHash({ features: config.features_policy, labels: config.core_policy, dq: config.pipeline_policy });
  const kv = { pt_config_hash: hash, pt_code_version: codeHash(), timeframe };
  const store = await deps.openBarStore(dataDir);
  try {
    await forEachPair(
      o.pairs,
      async (spec) => {
        const { pair } = await loadCleanPair(config, store, dataDir, spec, timeframe, o.fromMs, o.toMs, o.dq);
        if (pair.length === 0)
          throw new PtError(
            'CORE_FEATURES_WARMUP',
            `${spec.pair_id} ${timeframe}: no aligned bars in the store (run pt ingest for ${spec.leg_A.canonical_symbol} and ${spec.leg_B.canonical_symbol})`,
            { source: 'label' },
          );
        const f = computePairFeatures(pair, featureParams);
        const inputs = labelInputsFromFeatures(f, config.features_policy.signal_z);
        const base = join(dataDir, 'labels', timeframe, spec.pair_id);
        const done: PairLabelsResult = {
          pairId: spec.pair_id,
          timeframe,
          bars: f.length,
          validBars: f.length - f.firstValid,
        };
        if (kind !== 'ai2') {
          const ev = buildAi1Events(inputs, labelParams);
          const columns: TableColumn[] = [
            { name: 'ts_t0', kind: 'timestamp', values: Float64Array.from(ev.t0, (i) => f.ts[i]!) },
            { name: 'ts_t1', kind: 'timestamp', values: Float64Array.from(ev.t1, (i) => f.ts[i]!) },
            { name: 'direction', kind: 'varchar', values: Array.from(ev.direction, (d) => spreadSideName(d)) },
            { name: 'y', kind: 'double', values: Float64Array.from(ev.y) },
          ];
          const out = o.outEvents ?? join(base, 'events.parquet');
          await deps.writeTable(out, columns, { ...kv, pair_id: spec.pair_id });
          done.ai1 = { events: ev.t0.length, counts: ev.counts, out };
        }
        if (kind !== 'ai1') {
          const risk = buildAi2Risk(inputs, labelParams);
          const rows: number[] = [];
          for (let t = 0; t < f.length; t++) if (f.valid[t]) rows.push(t);
          const take = (src: ArrayLike<number>) => Float64Array.from(rows, (t) => src[t]!);
          const columns: TableColumn[] = [
            { name: 'ts_utc', kind: 'timestamp', values: take(f.ts) },
            { name: 'c_corr', kind: 'double', values: take(risk.cCorr) },
            { name: 'c_vol', kind: 'double', values: take(risk.cVol) },
            { name: 'c_speed', kind: 'double', values: take(risk.cSpeed) },
            { name: 'c_dd', kind: 'double', values: take(risk.cDd) },
            { name: 'risk_now', kind: 'double', values: take(risk.riskNow) },
            { name: 'y2', kind: 'double', values: take(risk.y2) },
          ];
          const out = o.outRisk ?? join(base, 'risk.parquet');
          await deps.writeTable(out, columns, { ...kv, pair_id: spec.pair_id });
          done.ai2 = { counts: risk.counts, out };
        }
        deps.onPair?.(done);
      },
      (spec, error) => deps.onSkip?.(spec.pair_id, error.message),
    );
  } finally {
    await store.close();
  }
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The lines pt label prints for a pair: bars, then one line per label kind. */
export function formatPairLabels(r: PairLabelsResult): string {
  const lines = [`${r.pairId} ${r.timeframe}: ${r.bars} aligned bars, ${r.validBars} valid`];
  if (r.ai1) {
    const { events: n, counts: c, out } = r.ai1;
    lines.push(
      `  AI1: ${n} events, positive rate ${n ? pct(c.positives / n) : '-'}, censored ${c.censored}, suppressed ${c.suppressed}, speed-excluded ${c.speedExcluded} (candidates ${c.candidates}) → ${out}`,
    );
  }
  if (r.ai2) {
    const { counts: c, out } = r.ai2;
    lines.push(
      `  AI2: ${c.rows} rows, risk_now ${pct(c.riskNowRate)} (corr ${pct(c.corrRate)}, vol ${pct(c.volRate)}, speed ${pct(c.speedRate)}, dd ${pct(c.ddRate)}), y2 on ${c.y2Rows} rows at ${pct(c.y2Rate)} → ${out}`,
    );
  }
  return lines.join('\n');
}
