// pt features as a library job: SPEC §2 features of each pair from the bar store, written to
// data/features/<tf>/<pair>/ (Parquet plus __meta.json) or to one CSV/Parquet file.
import { join } from 'node:path';
import type { PairSpec, PtConfig } from '../../config/schemas/index.js';
import { codeHash } from '../../core/codeHash.js';
import { configHash } from '../../core/configHash.js';
import { ensureDirDurable, writeFileAtomic } from '../../core/durableFs.js';
import { PtError } from '../../core/ptError.js';
import { isoUtc, type Timeframe } from '../../core/time.js';
import { computePairFeatures } from '../../features/computePairFeatures.js';
import { FEATURE_NAMES } from '../../features/featureNames.js';
import { featureParamsFrom } from '../../features/featureParams.js';
import type { OpenBarStore } from '../../ports/barStore.js';
import type { TableColumn, WriteTable } from '../../ports/tableWriter.js';
import { loadCleanPair, type CleanPairStats } from '../loadCleanPair.js';
import { forEachPair } from './forEachPair.js';

export interface FeaturesJobOptions {
  pairs: PairSpec[];
  timeframe: Timeframe;
  fromMs?: number;
  toMs?: number;
  /** One file (.csv or .parquet, absolute path) instead of data/features/; one pair only. */
  out?: string;
  /** Pass the bars through the DQ rules and quarantine (false: as stored). */
  dq: boolean;
  /** Absolute path of the bar store's folder. */
  dataDir: string;
}

/** What one pair's features came to. */
export interface PairFeaturesResult {
  pairId: string;
  timeframe: Timeframe;
  bars: number;
  validBars: number;
  firstValidMs: number;
  droppedA: number;
  droppedB: number;
  dq: CleanPairStats;
  out: string;
}

export interface FeaturesJobDeps {
  openBarStore: OpenBarStore;
  writeTable: WriteTable;
  /** After each pair is written. */
  onPair?: (r: PairFeaturesResult) => void;
  /** A pair skipped for lack of data while others go on. */
  onSkip?: (pairId: string, message: string) => void;
}

export async function runFeaturesJob(config: PtConfig, o: FeaturesJobOptions, deps: FeaturesJobDeps): Promise<void> {
  const { timeframe, dataDir } = o;
  const params = featureParamsFrom(config);
  const hash = configHash({ features: config.features_policy, dq: config.pipeline_policy });
  const store = await deps.openBarStore(dataDir);
  try {
    await forEachPair(
      o.pairs,
      async (spec) => {
        const { pair, stats } = await loadCleanPair(config, store, dataDir, spec, timeframe, o.fromMs, o.toMs, o.dq);
        if (pair.length === 0)
          throw new PtError(
            'CORE_FEATURES_WARMUP',
            `${spec.pair_id} ${timeframe}: no aligned bars in the store (run pt ingest for ${spec.leg_A.canonical_symbol} and ${spec.leg_B.canonical_symbol})`,
            { source: 'features' },
          );
        const f = computePairFeatures(pair, params);
        const columns: TableColumn[] = [
          { name: 'ts_utc', kind: 'timestamp', values: f.ts },
          ...FEATURE_NAMES.map((name, k) => ({ name, kind: 'double' as const, values: f.columns[k]! })),
          { name: 'valid', kind: 'double', values: f.valid },
        ];
        const folder = join(dataDir, 'features', timeframe, spec.pair_id);
        const out = o.out ?? join(folder, 'features.parquet');
        await deps.writeTable(out, columns, {
          pt_config_hash: hash,
          pt_code_version: codeHash(),
          pair_id: spec.pair_id,
          timeframe,
        });
        if (!o.out) {
          const meta = {
            pair_id: spec.pair_id,
            timeframe,
            rows: f.length,
            valid_rows: f.length - f.firstValid,
            first_valid_ts: isoUtc(f.ts[f.firstValid]!),
            from: isoUtc(f.ts[0]!),
            to: isoUtc(f.ts[f.length - 1]!),
            feature_names: FEATURE_NAMES,
            config_hash: hash,
            code_version: codeHash(),
            generated_at: new Date().toISOString(),
            dq: stats,
          };
          await ensureDirDurable(folder);
          await writeFileAtomic(join(folder, '__meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
        }
        deps.onPair?.({
          pairId: spec.pair_id,
          timeframe,
          bars: f.length,
          validBars: f.length - f.firstValid,
          firstValidMs: f.ts[f.firstValid]!,
          droppedA: pair.droppedA,
          droppedB: pair.droppedB,
          dq: stats,
          out,
        });
      },
      (spec, error) => deps.onSkip?.(spec.pair_id, error.message),
    );
  } finally {
    await store.close();
  }
}

/** The line pt features prints for a pair. */
export function formatPairFeatures(r: PairFeaturesResult): string {
  const s = r.dq;
  return `${r.pairId} ${r.timeframe}: ${r.bars} aligned bars, ${r.validBars} valid from ${isoUtc(r.firstValidMs)} (dropped: ${r.droppedA} only in A, ${r.droppedB} only in B; outliers ${s.outliersA}/${s.outliersB}, filled ${s.filledA}/${s.filledB}, quarantined ${s.quarantinedBarsA}/${s.quarantinedBarsB}) → ${r.out}`;
}
