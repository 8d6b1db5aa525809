// pt features: SPEC §2 features of one pair (or every pair) from the canonical store to Parquet or CSV.
import { join, resolve } from 'node:path';
import { loadConfig } from '../../config/loadConfig.js';
import { configHash } from '../../core/configHash.js';
import { codeHash } from '../../core/codeHash.js';
import { ensureDirDurable, writeFileAtomic } from '../../core/durableFs.js';
import { PtError } from '../../core/ptError.js';
import { isoUtc } from '../../core/time.js';
import { openBarStore } from '../../adapters/duckdb/index.js';
import { loadCleanPair } from '../../data/loadCleanPair.js';
import { computePairFeatures } from '../../features/computePairFeatures.js';
import { FEATURE_NAMES } from '../../features/featureNames.js';
import { featureParamsFrom } from '../../features/featureParams.js';
import type { TableColumn } from '../../adapters/duckdb/tableParquetWriter.js';
import { maybeDate, maybeRange, maybeTimeframeOption } from '../cliOptions.js';
import { resolvePairs } from '../resolvePairs.js';
import { writeTable } from '../writeTable.js';
import { forEachPair } from '../forEachPair.js';

export async function runFeaturesCommand(options: Record<string, unknown>): Promise<number> {
  const config = loadConfig(options.configDir as string | undefined);
  const timeframe = maybeTimeframeOption(options.timeframe, config);
  const pairs = resolvePairs(config, options.pair, options.all);
  if (options.out && pairs.length > 1)
    throw new PtError('CORE_CLI_USAGE', '--out takes one --pair; with --all the outputs go under data/features/', {
      exitCode: 2,
    });
  const fromMs = maybeDate(options.from, '--from');
  const toMs = maybeDate(options.to, '--to');
  maybeRange(fromMs, toMs);
  const dataDir = resolve(String(options.dataDir ?? 'data'));
  const params = featureParamsFrom(config);
  const hash = configHash({ features: config.features_policy, dq: config.pipeline_policy });
  const store = await openBarStore(dataDir);
  try {
    await forEachPair(pairs, async (spec) => {
      const { pair, stats } = await loadCleanPair(
        config,
        store,
        dataDir,
        spec,
        timeframe,
        fromMs,
        toMs,
        options.dq !== false,
      );
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
      const out = options.out
        ? resolve(String(options.out))
        : join(dataDir, 'features', timeframe, spec.pair_id, 'features.parquet');
      await writeTable(out, columns, {
        pt_config_hash: hash,
        pt_code_version: codeHash(),
        pair_id: spec.pair_id,
        timeframe,
      });
      if (!options.out) {
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
        await ensureDirDurable(join(dataDir, 'features', timeframe, spec.pair_id));
        await writeFileAtomic(
          join(dataDir, 'features', timeframe, spec.pair_id, '__meta.json'),
          `${JSON.stringify(meta, null, 2)}\n`,
        );
      }
      process.stdout.write(
        `${spec.pair_id} ${timeframe}: ${f.length} aligned bars, ${f.length - f.firstValid} valid from ${isoUtc(f.ts[f.firstValid]!)} (dropped: ${pair.droppedA} only in A, ${pair.droppedB} only in B; outliers ${stats.outliersA}/${stats.outliersB}, filled ${stats.filledA}/${stats.filledB}, quarantined ${stats.quarantinedBarsA}/${stats.quarantinedBarsB}) → ${out}\n`,
      );
    });
    return 0;
  } finally {
    await store.close();
  }
}
