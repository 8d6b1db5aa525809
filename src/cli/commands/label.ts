// pt label: AI1 events and AI2 risk rows of one pair (or every pair), with a summary per pair.
import { join, resolve } from 'node:path';
import { loadConfig } from '../../config/loadConfig.js';
import { PtError } from '../../core/ptError.js';
import { barsPerDay } from '../../core/time.js';
import { configHash } from '../../core/configHash.js';
import { codeHash } from '../../core/codeHash.js';
import { openBarStore } from '../../adapters/duckdb/index.js';
import type { TableColumn } from '../../adapters/duckdb/tableParquetWriter.js';
import { loadCleanPair } from '../../data/loadCleanPair.js';
import { computePairFeatures } from '../../features/computePairFeatures.js';
import { featureParamsFrom } from '../../features/featureParams.js';
import { buildAi1Events, buildAi2Risk, labelInputsFromFeatures, labelParamsFrom } from '../../labels/index.js';
import { spreadSideName } from '../../model/spreadSide.js';
import { maybeDate, maybeRange, maybeTimeframeOption } from '../cliOptions.js';
import { resolvePairs } from '../resolvePairs.js';
import { writeTable } from '../writeTable.js';
import { forEachPair } from '../forEachPair.js';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export async function runLabelCommand(options: Record<string, unknown>): Promise<number> {
  const config = loadConfig(options.configDir as string | undefined);
  const timeframe = maybeTimeframeOption(options.timeframe, config);
  const pairs = resolvePairs(config, options.pair, options.all);
  if ((options.outEvents || options.outRisk) && pairs.length > 1)
    throw new PtError(
      'CORE_CLI_USAGE',
      '--out-events/--out-risk take one --pair; with --all the outputs go under data/labels/',
      { exitCode: 2 },
    );
  const kind = String(options.kind ?? 'all');
  if (!['ai1', 'ai2', 'all'].includes(kind))
    throw new PtError('CORE_CLI_USAGE', `--kind must be ai1, ai2 or all, got "${kind}"`, { exitCode: 2 });
  const fromMs = maybeDate(options.from, '--from');
  const toMs = maybeDate(options.to, '--to');
  maybeRange(fromMs, toMs);
  const dataDir = resolve(String(options.dataDir ?? 'data'));
  const featureParams = featureParamsFrom(config);
  const labelParams = labelParamsFrom(config, barsPerDay(timeframe));
  const hash = configHash({ features: config.features_policy, labels: config.core_policy, dq: config.pipeline_policy });
  const kv = { pt_config_hash: hash, pt_code_version: codeHash(), timeframe };
  const store = await openBarStore(dataDir);
  try {
    await forEachPair(pairs, async (spec) => {
      const { pair } = await loadCleanPair(config, store, dataDir, spec, timeframe, fromMs, toMs, options.dq !== false);
      if (pair.length === 0)
        throw new PtError(
          'CORE_FEATURES_WARMUP',
          `${spec.pair_id} ${timeframe}: no aligned bars in the store (run pt ingest for ${spec.leg_A.canonical_symbol} and ${spec.leg_B.canonical_symbol})`,
          { source: 'label' },
        );
      const f = computePairFeatures(pair, featureParams);
      const inputs = labelInputsFromFeatures(f, config.features_policy.signal_z);
      const base = join(dataDir, 'labels', timeframe, spec.pair_id);
      const lines: string[] = [];
      if (kind !== 'ai2') {
        const ev = buildAi1Events(inputs, labelParams);
        const n = ev.t0.length;
        const columns: TableColumn[] = [
          { name: 'ts_t0', kind: 'timestamp', values: Float64Array.from(ev.t0, (i) => f.ts[i]!) },
          { name: 'ts_t1', kind: 'timestamp', values: Float64Array.from(ev.t1, (i) => f.ts[i]!) },
          { name: 'direction', kind: 'varchar', values: Array.from(ev.direction, (d) => spreadSideName(d)) },
          { name: 'y', kind: 'double', values: Float64Array.from(ev.y) },
        ];
        const out = options.outEvents ? resolve(String(options.outEvents)) : join(base, 'events.parquet');
        await writeTable(out, columns, { ...kv, pair_id: spec.pair_id });
        const c = ev.counts;
        lines.push(
          `  AI1: ${n} events, positive rate ${n ? pct(c.positives / n) : '-'}, censored ${c.censored}, suppressed ${c.suppressed}, speed-excluded ${c.speedExcluded} (candidates ${c.candidates}) → ${out}`,
        );
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
        const out = options.outRisk ? resolve(String(options.outRisk)) : join(base, 'risk.parquet');
        await writeTable(out, columns, { ...kv, pair_id: spec.pair_id });
        const c = risk.counts;
        lines.push(
          `  AI2: ${c.rows} rows, risk_now ${pct(c.riskNowRate)} (corr ${pct(c.corrRate)}, vol ${pct(c.volRate)}, speed ${pct(c.speedRate)}, dd ${pct(c.ddRate)}), y2 on ${c.y2Rows} rows at ${pct(c.y2Rate)} → ${out}`,
        );
      }
      process.stdout.write(
        `${spec.pair_id} ${timeframe}: ${f.length} aligned bars, ${f.length - f.firstValid} valid\n${lines.join('\n')}\n`,
      );
    });
    return 0;
  } finally {
    await store.close();
  }
}
