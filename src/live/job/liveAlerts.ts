// What a pt live shard raises as alerts (docs/alerts.md): DD halt and flatten (the portfolio or a
// pair entering the level), a reconcile mismatch per pair, the shard turning stale, the EA's critical
// account alerts, and a losing streak. raise() is synchronous and cheap (the dispatcher queues), so
// these calls cost the bar loop nothing; suppression of repeats is the dispatcher's.
import { legPricePnlUsd } from '../../backtest/legPricePnl.js';
import type { PairSpec } from '../../config/schemas/index.js';
import { DD_LEVEL_NAMES } from '../../decision/ddPolicy.js';
import type { PairAction } from '../../decision/pairKernel.js';
import type { AlertSink } from '../../ports/alerts.js';
import type { AccountAlert } from '../account/accountSnapshot.js';
import type { ReconcileMismatch } from '../account/reconcile.js';
import type { LiveBar } from '../livePair.js';

/** Consecutive losing closes above which the shard alerts (seed: 連続損失 > 5). */
export const LOSING_STREAK_MAX = 5;

const HALT = 2;
const FLATTEN = 3;

interface OpenPosition {
  lotsA: number;
  lotsB: number;
  closeA: number;
  closeB: number;
}

export class LiveAlerts {
  private readonly source: string;
  private portfolioLevel = 0;
  private readonly pairLevels: number[];
  private readonly open: Array<OpenPosition | undefined>;
  private streak = 0;

  constructor(
    private readonly shard: number,
    private readonly specs: readonly PairSpec[],
    private readonly sink: AlertSink | undefined,
  ) {
    this.source = `live shard_${shard}`;
    this.pairLevels = specs.map(() => 0);
    this.open = specs.map(() => undefined);
  }

  /** After the DD policy at a bar with an account: a level rising to halt or flatten alerts once. */
  drawdown(
    tsMs: number,
    ops: { portfolioLevel: number; pairLevels: readonly number[]; portfolioDrawdown: number },
  ): void {
    const at = new Date(tsMs).toISOString();
    if (ops.portfolioLevel !== this.portfolioLevel) {
      if (ops.portfolioLevel >= HALT && ops.portfolioLevel > this.portfolioLevel)
        this.raiseDd(ops.portfolioLevel, 'portfolio', `shard_${this.shard}`, {
          shard: this.shard,
          bar_ts: at,
          level: DD_LEVEL_NAMES[ops.portfolioLevel as 0],
          drawdown: ops.portfolioDrawdown,
        });
      this.portfolioLevel = ops.portfolioLevel;
    }
    ops.pairLevels.forEach((level, j) => {
      if (level === this.pairLevels[j]) return;
      if (level >= HALT && level > this.pairLevels[j]!) {
        const pairId = this.specs[j]!.pair_id;
        this.raiseDd(level, pairId, pairId, {
          shard: this.shard,
          pair_id: pairId,
          bar_ts: at,
          level: DD_LEVEL_NAMES[level as 0],
        });
      }
      this.pairLevels[j] = level;
    });
  }

  private raiseDd(level: number, scope: string, key: string, details: Record<string, unknown>): void {
    const flatten = level === FLATTEN;
    const dd = typeof details.drawdown === 'number' ? ` (drawdown ${(details.drawdown * 100).toFixed(2)}%)` : '';
    this.sink?.raise({
      errorId: flatten ? 'OPS_DD_FLATTEN' : 'OPS_DD_HALT',
      source: this.source,
      message: `DD ${flatten ? 'flatten' : 'halt'}: ${scope}${dd} at ${String(details.bar_ts)}`,
      details,
      dedupeKey: key,
    });
  }

  mismatch(m: ReconcileMismatch, tsMs: number): void {
    this.sink?.raise({
      errorId: 'OPS_RECONCILE_MISMATCH',
      source: this.source,
      message: `${m.pairId}: broker holds ${m.broker.lotsA}/${m.broker.lotsB} lots, the shard's target is ${m.believed.lotsA}/${m.believed.lotsB}; pair held`,
      details: {
        shard: this.shard,
        pair_id: m.pairId,
        bar_ts: new Date(tsMs).toISOString(),
        believed: m.believed,
        broker: m.broker,
      },
      dedupeKey: m.pairId,
    });
  }

  stale(details: { bar_ts: string; lag_seconds: number; budget_seconds: number }): void {
    this.sink?.raise({
      errorId: 'DATA_FRESH_STALE',
      source: this.source,
      message: `stale: bar ${details.bar_ts} ${details.lag_seconds} s late (budget ${details.budget_seconds} s); no new entries`,
      details: { shard: this.shard, ...details },
      dedupeKey: `shard_${this.shard}`,
    });
  }

  /** The EA's alerts of the latest account.json: the critical ones (suppression keeps one per window). */
  account(alerts: readonly AccountAlert[]): void {
    for (const a of alerts)
      if (a.critical)
        this.sink?.raise({
          errorId: 'OPS_ACCOUNT_ALERT',
          source: this.source,
          message: `${a.pairId}: ${a.alert} (lots ${a.lotsA ?? '-'}/${a.lotsB ?? '-'})`,
          details: {
            shard: this.shard,
            pair_id: a.pairId,
            alert: a.alert,
            lots_A: a.lotsA ?? null,
            lots_B: a.lotsB ?? null,
          },
          dedupeKey: `${a.pairId}|${a.alert}`,
        });
  }

  /**
   * The closes of a bar: each close's spread P&L is the kernel's signed target lots times the legs'
   * moves since the entry bar's closes, in USD (contract size, quote conversion), costs left out;
   * more than LOSING_STREAK_MAX losing closes in a row across the shard alert. A position opened
   * before this process emitted (warm-up, restart) has no known entry and does not count.
   */
  closes(
    stepped: readonly number[],
    actions: readonly PairAction[],
    pairs: ReadonlyArray<{ readonly lastBar: LiveBar | undefined }>,
  ): void {
    stepped.forEach((j, n) => {
      const a = actions[n]!;
      const bar = pairs[j]!.lastBar;
      if (!bar) return;
      if (a.action === 'open') {
        this.open[j] = { lotsA: a.targetLotsA, lotsB: a.targetLotsB, closeA: bar.closeA, closeB: bar.closeB };
        return;
      }
      if (a.action !== 'close' && a.action !== 'flatten') return;
      const entry = this.open[j];
      this.open[j] = undefined;
      if (!entry) return;
      const spec = this.specs[j]!;
      const pnl =
        legPricePnlUsd(entry.lotsA, spec.leg_A.contract_size, bar.closeA, entry.closeA, bar.usdPerQuoteA) +
        legPricePnlUsd(entry.lotsB, spec.leg_B.contract_size, bar.closeB, entry.closeB, bar.usdPerQuoteB);
      if (!Number.isFinite(pnl)) return;
      this.streak = pnl < 0 ? this.streak + 1 : 0;
      if (this.streak > LOSING_STREAK_MAX)
        this.sink?.raise({
          errorId: 'ANALYTICS_LOSS_STREAK',
          source: this.source,
          message: `${this.streak} losing closes in a row (the last ${spec.pair_id}, ${pnl.toFixed(2)} USD before costs)`,
          details: {
            shard: this.shard,
            streak: this.streak,
            pair_id: spec.pair_id,
            bar_ts: new Date(a.tsMs).toISOString(),
            pnl_usd: pnl,
          },
          dedupeKey: `shard_${this.shard}`,
        });
    });
  }
}
