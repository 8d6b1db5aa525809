// pt paper: the EA's contract in TypeScript on this machine. It reads a shard's signal.json files (the
// history in seq order, or signal.json as it changes), decides as the EA does (SignalIntake), fills each
// adopted target at its bar's close with the backtest's costs (PaperLedger), and writes account.json
// (which pt live reads), fills.csv and its own state.
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PairSpec, PtConfig } from '../config/schemas/index.js';
import { writeFileAtomic } from '../core/durableFs.js';
import { PtError } from '../core/ptError.js';
import { timeframeMs, type Timeframe } from '../core/time.js';
import type { BacktestTrade } from '../backtest/backtestTypes.js';
import type { SignalFile } from '../live/signal/signalTypes.js';
import type { OpenBarStore } from '../ports/barStore.js';
import type { ReadTable } from '../ports/tableWriter.js';
import { FILLS_HEADER, fillsCsvLines, paperAccountJson } from './paperAccountFile.js';
import { PaperLedger, type PaperOrder } from './paperLedger.js';
import { loadPaperPrices } from './paperPrices.js';
import { PaperSession, paperVolumes } from './paperSession.js';
import { readHistoryFiles } from './readHistoryFiles.js';
import type { IntakeState } from './signalIntake.js';

export interface PaperPaths {
  /** pt live's folder: <signalDir>/shard_<N>/signal.json and <signalDir>/history. */
  signalDir: string;
  /** What pt live reads (a replay's: <data>/replay/account.json). */
  accountPath: string;
  /** fills.csv and state.json: <signalDir>/paper/shard_<N>/. */
  paperDir: string;
}

export interface PaperJobOptions {
  shard: number;
  timeframe: Timeframe;
  dataDir: string;
  paths: PaperPaths;
  /** `history`: play <signalDir>/history once over [fromMs, toMs); `follow`: poll signal.json until stopped. */
  mode: 'history' | 'follow';
  fromMs?: number;
  toMs?: number;
  /**
   * The instant a file is read at, for expiry: `bar` — the close of its newest bar (as if read when
   * written: a replay's files); `wall` — the clock (a live shard's).
   */
  clock: 'bar' | 'wall';
  /** history: close what is open at each pair's last bar ('end_of_data'), as a backtest's last bar. */
  closeAtEnd: boolean;
  /** follow: how often signal.json is looked at (ms). */
  pollMs: number;
}

export interface PaperJobDeps {
  openBarStore: OpenBarStore;
  readTable: ReadTable;
  now: () => number;
  stopRequested: () => boolean;
  sleep: (ms: number) => Promise<void>;
  log?: { info(entry: object): void; warn(entry: object): void };
}

/** `files` to `orders` count this run's reading; trades and equity are the account's since its state began. */
export interface PaperJobResult {
  files: number;
  accepted: number;
  refused: number;
  orders: number;
  trades: BacktestTrade[];
  equityUsd: number;
  /** Orders still waiting for their bar (follow: the store lacks it yet). */
  waiting: number;
  /** model_version of the accepted files, in the order first seen. */
  modelVersions: string[];
}

/** What a restart of `pt paper --follow` needs: the intake's state and every order given. */
interface PaperState {
  version: 1;
  intake: IntakeState;
  orders: PaperOrder[];
  /** Per pair: the newest bar an accepted file named (the bars accounted up to). */
  known: Record<string, number>;
}

/** The newest bar close of a file: the instant its writer wrote it, at the earliest. */
function barClockOf(file: Pick<SignalFile, 'signals'>, barMs: number): number {
  let newest = Number.NEGATIVE_INFINITY;
  for (const s of file.signals) newest = Math.max(newest, Date.parse(s.bar_ts));
  return newest + barMs;
}

export async function runPaperJob(
  config: PtConfig,
  specs: PairSpec[],
  o: PaperJobOptions,
  deps: PaperJobDeps,
): Promise<PaperJobResult> {
  const barMs = timeframeMs(o.timeframe);
  const latency = config.backtest_policy.latency_bars;
  const capital = config.backtest_policy.initial_capital_usd;
  const fillsPath = join(o.paths.paperDir, 'fills.csv');
  const statePath = join(o.paths.paperDir, 'state.json');
  await mkdir(o.paths.paperDir, { recursive: true });
  await mkdir(dirname(o.paths.accountPath), { recursive: true });
  const { magics } = paperVolumes(specs);

  // A history run reads its files before anything is written: no files is an error, with nothing lost.
  const historyFiles =
    o.mode === 'history'
      ? await readHistoryFiles(join(o.paths.signalDir, 'history'), o.shard, deps.readTable, o.fromMs, o.toMs)
      : [];
  if (o.mode === 'history' && historyFiles.length === 0)
    throw new PtError(
      'DATA_INPUT_MISSING',
      `no signal.json of shard ${o.shard} in ${join(o.paths.signalDir, 'history')}${o.fromMs !== undefined || o.toMs !== undefined ? ' in the period' : ''}: run pt live --replay with this --signal-dir first`,
      { source: 'paper', exitCode: 2 },
    );
  let loaded = await loadPaperPrices(config, deps.openBarStore, o.dataDir, specs, o.timeframe, o.toMs);
  const ledger = new PaperLedger(config, specs, capital, barMs, latency, loaded.conversionRate);
  const saved = o.mode === 'follow' ? readState(statePath) : undefined;
  const session = new PaperSession(specs, ledger, saved?.intake);
  for (const [id, p] of loaded.prices) ledger.setPrices(id, p);
  if (saved) {
    session.restore(saved.orders, saved.known);
    session.advance();
  }
  // A history run is a whole run: its own fills log. A follow restart appends no fill twice: each order's
  // tickets are given in the order the orders were, so the restored ledger numbers its fills as before.
  if (o.mode === 'history') await rm(fillsPath, { force: true });
  const written = ticketsIn(fillsPath);
  const result: PaperJobResult = {
    files: 0,
    accepted: 0,
    refused: 0,
    orders: 0,
    trades: ledger.trades,
    equityUsd: 0,
    waiting: 0,
    modelVersions: [],
  };

  const flush = async (): Promise<void> => {
    const fills = ledger.takeFills().filter((f) => !written.has(f.ticket));
    if (fills.length > 0) {
      const head = existsSync(fillsPath) ? '' : `${FILLS_HEADER}\n`;
      await appendFile(fillsPath, head + fillsCsvLines(fills, magics));
      for (const f of fills) written.add(f.ticket);
    }
    await writeFileAtomic(o.paths.accountPath, `${JSON.stringify(paperAccountJson(ledger, deps.now()), null, 1)}\n`);
    if (o.mode === 'follow') {
      const state: PaperState = {
        version: 1,
        intake: session.intake.save(),
        orders: session.orders,
        known: session.knownTs(),
      };
      await writeFileAtomic(statePath, `${JSON.stringify(state)}\n`);
    }
  };

  const readOne = (text: string, nowMs: number): void => {
    const before = session.orders.length;
    const lastSeq = session.intake.seq();
    const step = session.read(text, nowMs);
    result.files++;
    if (step.file === 'accepted') {
      result.accepted++;
      const version = step.parsed!.model_version;
      if (!result.modelVersions.includes(version)) result.modelVersions.push(version);
    } else if (!(step.file === 'stale_seq' && seqOf(text) === lastSeq)) {
      // The file already taken (a restart reads it again) is not news.
      result.refused++;
      deps.log?.warn({ event: 'paper_file_refused', details: { status: step.file, error: step.error } });
    }
    const given = session.orders.slice(before);
    for (const d of step.decisions) {
      const orders = given.filter((g) => g.pairId === d.pair_id);
      if (orders.length > 0)
        deps.log?.info({
          event: 'paper_orders',
          details: { pair_id: d.pair_id, target: d.target, orders: orders.map((g) => g.kind) },
        });
      else if (!d.act && d.why !== 'seen' && step.file === 'accepted')
        // An open not taken (expired, halt, stale file, unsizable) is what a user looks for.
        deps.log?.[d.why === 'expired' || d.why === 'unsizable' ? 'warn' : 'info']({
          event: 'paper_entry_skipped',
          details: { pair_id: d.pair_id, why: d.why },
        });
    }
    result.orders += given.length;
  };

  if (o.mode === 'history') {
    for (const f of historyFiles) {
      readOne(JSON.stringify(f), o.clock === 'bar' ? barClockOf(f, barMs) : deps.now());
      session.advance();
    }
    if (o.closeAtEnd) for (const s of specs) ledger.advance(s.pair_id, Number.POSITIVE_INFINITY, true);
    await flush();
  } else {
    const signalPath = join(o.paths.signalDir, `shard_${o.shard}`, 'signal.json');
    let lastText = '';
    let reloadedAt = deps.now();
    let waitingLogged = false;
    let missingLogged = false;
    while (!deps.stopRequested()) {
      const text = existsSync(signalPath) ? readFileSync(signalPath, 'utf8') : '';
      if (!existsSync(signalPath) && !missingLogged)
        deps.log?.warn({ event: 'paper_waiting_for_signal', details: { path: signalPath } });
      missingLogged = !existsSync(signalPath);
      if (text !== '' && text !== lastText) {
        lastText = text;
        let nowMs = deps.now();
        if (o.clock === 'bar') {
          try {
            nowMs = barClockOf(JSON.parse(text) as SignalFile, barMs);
          } catch {
            // A torn file: the intake refuses it whatever the clock.
          }
        }
        readOne(text, nowMs);
        let behind = session.advance();
        // The store may have the bars by now (pt ingest, a replay's store); asked again at most once a minute.
        if (behind.length > 0 && deps.now() - reloadedAt >= 60_000) {
          reloadedAt = deps.now();
          loaded = await loadPaperPrices(config, deps.openBarStore, o.dataDir, specs, o.timeframe, o.toMs);
          for (const [id, p] of loaded.prices) ledger.setPrices(id, p);
          behind = session.advance();
        }
        if (behind.length > 0 && !waitingLogged)
          deps.log?.warn({ event: 'paper_waiting_for_bars', details: { pairs: behind } });
        waitingLogged = behind.length > 0;
        await flush();
      }
      await deps.sleep(o.pollMs);
    }
  }
  result.equityUsd = ledger.equityUsd();
  result.waiting = ledger.openOrders().length;
  return result;
}

function readState(path: string): PaperState | undefined {
  if (!existsSync(path)) return undefined;
  let state: PaperState;
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as PaperState;
  } catch (e) {
    throw new PtError('OPS_PAPER_STATE', `pt paper's state ${path} is not JSON: ${(e as Error).message}`, {
      source: 'paper',
    });
  }
  if (state.version !== 1 || !Array.isArray(state.orders) || typeof state.known !== 'object' || state.known === null)
    throw new PtError('OPS_PAPER_STATE', `pt paper's state ${path} is not a version 1 state`, { source: 'paper' });
  return state;
}

/** The tickets a fills log holds (its `order` column). */
function ticketsIn(path: string): Set<number> {
  const out = new Set<number>();
  if (!existsSync(path)) return out;
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    const ticket = Number(line.split(',')[10]);
    if (Number.isInteger(ticket) && ticket > 0) out.add(ticket);
  }
  return out;
}

/** A signal.json text's seq, or NaN when it does not parse. */
function seqOf(text: string): number {
  try {
    return Number((JSON.parse(text) as { seq?: unknown }).seq);
  } catch {
    return Number.NaN;
  }
}
