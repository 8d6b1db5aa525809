// pt cv and pt train: thin shells over src/train (load the group, run, print the tables).
import { join, resolve } from 'node:path';
import { loadConfig } from '../../config/loadConfig.js';
import type { PtConfig } from '../../config/schemas/index.js';
import { maybeDate, maybePositiveNumber, maybeRange, maybeTimeframeOption } from '../cliOptions.js';
import { PtError } from '../../core/ptError.js';
import { openBarStore } from '../../adapters/duckdb/index.js';
import type { TableColumn } from '../../adapters/duckdb/tableParquetWriter.js';
import { loadGroup, type GroupData } from '../../train/loadGroup.js';
import { runCv, type CvReport, type ModelKind } from '../../train/runCv.js';
import { runTrain } from '../../train/runTrain.js';
import { METRIC_COLUMNS, type ModelMetrics } from '../../train/evaluate.js';
import { ProgressBar } from '../progressBar.js';
import { writeTable } from '../writeTable.js';
import { pairsByIds } from '../resolvePairs.js';

const fmt = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v) ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(4);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows]
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
    .join('\n');
}

export function formatCv(report: CvReport): string {
  const keys = METRIC_COLUMNS[report.kind];
  const rows = report.folds.map((f) => [
    `fold ${f.fold}`,
    ...keys.map((k) => fmt(f.metrics[k] as number)),
    String(f.purged),
    String(f.embargoed),
  ]);
  rows.push([
    'mean ± std',
    ...keys.map((k) => `${fmt(report.summary[k]!.mean)} ± ${fmt(report.summary[k]!.std)}`),
    '',
    '',
  ]);
  const warn = report.warnings.length ? `\n  warnings: ${report.warnings.join('; ')}` : '';
  return `${report.kind.toUpperCase()} purged ${report.folds.length}-fold CV\n${table(['', ...keys, 'purged', 'embargoed'], rows)}${warn}`;
}

function formatOos(kind: ModelKind, steps: number, m: ModelMetrics): string {
  const keys = METRIC_COLUMNS[kind];
  return `${kind.toUpperCase()} walk-forward OOS (${steps} steps)\n${table(['', ...keys], [['oos', ...keys.map((k) => fmt(m[k] as number))]])}`;
}

async function withGroup(
  options: Record<string, unknown>,
  run: (config: PtConfig, group: GroupData, seed: number, dataDir: string) => Promise<number>,
): Promise<number> {
  const config = loadConfig(options.configDir as string | undefined);
  const timeframe = maybeTimeframeOption(options.timeframe, config);
  if (!options.group && !options.pairs)
    throw new PtError(
      'CORE_CLI_USAGE',
      '--group or --pairs is required (a group of universe.yaml, e.g. --group metals)',
      { exitCode: 2 },
    );
  const pairSpecs = options.pairs === undefined ? undefined : pairsByIds(config, String(options.pairs));
  const groupName = options.group ? String(options.group) : 'custom';
  const fromMs = maybeDate(options.from, '--from');
  const toMs = maybeDate(options.to, '--to');
  maybeRange(fromMs, toMs);
  const seed =
    options.seed === undefined ? config.retrain_policy.seed : Math.floor(maybePositiveNumber(options.seed, '--seed')!);
  const dataDir = resolve(String(options.dataDir ?? 'data'));
  const store = await openBarStore(dataDir);
  let group: GroupData;
  try {
    group = await loadGroup(config, store, dataDir, groupName, timeframe, { fromMs, toMs }, pairSpecs);
  } finally {
    await store.close();
  }
  for (const s of group.skipped) process.stderr.write(`skipping ${s.pairId}: ${s.reason}\n`);
  process.stdout.write(
    `group ${group.group} ${timeframe}: ${group.pairs.map((p) => `${p.pairId} (${p.ai1.t0.length} events)`).join(', ')}; seed ${seed}\n`,
  );
  return run(config, group, seed, dataDir);
}

export async function runCvCommand(options: Record<string, unknown>): Promise<number> {
  return withGroup(options, async (config, group, seed) => {
    const kinds: ModelKind[] = options.model === 'ai1' ? ['ai1'] : options.model === 'ai2' ? ['ai2'] : ['ai1', 'ai2'];
    const bar = new ProgressBar();
    for (const kind of kinds) {
      const report = runCv(config, group.pairs, group.timeframe, kind, seed, (done, total) =>
        bar.update(`${kind} fold ${done}/${total}`, done, total),
      );
      bar.finish();
      process.stdout.write(`${formatCv(report)}\n\n`);
    }
    return 0;
  });
}

export async function runTrainCommand(options: Record<string, unknown>): Promise<number> {
  return withGroup(options, async (config, group, seed, dataDir) => {
    const bar = new ProgressBar();
    const modelsDir = resolve(String(options.out ?? 'models'));
    const result = await runTrain(config, group, seed, modelsDir, (p) => bar.update(p.stage, p.done, p.total));
    bar.finish();
    for (const r of result.results) process.stdout.write(`${formatOos(r.kind, r.oos.steps, r.oos.metrics)}\n\n`);
    for (const r of result.results) process.stdout.write(`${formatCv(r.cv)}\n\n`);
    for (const r of result.results) {
      const rows = r.oos.rows;
      const columns: TableColumn[] = [
        { name: 'ts_t0', kind: 'timestamp', values: Float64Array.from(rows, (i) => r.data.t0[i]!) },
        { name: 'ts_t1', kind: 'timestamp', values: Float64Array.from(rows, (i) => r.data.t1[i]!) },
        { name: 'pair_id', kind: 'varchar', values: Array.from(rows, (i) => group.pairs[r.data.pair[i]!]!.pairId) },
        { name: 'y', kind: 'double', values: Float64Array.from(rows, (i) => r.data.y[i]!) },
        { name: r.kind === 'ai1' ? 'return_prob' : 'risk_score', kind: 'double', values: r.oos.probs },
      ];
      await writeTable(
        join(dataDir, 'predictions', group.timeframe, group.group, result.version, `oos_${r.kind}.parquet`),
        columns,
        { pt_model_version: result.version },
      );
    }
    process.stdout.write(
      `model ${result.version} written to ${result.dir} (signed); OOS predictions in ${join(dataDir, 'predictions', group.timeframe, group.group, result.version)}\n`,
    );
    return 0;
  });
}
