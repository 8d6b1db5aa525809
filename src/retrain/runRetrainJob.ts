// pt retrain as a library job (the seed's monthly retrain): ingest → DQ → features → labels → train
// (walk-forward) → θ → the candidate against the model in force on the same out-of-sample bars → the
// SPEC §7 gate → promote (moveCurrentModel, prune, reload) or hold. Every step is retried; a step that
// still fails leaves CURRENT as it was (docs/operations.md, "Retrain").
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PairSpec, PtConfig } from '../config/schemas/index.js';
import { isPtError, PtError } from '../core/ptError.js';
import { isoUtc, type Timeframe } from '../core/time.js';
import { formatDqRun, runDqJob } from '../data/job/runDqJob.js';
import { formatPairFeatures, runFeaturesJob } from '../data/job/runFeaturesJob.js';
import { formatPairLabels, runLabelJob } from '../data/job/runLabelJob.js';
import { loadModelBundle } from '../ml/modelBundle.js';
import { parseModelVersion, readCurrentModel, type CurrentModel } from '../ml/registry/index.js';
import { appendAudit } from '../ops/audit/appendAudit.js';
import { moveCurrentModel } from '../ops/model/moveCurrentModel.js';
import { promotionDecision, type PromotionDecision } from '../ops/model/promotionDecision.js';
import { protectedVersions, pruneModelVersions } from '../ops/model/pruneModelVersions.js';
import { runOptimizeJob } from '../optimize/job/runOptimizeJob.js';
import type { OpenBarStore } from '../ports/barStore.js';
import type { ReadTable, WriteTable } from '../ports/tableWriter.js';
import { formatGroupLine, loadGroupJob } from '../train/job/loadGroupJob.js';
import { formatTrainRun, runTrainJob } from '../train/job/runTrainJob.js';
import { compareWithInForce, type Comparison } from './compareWithInForce.js';
import { withRetry } from './withRetry.js';

export interface RetrainJobOptions {
  group: string;
  pairs: PairSpec[];
  timeframe: Timeframe;
  seed: number;
  /** Absolute paths. */
  dataDir: string;
  modelsDir: string;
  auditPath: string;
  /** Decide and print, change nothing: no pointer move, no prune, no reload; the candidate is removed. */
  dryRun: boolean;
  /** retrain_policy.retrain_retry_max: tries after the first of each step. */
  retries: number;
  /** retrain_policy.model_version_retention. */
  retention: number;
  /** TPE trials of the θ step (core_policy.tpe.max_trials). */
  trials: number;
  actor?: string;
}

export interface RetrainJobDeps {
  openBarStore: OpenBarStore;
  writeTable: WriteTable;
  readTable: ReadTable;
  /** Brings the store up to now (the configured provider); absent with --no-ingest. Returns lines to print. */
  ingest?: () => Promise<string[]>;
  /** Asks running `pt live` shards to reload (SIGHUP, core:ops:reload); returns what was told. */
  requestReload?: () => Promise<string[]>;
  /** `== n/total what` before each step. */
  onStep: (n: number, total: number, what: string) => void;
  onLine: (line: string) => void;
  onProgress?: (label: string, done: number, total: number) => void;
  /** A failed try of a step (retried, or the last). */
  onRetry?: (step: string, attempt: number, tries: number, error: unknown) => void;
}

export interface RetrainJobResult {
  outcome: 'promoted' | 'held' | 'would promote' | 'would hold';
  reason: string;
  /** The candidate's version name, or `(not written)` when training refused it. */
  candidate: string;
  candidateWritten: boolean;
  inForce: string | null;
  decision?: PromotionDecision;
  comparison?: Comparison;
  /** Versions the prune removed (after a promotion). */
  pruned: string[];
  /** What the reload request reached (after a promotion). */
  reloaded: string[];
}

async function inForceOf(modelsDir: string, group: string): Promise<CurrentModel | null> {
  try {
    return await readCurrentModel(modelsDir, group);
  } catch (e) {
    if (isPtError(e) && e.id === 'CORE_MODEL_NOCURRENT') return null;
    throw e;
  }
}

const STEPS = 8;
const NOT_WRITTEN = '(not written)';

export async function runRetrainJob(
  config: PtConfig,
  o: RetrainJobOptions,
  deps: RetrainJobDeps,
): Promise<RetrainJobResult> {
  const step = <T>(name: string, run: () => Promise<T>): Promise<T> =>
    withRetry(name, o.retries, run, (f) => deps.onRetry?.(f.step, f.attempt, f.tries, f.error));
  const { timeframe, dataDir } = o;
  const symbols = [...new Set(o.pairs.flatMap((p) => [p.leg_A.canonical_symbol, p.leg_B.canonical_symbol]))];
  // Read first: a CURRENT naming a missing folder stops the run before any work.
  const inForceAtStart = await inForceOf(o.modelsDir, o.group);
  let candidate: { version: string; dir: string } | undefined;
  try {
    deps.onStep(1, STEPS, deps.ingest ? `ingest up to now (${symbols.join(', ')})` : 'ingest skipped (--no-ingest)');
    if (deps.ingest) for (const line of await step('ingest', deps.ingest)) deps.onLine(line);

    deps.onStep(2, STEPS, 'data quality');
    const dq = await step('dq', () =>
      runDqJob(config, { symbols, timeframe, dataDir }, { openBarStore: deps.openBarStore }),
    );
    for (const line of formatDqRun(dq)) deps.onLine(line);

    deps.onStep(3, STEPS, 'features');
    await step('features', () =>
      runFeaturesJob(
        config,
        { pairs: o.pairs, timeframe, dq: true, dataDir },
        {
          openBarStore: deps.openBarStore,
          writeTable: deps.writeTable,
          onPair: (r) => deps.onLine(formatPairFeatures(r)),
        },
      ),
    );

    deps.onStep(4, STEPS, 'labels');
    await step('labels', () =>
      runLabelJob(
        config,
        { pairs: o.pairs, timeframe, kind: 'all', dq: true, dataDir },
        {
          openBarStore: deps.openBarStore,
          writeTable: deps.writeTable,
          onPair: (r) => deps.onLine(formatPairLabels(r)),
        },
      ),
    );

    deps.onStep(5, STEPS, 'train the candidate (walk-forward OOS, purged CV, final fit, signed model)');
    const trained = await step('train', async () => {
      // A try that fails after writing its version (e.g. while writing the predictions) takes it back.
      const before = new Set(await versionNames(o.modelsDir));
      const undo = async () => {
        for (const v of await versionNames(o.modelsDir)) if (!before.has(v)) await removeCandidate(o, v);
      };
      try {
        const group = await loadGroupJob(config, { group: o.group, pairs: o.pairs, timeframe, dataDir }, deps);
        deps.onLine(formatGroupLine(group, o.seed));
        const r = await runTrainJob(
          config,
          group,
          { seed: o.seed, modelsDir: o.modelsDir, dataDir },
          {
            writeTable: deps.writeTable,
            ...(deps.onProgress ? { onProgress: (p) => deps.onProgress!(p.stage, p.done, p.total) } : {}),
          },
        );
        if (!r.refusal) candidate = { version: r.train.version, dir: r.train.dir };
        return r;
      } catch (e) {
        await undo();
        throw e;
      }
    });
    deps.onLine(formatTrainRun(trained).trimEnd());
    const inForce = inForceAtStart?.version ?? null;
    if (trained.refusal) {
      // A model that learned nothing is never promoted; it was not written.
      const reason = `the candidate learned nothing: ${trained.refusal.message}`;
      return await hold(o, inForce, NOT_WRITTEN, reason, deps);
    }
    const cand = candidate!;

    deps.onStep(6, STEPS, `optimise θ1/θ2 of ${cand.version} on its walk-forward OOS predictions`);
    const optimized = await step('optimize', () =>
      runOptimizeJob(
        config,
        {
          modelDir: cand.dir,
          group: o.group,
          pairs: o.pairs,
          timeframe,
          trials: o.trials,
          seed: o.seed,
          apply: !o.dryRun,
          dataDir,
        },
        {
          openBarStore: deps.openBarStore,
          readTable: deps.readTable,
          ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
        },
      ),
    );
    deps.onLine(
      optimized.applied ??
        `θ search: no feasible θ in ${optimized.run.trials.length} trials; the candidate keeps θ1/θ2 of its params.yaml`,
    );
    const bundleTheta = optimized.applyResult?.applied ?? optimized.proposal?.applied;

    deps.onStep(
      7,
      STEPS,
      `backtest ${cand.version} against ${inForce ?? 'no model in force'} on the same out-of-sample bars`,
    );
    const comparison = await step('compare', async () => {
      const theta = bundleTheta ?? (await candidateTheta(cand.dir));
      return compareWithInForce(
        config,
        {
          pairs: o.pairs,
          timeframe,
          group: o.group,
          dataDir,
          candidate: { ...cand, theta },
          inForce: inForceAtStart ? { dir: inForceAtStart.dir, version: inForceAtStart.version } : null,
        },
        { openBarStore: deps.openBarStore, readTable: deps.readTable },
      );
    });
    for (const line of formatComparison(comparison)) deps.onLine(line);

    deps.onStep(8, STEPS, 'decide');
    if (!comparison.period || !comparison.candidate) {
      const reason = comparison.inForceDataEnd
        ? `no bar after the data of the model in force (${inForce}, last bar learned ${comparison.inForceDataEnd.iso}, from its ${comparison.inForceDataEnd.source}) has a candidate OOS prediction: the two cannot be compared out of sample until newer bars are ingested`
        : 'the candidate has no walk-forward OOS prediction on these bars';
      return await hold(o, inForce, cand.version, reason, deps);
    }
    const decision = promotionDecision(
      comparison.candidate.kpis,
      comparison.inForce?.kpis ?? null,
      comparison.candidate.falseStopRate,
      config.backtest_policy.acceptance,
    );
    if (!decision.promote) return await hold(o, inForce, cand.version, decision.reason, deps, decision, comparison);
    if (o.dryRun) {
      await removeCandidate(o, cand.version);
      return {
        outcome: 'would promote',
        reason: decision.reason,
        candidate: cand.version,
        candidateWritten: true,
        inForce,
        decision,
        comparison,
        pruned: [],
        reloaded: [],
      };
    }
    const details = {
      period: { from: isoUtc(comparison.period.from), to: isoUtc(comparison.period.to) },
      checks: decision.checks,
    };
    const moved = await step('promote', () =>
      moveCurrentModel({
        modelsDir: o.modelsDir,
        group: o.group,
        version: cand.version,
        auditPath: o.auditPath,
        action: 'model.promote',
        reason: decision.reason,
        ...(o.actor ? { actor: o.actor } : {}),
        details,
      }),
    );
    // After the move, nothing may undo it: pruning and the reload only report their failures.
    const pruned = await prune(o, moved.before, deps);
    const reloaded = deps.requestReload
      ? await deps.requestReload().catch((e: unknown) => [`reload request failed: ${String(e)}`])
      : [];
    return {
      outcome: 'promoted',
      reason: decision.reason,
      candidate: cand.version,
      candidateWritten: true,
      inForce: moved.before,
      decision,
      comparison,
      pruned,
      reloaded,
    };
  } catch (error) {
    // Never the version CURRENT names: a promotion whose audit append failed has already moved the pointer.
    const named = await inForceOf(o.modelsDir, o.group).catch(() => null);
    if (candidate && named?.version !== candidate.version)
      await removeCandidate(o, candidate.version).catch(() => undefined);
    const cause = error instanceof Error ? error.message : String(error);
    await appendAudit(o.auditPath, {
      action: 'retrain.failed',
      scope: `model:${o.group}`,
      reason: cause,
      before: inForceAtStart?.version ?? null,
      after: inForceAtStart?.version ?? null,
      ...(o.actor ? { actor: o.actor } : {}),
      ...(isPtError(error) ? { error_id: error.id } : {}),
      dry_run: o.dryRun,
    }).catch(() => undefined);
    throw new PtError(
      'OPS_RETRAIN_FAILED',
      `retrain of ${o.group} failed after ${1 + o.retries} tries of a step: ${cause}; CURRENT still names ${inForceAtStart?.version ?? 'no version'}`,
      { source: 'retrain', cause: error, details: { group: o.group, in_force: inForceAtStart?.version ?? null } },
    );
  }
}

/** The version folder names under `modelsDir`. */
async function versionNames(modelsDir: string): Promise<string[]> {
  const entries = await readdir(modelsDir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  return entries.filter((e) => e.isDirectory() && parseModelVersion(e.name)).map((e) => e.name);
}

/** The candidate's θ in force when the θ step chose none: its params.yaml. */
async function candidateTheta(dir: string): Promise<{ theta1: number; theta2: number }> {
  const b = await loadModelBundle(dir);
  return { theta1: b.params.theta1, theta2: b.params.theta2 };
}

/** A dry run leaves no version behind: the folder and its OOS predictions go. */
async function removeCandidate(o: RetrainJobOptions, version: string): Promise<void> {
  await rm(join(o.modelsDir, version), { recursive: true, force: true });
  await rm(join(o.dataDir, 'predictions', o.timeframe, o.group, version), { recursive: true, force: true });
}

async function hold(
  o: RetrainJobOptions,
  inForce: string | null,
  candidate: string,
  reason: string,
  deps: RetrainJobDeps,
  decision?: PromotionDecision,
  comparison?: Comparison,
): Promise<RetrainJobResult> {
  if (o.dryRun) {
    if (candidate !== NOT_WRITTEN) await removeCandidate(o, candidate);
  } else
    // The held candidate stays in models/ for inspection until the retention prunes it.
    await appendAudit(o.auditPath, {
      action: 'model.hold',
      scope: `model:${o.group}`,
      reason,
      before: inForce,
      after: inForce,
      candidate,
      ...(o.actor ? { actor: o.actor } : {}),
      ...(decision ? { checks: decision.checks } : {}),
      ...(comparison?.period
        ? { period: { from: isoUtc(comparison.period.from), to: isoUtc(comparison.period.to) } }
        : {}),
    });
  return {
    outcome: o.dryRun ? 'would hold' : 'held',
    reason,
    candidate,
    candidateWritten: candidate !== NOT_WRITTEN,
    inForce,
    ...(decision ? { decision } : {}),
    ...(comparison ? { comparison } : {}),
    pruned: [],
    reloaded: [],
  };
}

async function prune(o: RetrainJobOptions, before: string | null, deps: RetrainJobDeps): Promise<string[]> {
  try {
    const keep = await protectedVersions(o.modelsDir, o.auditPath);
    if (before) keep.set(before, `in force for ${o.group} before this promotion`);
    const removed = await pruneModelVersions(o.modelsDir, o.retention, new Set(keep.keys()));
    if (removed.length > 0)
      await appendAudit(o.auditPath, {
        action: 'model.prune',
        scope: 'models',
        reason: `model_version_retention ${o.retention}`,
        before: null,
        after: null,
        removed,
        ...(o.actor ? { actor: o.actor } : {}),
      });
    return removed;
  } catch (e) {
    deps.onLine(`note: pruning models/ failed (${e instanceof Error ? e.message : String(e)}); the promotion stands`);
    return [];
  }
}

const num = (x: number, digits = 3): string => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

/** The period and both models' KPIs there, as printed before the decision. */
export function formatComparison(c: Comparison): string[] {
  const out: string[] = [];
  if (c.inForceDataEnd)
    out.push(`model in force learned bars up to ${c.inForceDataEnd.iso} (${c.inForceDataEnd.source})`);
  if (!c.period) return [...out, 'no common out-of-sample period'];
  out.push(`comparison period ${isoUtc(c.period.from)}..${isoUtc(c.period.to)} (out of sample for both)`);
  for (const [what, m] of [
    ['candidate', c.candidate],
    ['in force ', c.inForce],
  ] as const)
    if (m)
      out.push(
        `${what} ${m.version} θ1=${m.theta.theta1} θ2=${m.theta.theta2}: Sharpe ${num(m.kpis.sharpe, 2)}, MaxDD ${num(m.kpis.maxDrawdown)}, trades ${m.kpis.trades}, E/trade ${num(m.kpis.ePerTrade, 5)}, false-stop ${m.falseStopRate === null ? '-' : num(m.falseStopRate)}`,
      );
  return out;
}
