// pt retrain: for the group asked (or every group with a CURRENT pointer), the retrain job with the
// adapters wired in: the DuckDB store, Parquet tables, the configured provider for the ingest step,
// and the reload request (SIGHUP to running shards, core:ops:reload) after a promotion.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openBarStore, readParquetTable } from '../../adapters/duckdb/index.js';
import { loadConfig } from '../../config/loadConfig.js';
import { pairsByIds } from '../../config/pairsByIds.js';
import type { PairSpec, PtConfig } from '../../config/schemas/index.js';
import { isPtError, PtError } from '../../core/ptError.js';
import { ingestFailure } from '../../data/job/runIngestJob.js';
import { CURRENT_FILE, parseModelVersion, readCurrentModel } from '../../ml/registry/index.js';
import { formatPromotionChecks } from '../../ops/model/promotionDecision.js';
import { runRetrainJob, type RetrainJobResult } from '../../retrain/runRetrainJob.js';
import { configDirOption, type RawOptions } from '../options/cliOptions.js';
import { parseRetrainOptions } from '../options/parseRetrainOptions.js';
import { ProgressBar } from '../progressBar.js';
import { requestShardReload } from '../requestShardReload.js';
import { writeTable } from '../writeTable.js';
import { sendAlerts } from '../opsAlerts.js';
import type { AlertInput } from '../../ports/alerts.js';
import { ingestWithProgress } from './ingest.js';

/** Every group folder under models/ with a CURRENT pointer, by name. */
async function groupsWithCurrent(modelsDir: string): Promise<string[]> {
  const entries = await readdir(modelsDir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && !parseModelVersion(e.name) && existsSync(join(modelsDir, e.name, CURRENT_FILE)))
    .map((e) => e.name)
    .sort();
}

/** A universe group's pairs; for another name (`custom`, pt quickstart's), the pairs its model in force was trained on. */
async function pairsOf(config: PtConfig, modelsDir: string, group: string): Promise<PairSpec[]> {
  const own = config.universe.pairs.filter((p) => p.group === group);
  if (own.length > 0) return own;
  const current = await readCurrentModel(modelsDir, group).catch(() => undefined);
  if (current) {
    const metrics = JSON.parse(await readFile(join(current.dir, 'metrics.json'), 'utf8').catch(() => '{}')) as {
      pairs?: unknown;
    };
    if (Array.isArray(metrics.pairs) && metrics.pairs.length > 0) return pairsByIds(config, metrics.pairs.map(String));
  }
  throw new PtError(
    'CORE_CLI_USAGE',
    `group ${group} is not a group of universe.yaml and has no model in force naming its pairs: pass a group of universe.yaml`,
    { exitCode: 2 },
  );
}

function formatOutcome(group: string, r: RetrainJobResult): string {
  const lines = ['', `== decision for ${group}`];
  if (r.decision) lines.push(...formatPromotionChecks(r.decision));
  lines.push(
    `${r.outcome} ${r.candidateWritten ? r.candidate : 'no candidate'}${r.inForce ? ` (in force: ${r.inForce})` : ' (no model in force)'}: ${r.reason}`,
  );
  if (r.outcome === 'promoted')
    lines.push(`models/${group}/CURRENT now names ${r.candidate}; pt live picks it up on its reload`);
  if (r.outcome === 'held')
    lines.push(`models/${group}/CURRENT unchanged; the candidate stays in models/ until pruned`);
  if (r.outcome.startsWith('would'))
    lines.push(
      `dry run: nothing was changed in models/${r.candidateWritten ? ' (the candidate was removed again)' : ''}`,
    );
  for (const v of r.pruned) lines.push(`pruned ${v}`);
  for (const t of r.reloaded) lines.push(`reload: ${t}`);
  return `${lines.join('\n')}\n`;
}

export async function runRetrainCommand(raw: RawOptions): Promise<number> {
  const config = loadConfig(configDirOption(raw));
  const o = parseRetrainOptions(raw, config);
  const groups = o.group ? [o.group] : await groupsWithCurrent(o.modelsDir);
  if (groups.length === 0)
    throw new PtError(
      'CORE_CLI_USAGE',
      `no group under ${o.modelsDir} has a CURRENT pointer: pass --group (a group of universe.yaml) for a first model`,
      { exitCode: 2 },
    );
  // pt quickstart's store holds the bundled sample: there is nothing newer to ingest into it.
  const quickstartStore = existsSync(join(o.dataDir, '.quickstart'));
  for (const group of groups) {
    const pairs = await pairsOf(config, o.modelsDir, group);
    const symbols = [...new Set(pairs.flatMap((p) => [p.leg_A.canonical_symbol, p.leg_B.canonical_symbol]))];
    const source = o.source;
    const ingest =
      source === null
        ? undefined
        : quickstartStore
          ? () => Promise.resolve([`${o.dataDir} is pt quickstart's store of the bundled sample: nothing to ingest`])
          : async () => {
              const summary = await ingestWithProgress(config, {
                source,
                symbols,
                timeframe: o.timeframe,
                full: false,
                dataDir: o.dataDir,
              });
              const failure = ingestFailure(summary);
              if (failure) throw failure;
              return [];
            };
    process.stdout.write(
      `pt retrain ${group} ${o.timeframe}${o.dryRun ? ' (dry run)' : ''}: ${pairs.map((p) => p.pair_id).join(', ')}\n`,
    );
    const bar = new ProgressBar();
    const opsDir = resolve(config.signals_policy.ops_dir);
    const result = await runRetrainJob(
      config,
      {
        group,
        pairs,
        timeframe: o.timeframe,
        seed: o.seed,
        dataDir: o.dataDir,
        modelsDir: o.modelsDir,
        auditPath: o.auditPath,
        dryRun: o.dryRun,
        retries: config.retrain_policy.retrain_retry_max,
        retention: config.retrain_policy.model_version_retention,
        trials: config.core_policy.tpe.max_trials,
        ...(o.actor ? { actor: o.actor } : {}),
      },
      {
        openBarStore,
        writeTable,
        readTable: readParquetTable,
        ...(ingest ? { ingest } : {}),
        requestReload: () => requestShardReload(config, { dataDir: o.dataDir }),
        onStep: (n, total, what) => {
          bar.finish();
          process.stdout.write(`\n== ${n}/${total} ${what}\n`);
        },
        onLine: (line) => {
          bar.finish();
          process.stdout.write(`${line}\n`);
        },
        onProgress: (label, done, total) => bar.update(label, done, total),
        onRetry: (step, attempt, tries, error) => {
          bar.finish();
          const why = error instanceof Error ? error.message : String(error);
          process.stderr.write(
            attempt < tries
              ? `retrain ${group}: step ${step} failed (try ${attempt}/${tries}): ${why}; retrying\n`
              : `retrain ${group}: step ${step} failed (try ${attempt}/${tries}, the last): ${why}\n`,
          );
        },
      },
    )
      .catch(async (e: unknown) => {
        // The failure pages (CRITICAL) before the command reports it; the model in force is untouched.
        // The bar is cleared first: a delivery that fails prints its warning line.
        bar.finish();
        if (isPtError(e) && e.id === 'OPS_RETRAIN_FAILED')
          await sendAlerts(
            config,
            opsDir,
            [
              {
                errorId: 'OPS_RETRAIN_FAILED',
                source: `retrain ${group}`,
                message: e.message,
                details: { group, ...e.details },
                dedupeKey: group,
              },
            ],
            'retrain',
          );
        throw e;
      })
      .finally(() => bar.finish());
    process.stdout.write(formatOutcome(group, result));
    const alert = retrainAlert(group, result);
    if (alert) await sendAlerts(config, opsDir, [alert], 'retrain');
  }
  return 0;
}

/** A promotion or a hold as the INFO alert of #analytics-info; a dry run announces nothing. */
function retrainAlert(group: string, r: RetrainJobResult): AlertInput | undefined {
  if (r.outcome !== 'promoted' && r.outcome !== 'held') return undefined;
  return {
    errorId: r.outcome === 'promoted' ? 'OPS_RETRAIN_PROMOTED' : 'OPS_RETRAIN_HELD',
    source: `retrain ${group}`,
    message: `${r.outcome} ${r.candidateWritten ? r.candidate : 'no candidate'} (in force: ${r.inForce ?? 'none'}): ${r.reason}`,
    details: {
      group,
      candidate: r.candidateWritten ? r.candidate : null,
      in_force: r.inForce ?? null,
      reason: r.reason,
    },
    // Each run's outcome is news: keyed by the candidate, never suppressed as a repeat of another run's.
    dedupeKey: `${group}|${r.candidate}`,
  };
}
