// pt live --shard N as a library job (SPEC §8): one single-threaded process for the shard's pairs.
// Start-up: the shard lock, the model (verified), θ (the latest applied record, else params.yaml),
// the local cache. Then every closed bar: LivePair (features → ONNX → the shared kernel) with the ops
// of that moment (ops flags from the bus, the DD policy on account.json's equity, freshness), then
// signal.json (validated, atomic), the bus, the history and the cache. A replay first re-runs the
// history before --from (or before the cache's last committed bar) silently, so a restart rebuilds
// exactly the state it had and never re-opens a position it already announced.
import { dirname } from 'node:path';
import type { PairSpec, PtConfig } from '../../config/schemas/index.js';
import { encodeState } from '../../features/stateCodec.js';
import { F } from '../../features/featureNames.js';
import { PtError } from '../../core/ptError.js';
import { barsPerDay, timeframeMs, type Timeframe } from '../../core/time.js';
import { resolveDecisionParams } from '../../decision/decisionParams.js';
import { ddPolicyParamsFrom } from '../../decision/ddPolicy.js';
import type { OpsState } from '../../decision/decide.js';
import { kernelParamsFrom, type PairAction } from '../../decision/pairKernel.js';
import { PairSessionGate } from '../../decision/sessionGate.js';
import { featureParamsFrom } from '../../features/featureParams.js';
import { bundleScorer, loadModelBundle } from '../../ml/modelBundle.js';
import { appliedThetaInput } from '../../ml/registry/index.js';
import { FLAT, spreadSideName } from '../../model/spreadSide.js';
import type { OpenBarStore } from '../../ports/barStore.js';
import type { LegBar, LegBarFeed } from '../../ports/legBarFeed.js';
import type { AlertSink } from '../../ports/alerts.js';
import type { LiveBus, OpsFlags } from '../../ports/liveBus.js';
import type { CachedBar, LiveCache } from '../../ports/liveCache.js';
import type { WriteTable } from '../../ports/tableWriter.js';
import { LivePair } from '../livePair.js';
import { runReplayLoop, type ReplaySink, type ReplaySpeed } from '../replayLoop.js';
import { shardPairs } from '../shardPairs.js';
import {
  nextSeq,
  SignalHistory,
  signalEntryFrom,
  signalId,
  writeSignalFile,
  type SignalEntry,
  type SignalFile,
} from '../signal/index.js';
import { loadReplay, type ReplayData } from '../sources/replaySource.js';
import { runStreamLoop } from '../stream/runStreamLoop.js';
import { ShardBarAssembler } from '../stream/shardBarAssembler.js';
import { StreamConversion } from '../stream/streamConversion.js';
import { newLiveBar } from '../livePair.js';
import type { AccountSnapshot } from '../account/accountSnapshot.js';
import { readAccount } from '../account/readAccount.js';
import { reconcile, type BelievedPosition } from '../account/reconcile.js';
import { livePaths, type LivePaths } from './livePaths.js';
import { AccountAlerts } from '../account/accountAlerts.js';
import { LiveOps } from './liveOps.js';
import { DrawdownWatch } from './drawdownWatch.js';
import { LiveAlerts } from './liveAlerts.js';
import { planReload } from './planReload.js';

export interface LiveJobOptions {
  shard: number;
  source: 'replay' | 'watch' | 'provider';
  timeframe: Timeframe;
  fromMs?: number;
  toMs?: number;
  speed: ReplaySpeed;
  /** The model version folder (already resolved: --model-dir or the CURRENT pointer). */
  modelDir: string;
  signalDir?: string;
  /** A what-if replay's θ (resolveDecisionParams' --theta1/--theta2). */
  theta1?: number;
  theta2?: number;
  dataDir: string;
}

export interface LiveMetricsSink {
  inferMs(ms: number): void;
  barToSignalMs(ms: number): void;
  signalEmitted(action: string): void;
  pipelineLagSeconds(s: number): void;
  /** After each heartbeat (wall ms). */
  heartbeat?(ms: number): void;
  /** signal.json written for a new bar: wall time, the bar's close (ms) and how many pairs' bars it carries. */
  signalWritten?(generatedMs: number, barCloseMs: number, pairs: number): void;
}

export interface LiveJobDeps {
  openBarStore: OpenBarStore;
  openBus: (opsDir: string) => Promise<LiveBus>;
  openCache: (path: string) => LiveCache;
  /** Locks `<root>/live/shard_<N>` (root: the data folder, or its replay/ folder). */
  acquireLock: (root: string, shard: number) => Promise<{ release(): Promise<void> }>;
  writeTable: WriteTable;
  metrics?: LiveMetricsSink;
  log?: {
    debug(entry: object): void;
    info?(entry: object): void;
    warn(entry: object): void;
    error(entry: object): void;
  };
  /** Wall clock (ms). */
  now?: () => number;
  /** SIGTERM: finish the current bar, flush, stop. */
  stopRequested?: () => boolean;
  /** The live source of --watch or the provider (the CLI's adapters); undefined: only --replay runs. */
  openFeed?: () => LegBarFeed;
  /** How often a live source's loop looks at the clock between bars (ms); 1000 unless said. */
  pollMs?: number;
  /** Whether a SIGHUP came since the last call. */
  reloadRequested?: () => boolean;
  /** A reload's view of the world: the config re-read and the model folder (--model-dir, or CURRENT re-read). */
  reload?: () => Promise<{ config: PtConfig; modelDir: string }>;
  /** Where the shard's alerts go (DD halt/flatten, reconcile, stale, account, losing streak): liveAlerts.ts. */
  alerts?: AlertSink;
}

export interface LiveJobResult {
  paths: LivePaths;
  modelVersion: string;
  thetaSource: string;
  pairIds: string[];
  /** Bar times replayed (warm-up included) and emitted. */
  barTimes: number;
  emitted: number;
  lastSeq?: number;
  /** The first bar time emitted by this run (after --from and the cache's checkpoint). */
  emitFromMs: number;
  stopped: boolean;
  /** A reload changed the model or config: the caller runs the job again with them (the changes). */
  restart?: string;
  notes: string[];
}

/** The cache key of the shard's checkpoint: the last bar time whose signal.json, history and bus writes completed. */
const CHECKPOINT = '__shard__';
/** Most bar times a max-speed replay batches before the history, bus and cache writes. */
const BATCH = 64;

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The position a signal entry's target says the pair holds; FLAT before any entry. */
function believedFrom(e: SignalEntry | undefined): BelievedPosition {
  if (!e || e.target.legs.length === 0) return { side: 0, lotsA: 0, lotsB: 0 };
  const signed = (i: number) => (e.target.legs[i]!.side === 'BUY' ? 1 : -1) * e.target.legs[i]!.lots;
  return { side: e.target.side === 'LONG_SPREAD' ? 1 : -1, lotsA: signed(0), lotsB: signed(1) };
}

export async function runLiveJob(config: PtConfig, o: LiveJobOptions, deps: LiveJobDeps): Promise<LiveJobResult> {
  const streaming = o.source !== 'replay';
  if (streaming && !deps.openFeed)
    throw new PtError('CORE_INTERNAL_BUG', `pt live ${o.source}: no live source was given to the job`);
  const now = deps.now ?? Date.now;
  const log = deps.log;
  const notes: string[] = [];
  const specs: PairSpec[] = shardPairs(config, o.shard);
  const paths = livePaths(config, o);
  const barMs = timeframeMs(o.timeframe);
  const lock = await deps.acquireLock(dirname(paths.stateDir), o.shard);
  let cache: LiveCache | undefined;
  let bus: LiveBus | undefined;
  try {
    // The model: verified (signature, calibration binding, degenerate refusal, feature schema).
    const bundle = await loadModelBundle(o.modelDir, undefined, o.timeframe);
    const applied = await appliedThetaInput(o.modelDir);
    // θ: a replay's --theta1/--theta2, else the latest applied record, else params.yaml (also on reload).
    const decideWith = (cfg: PtConfig, applied: Awaited<ReturnType<typeof appliedThetaInput>>) =>
      resolveDecisionParams(cfg, {
        model: { version: bundle.version, params: bundle.params },
        ...(applied ? { applied } : {}),
        theta1: o.theta1,
        theta2: o.theta2,
      });
    const decision = decideWith(config, applied);
    notes.push(...decision.notes);
    const kernelParams = kernelParamsFrom(config, decision.params, {
      signalZ: decision.signalZ,
      speedLookbackBars: decision.speedLookbackBars,
    });
    const scorer = bundleScorer(bundle);

    cache = deps.openCache(paths.cachePath);
    const checkpoint = cache.featureState(CHECKPOINT)?.barTsMs;
    const store = await deps.openBarStore(o.dataDir);
    let data;
    try {
      data = await loadReplay(config, store, o.dataDir, specs, o.timeframe, streaming ? undefined : o.toMs);
    } finally {
      await store.close();
    }
    // A replay emits from --from (or after the checkpoint); a live source after the checkpoint, and on
    // a first start only the bars that arrive from now on (the store's history is warm-up).
    const emitFromMs = streaming
      ? checkpoint !== undefined
        ? checkpoint + 1
        : lastStoredTs(data) + 1
      : Math.max(o.fromMs ?? Number.NEGATIVE_INFINITY, checkpoint !== undefined ? checkpoint + 1 : -Infinity);
    if (checkpoint !== undefined)
      notes.push(`resuming after ${new Date(checkpoint).toISOString()} (the cache's last committed bar)`);
    const fp = featureParamsFrom(config);
    const pairs = specs.map((s) => new LivePair(s, fp, kernelParams, new PairSessionGate(config, s), scorer, barMs));
    bus = await deps.openBus(paths.opsDir);
    const history = new SignalHistory(paths.historyDir, deps.writeTable);
    const ctx = {
      shard: o.shard,
      barMs,
      positionScale: kernelParams.positionScale,
      ttlBars: config.signals_policy.signal_ttl_bars,
    };

    // The ops of each bar: flags (bus) and the portfolio DD on account.json's equity, when there is one.
    const ddParams = ddPolicyParamsFrom(config.dd_policy, barsPerDay(o.timeframe));
    const accountAlerts = new AccountAlerts(log);
    const liveOps = new LiveOps(
      specs,
      ddParams,
      config.backtest_policy.initial_capital_usd,
      (j) => pairs[j]!.kernel.state.position !== FLAT,
    );
    const normal: OpsState[] = specs.map(() => ({ allowEntries: true, flatten: false, leverageScale: 1 }));
    const ddWatch = new DrawdownWatch(o.shard, specs, bus, paths.auditPath, log);
    const alerts = new LiveAlerts(o.shard, specs, deps.alerts);
    let flags: OpsFlags | undefined;
    let account: AccountSnapshot | undefined;
    let accountMissingOk = true;
    const jobStartedMs = now();
    const lotSteps = new Map(
      specs.map((sp) => [sp.pair_id, { lotStepA: sp.leg_A.lot_step, lotStepB: sp.leg_B.lot_step }]),
    );
    let lastHeartbeat = Number.NEGATIVE_INFINITY;
    // Freshness (SPEC §8): a live source's bar arriving later than the budget after its close, or the
    // next bar overdue by more than it, makes the shard stale: no new entries, exits still go out.
    const budgetMs = config.pipeline_policy.freshness_budget_seconds[o.timeframe] * 1000;
    let stale = false;
    // Reload (SIGHUP, core:ops:reload): θ in place, anything else by a restart of the job.
    let restart: string | undefined;
    const stopRequested = () => restart !== undefined || deps.stopRequested?.() === true;
    // The bus is asked at most once a second of wall time: a max-speed replay steps thousands of bars a
    // second, and a reload needs no faster answer. A SIGHUP is only a flag: looked at every time.
    let reloadPolledAt = Number.NEGATIVE_INFINITY;
    const maybeReload = async (): Promise<void> => {
      const bySignal = deps.reloadRequested?.() === true;
      let byBus = false;
      if (!bySignal && performance.now() - reloadPolledAt >= 1000) {
        reloadPolledAt = performance.now();
        byBus = await bus!.takeReload();
      }
      if (!bySignal && !byBus) return;
      const trigger = bySignal ? 'SIGHUP' : 'core:ops:reload';
      try {
        const next = deps.reload ? await deps.reload() : { config, modelDir: o.modelDir };
        const nextParams =
          next.modelDir === o.modelDir
            ? decideWith(next.config, await appliedThetaInput(o.modelDir)).params
            : kernelParams.decision;
        const plan = planReload(
          { config, modelDir: o.modelDir, params: kernelParams.decision },
          { ...next, params: nextParams },
        );
        log?.info?.({ event: 'reload', details: { trigger, action: plan.kind, changes: plan.changes } });
        if (plan.kind === 'theta') {
          kernelParams.decision.theta1 = nextParams.theta1;
          kernelParams.decision.theta2 = nextParams.theta2;
          kernelParams.decision.thetaStop = nextParams.thetaStop;
        } else if (plan.kind === 'restart') restart = plan.changes.join('; ');
      } catch (error) {
        // A broken config or pointer keeps the running one: the shard goes on as it was.
        log?.error({
          event: 'reload_failed',
          details: {
            trigger,
            ...(error instanceof PtError ? { error_id: error.id } : {}),
            message: error instanceof Error ? error.message : String(error),
          },
        });
      }
    };
    let barArrived = 0;
    let checkedState = false;
    const heartbeatMs = config.signals_policy.heartbeat_interval_seconds * 1000;

    const latest: Array<SignalEntry | undefined> = specs.map(() => undefined);
    // Each pair's reconcile against account.json at its last emitted bar, for pt monitor (state `reconcile`).
    const reconciled: Array<'ok' | 'mismatch' | 'no_account'> = specs.map(() => 'no_account');
    let seq = cache.seq();
    const flat = (j: number, tsMs: number): SignalEntry => {
      const k = pairs[j]!.kernel;
      const side = k.action.targetSide;
      const entry = signalEntryFrom(k.action, specs[j]!, ctx);
      // Not a decision of this bar: the position the kernel holds, repeated ('hold').
      return {
        ...entry,
        signal_id: signalId(o.shard, specs[j]!.pair_id, tsMs, 'hold'),
        action: 'hold',
        side: spreadSideName(side),
        expires_at: null,
        reason: 'no bar yet',
      };
    };

    // What follows signal.json, per bar or per batch: the history, the bus (each pair's latest signal
    // and state), then one cache transaction ending with the checkpoint — a crash before it re-emits
    // those bars on restart (same signal_ids and content, newer seqs).
    // A max-speed replay, or a live source catching up on late (stale) bars, batches the rest per UTC
    // day (at most BATCH bar times); a fresh live bar is flushed at once.
    const batched = () => (streaming ? stale : o.speed === 'max');
    const pending: SignalFile[] = [];
    const dirty = new Set<number>();
    // A live source's bars, kept in the cache (its recent bars) with the bar's other writes.
    const pendingBars: Array<{ pairId: string; bar: CachedBar }> = [];
    let pendingDay = Number.NaN;
    let lastTs = Number.NaN;
    const publishLatest = async (lastSeq: number): Promise<void> => {
      for (const j of dirty) {
        const e = latest[j]!;
        await bus!.publishSignal(e.pair_id, e);
        await bus!.writeState(e.pair_id, {
          bar_ts: e.bar_ts,
          z: e.z,
          beta: e.beta,
          position: e.target.side,
          return_prob: e.return_prob,
          risk_score: e.risk_score,
          // The resume guard's |ρ| (SPEC §9): the pair's rolling correlation at this bar.
          rho: finiteOrNull(pairs[j]!.row[F.rho_rolling]!),
          seq: lastSeq,
          stale,
          tradable: pairs[j]!.kernel.action.tradable,
          // For pt monitor: the latest signal's action, when it was written (wall time) and the reconcile.
          signal_action: e.action,
          signal_at: new Date(now()).toISOString(),
          reconcile: reconciled[j]!,
        });
      }
    };
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      await history.appendBatch(pending);
      const lastSeq = pending[pending.length - 1]!.seq;
      pending.length = 0;
      await publishLatest(lastSeq);
      const checkpointTs = lastTs;
      cache!.commitBar(() => {
        cache!.setSeq(lastSeq);
        for (const j of dirty) {
          const k = pairs[j]!.kernel;
          cache!.setPosition(specs[j]!.pair_id, {
            side: k.action.targetSide as -1 | 0 | 1,
            lotsA: k.action.targetLotsA,
            lotsB: k.action.targetLotsB,
            // Flat: no entry time (the cache stores 0).
            openedTsMs: Number.isFinite(k.state.entryTsMs) ? k.state.entryTsMs : 0,
          });
          cache!.saveFeatureState(specs[j]!.pair_id, checkpointTs, encodeState(pairs[j]!.features.snapshot()));
        }
        cache!.saveFeatureState(CHECKPOINT, checkpointTs, '');
        for (const p of pendingBars) cache!.putBar(p.pairId, p.bar);
      });
      pendingBars.length = 0;
      dirty.clear();
    };
    /** signal.json with every pair's latest entry, under a new seq. */
    const writeShardFile = async (): Promise<SignalFile> => {
      seq = nextSeq(seq, now());
      const file: SignalFile = {
        schema_version: 'v1',
        shard: o.shard,
        seq,
        generated_at: new Date(now()).toISOString(),
        model_version: bundle.version,
        stale,
        ops: { global_halt: flags?.globalHalt ?? false, leverage_scale: flags?.leverageScale ?? 1 },
        signals: latest as SignalEntry[],
      };
      await writeSignalFile(paths.signalPath, file);
      return file;
    };
    const setStale = (value: boolean, barTsMs: number, lagMs: number): void => {
      if (value === stale) return;
      stale = value;
      const details = { bar_ts: new Date(barTsMs).toISOString(), lag_seconds: Math.round(lagMs / 1000) };
      if (value) {
        log?.warn({ event: 'stale', details: { ...details, budget_seconds: budgetMs / 1000 } });
        alerts.stale({ ...details, budget_seconds: budgetMs / 1000 });
      } else log?.info?.({ event: 'fresh', details });
    };
    const beat = async (): Promise<void> => {
      if (now() - lastHeartbeat < heartbeatMs) return;
      await bus!.heartbeat(o.shard, account ? { equity: account.equity, balance: account.balance } : undefined);
      lastHeartbeat = now();
      deps.metrics?.heartbeat?.(lastHeartbeat);
    };

    const sink: ReplaySink = {
      opsAt: async (tsMs, emitting) => {
        if (!emitting) return normal;
        await maybeReload();
        barArrived = performance.now();
        // A new UTC day closes the batch before any pair steps into it: the cache's snapshot is then
        // the state at the checkpoint bar exactly.
        const day = Math.floor(tsMs / 86_400_000);
        if (day !== pendingDay) await flush();
        pendingDay = day;
        if (!checkedState) {
          // The cached feature state against its recomputation from the store (the recomputation wins).
          checkedState = true;
          specs.forEach((sp, j) => {
            const cached = cache!.featureState(sp.pair_id);
            if (cached && cached.json !== encodeState(pairs[j]!.features.snapshot()))
              log?.warn({
                event: 'feature_state_mismatch',
                details: { pair_id: sp.pair_id, cached_bar_ts: new Date(cached.barTsMs).toISOString() },
              });
          });
        }
        flags = await bus!.readOpsFlags();
        const read = await readAccount(paths.accountPath, account, accountMissingOk ? undefined : log);
        // A replay takes only an account.json written during its own run (pt paper following it): one left
        // by an earlier run or a pt paper --history is another period's account, not this replay's broker.
        const earlier = read.text !== undefined && o.source === 'replay' && read.snapshot!.tsMs < jobStartedMs;
        if (read.text !== undefined && !earlier) {
          account = read.snapshot;
          cache!.saveAccount(read.text);
          accountAlerts.report(account!.alerts);
          alerts.account(account!.alerts);
        }
        // No account.json yet (a replay, or before the EA's first write): no equity, so no DD level.
        accountMissingOk = read.error?.id === 'CORE_FS_MISSING' && account === undefined;
        if (streaming) {
          const lagMs = now() - (tsMs + barMs);
          deps.metrics?.pipelineLagSeconds(lagMs / 1000);
          setStale(lagMs > budgetMs, tsMs, lagMs);
        }
        await beat();
        const ops = liveOps.at(tsMs, flags, account, stale, now());
        if (account) await ddWatch.after(tsMs, liveOps);
        if (account) alerts.drawdown(tsMs, liveOps);
        return ops;
      },
      emit: async (tsMs, stepped, actions: readonly PairAction[]) => {
        // account.json is the truth about positions: a pair the broker holds otherwise than the shard's
        // last target is held (SPEC §8), and logged CRITICAL.
        const mismatched = new Set<string>();
        if (account) {
          const believed = new Map(specs.map((sp, j) => [sp.pair_id, believedFrom(latest[j])] as const));
          for (const m of reconcile(believed, account, lotSteps)) {
            mismatched.add(m.pairId);
            log?.error({ event: 'reconcile_mismatch', severity: 'CRITICAL', details: m });
            alerts.mismatch(m, tsMs);
          }
        }
        stepped.forEach((j, n) => {
          const entry = signalEntryFrom(actions[n]!, specs[j]!, ctx);
          reconciled[j] = !account ? 'no_account' : mismatched.has(entry.pair_id) ? 'mismatch' : 'ok';
          latest[j] = mismatched.has(entry.pair_id)
            ? {
                ...entry,
                action: 'hold',
                reason: 'reconcile_mismatch',
                expires_at: null,
                signal_id: signalId(o.shard, entry.pair_id, tsMs, 'hold'),
              }
            : entry;
          deps.metrics?.inferMs(pairs[j]!.inferMs);
        });
        for (let j = 0; j < specs.length; j++) latest[j] ??= flat(j, tsMs);
        alerts.closes(stepped, actions, pairs);
        const file = await writeShardFile();
        deps.metrics?.barToSignalMs(performance.now() - barArrived);
        deps.metrics?.signalWritten?.(Date.parse(file.generated_at), tsMs + barMs, stepped.length);
        pending.push({ ...file, signals: stepped.map((j) => latest[j]!) });
        for (const j of stepped) {
          deps.metrics?.signalEmitted(latest[j]!.action);
          dirty.add(j);
          const b = pairs[j]!.lastBar;
          if (streaming && b)
            pendingBars.push({
              pairId: specs[j]!.pair_id,
              bar: {
                tsMs,
                aOpen: b.openA,
                aHigh: b.highA,
                aLow: b.lowA,
                aClose: b.closeA,
                bOpen: b.openB,
                bHigh: b.highB,
                bLow: b.lowB,
                bClose: b.closeB,
              },
            });
        }
        lastTs = tsMs;
        if (!batched() || pending.length >= BATCH) await flush();
        log?.debug({ event: 'bar', details: { bar_ts: new Date(tsMs).toISOString(), seq, pairs: stepped.length } });
      },
    };
    let result: { barTimes: number; emittedBarTimes: number; stopped: boolean };
    if (!streaming) {
      result = await runReplayLoop(
        data,
        pairs,
        {
          emitFromMs,
          toMs: o.toMs ?? Number.POSITIVE_INFINITY,
          speed: o.speed,
          barMs,
          stopRequested,
        },
        sink,
      );
    } else {
      // The store's history warms the state (and emits what closed after the checkpoint while the
      // process was down); then the live source from the store's last bar on.
      const warm = await runReplayLoop(
        data,
        pairs,
        { emitFromMs, toMs: Number.POSITIVE_INFINITY, speed: 'max', barMs, stopRequested: deps.stopRequested },
        sink,
      );
      await flush();
      const storedTo = lastStoredTs(data);
      const conversion = new StreamConversion(specs);
      conversion.seed(specs, data.conversionRate, storedTo);
      const assembler = new ShardBarAssembler(
        specs,
        {
          barMs,
          graceMs: Math.min(15_000, budgetMs / 4),
          maxFillRun: config.pipeline_policy.missing_fill_max_run,
        },
        conversion,
        newLiveBar,
      );
      assembler.markReleased(storedTo, lastCloses(data));
      const streamed = warm.stopped
        ? { barTimes: 0, emittedBarTimes: 0, stopped: true }
        : await runStreamLoop(
            deps.openFeed!(),
            assembler,
            pairs,
            {
              emitFromMs,
              fromMs: storedTo + barMs,
              symbols: [...new Set([...assembler.legSymbols, ...conversion.symbols])],
              now,
              stopRequested,
              ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}),
            },
            {
              ...sink,
              idle: async (nowMs: number) => {
                await flush();
                await beat();
                await maybeReload();
                // The next bar is overdue by more than the budget: re-announce the shard as stale.
                if (Number.isFinite(lastTs) && nowMs - (lastTs + 2 * barMs) > budgetMs && !stale) {
                  setStale(true, lastTs + barMs, nowMs - (lastTs + 2 * barMs));
                  await flush();
                  const file = await writeShardFile();
                  for (const j of specs.keys()) dirty.add(j);
                  await publishLatest(file.seq);
                  cache!.setSeq(file.seq);
                  dirty.clear();
                }
              },
              revisedLate: (bar: LegBar) =>
                log?.warn({
                  event: 'bar_revised_after_decision',
                  details: { symbol: bar.symbol, bar_ts: new Date(bar.tsMs).toISOString(), close: bar.close },
                }),
            },
          );
      result = {
        barTimes: warm.barTimes + streamed.barTimes,
        emittedBarTimes: warm.emittedBarTimes + streamed.emittedBarTimes,
        stopped: streamed.stopped,
      };
    }
    await flush();
    return {
      paths,
      modelVersion: bundle.version,
      thetaSource: decision.thetaSource,
      pairIds: specs.map((s) => s.pair_id),
      barTimes: result.barTimes,
      emitted: result.emittedBarTimes,
      ...(seq !== undefined ? { lastSeq: seq } : {}),
      emitFromMs,
      stopped: result.stopped && restart === undefined,
      ...(restart !== undefined ? { restart } : {}),
      notes,
    };
  } finally {
    await bus?.close();
    cache?.close();
    await lock.release();
  }
}

/** The newest bar time of the stored history (the warm-up's end). */
function lastStoredTs(data: ReplayData): number {
  const t = data.timeline.times;
  return t.length > 0 ? t[t.length - 1]! : Number.NEGATIVE_INFINITY;
}

/** Each leg's last stored close: a live leg missing at the next bar is filled forward from it. */
function lastCloses(data: ReplayData): Map<string, number> {
  const out = new Map<string, number>();
  data.pairs.forEach((p, j) => {
    const n = p.ts.length;
    if (n === 0) return;
    const spec = data.specs[j]!;
    out.set(spec.leg_A.canonical_symbol, p.a.close[n - 1]!);
    out.set(spec.leg_B.canonical_symbol, p.b.close[n - 1]!);
  });
  return out;
}
