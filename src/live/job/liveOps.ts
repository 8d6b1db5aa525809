// The ops each pair of a shard decides with at a bar (SPEC §7, §8): the manual flags (pt ops, read from
// the bus), the portfolio drawdown level on account.json's equity, each pair's σ level on its
// pnl_usd, and freshness — a stale bar takes no new entry, while exits and flattens go out. One
// object per pair, overwritten each bar (no allocation per bar). The manual flags: a soft halt stops
// entries, a hard one also holds positions (only a flatten closes), a graceful flatten closes one
// pair per bar, and a resume's canary scales the size down until its time (wall clock) passes.
import type { PairSpec } from '../../config/schemas/index.js';
import type { OpsState } from '../../decision/decide.js';
import {
  opsForLevels,
  PairDrawdown,
  PortfolioDrawdown,
  type DdLevel,
  type DdPolicyParams,
  type PairMark,
} from '../../decision/ddPolicy.js';
import type { OpsFlags } from '../../ports/liveBus.js';
import type { AccountSnapshot } from '../account/accountSnapshot.js';

const open = (): OpsState => ({ allowEntries: true, flatten: false, leverageScale: 1 });

export class LiveOps {
  private readonly portfolio: PortfolioDrawdown;
  private readonly pairs: PairDrawdown[];
  private readonly mark: PairMark = { tsMs: 0, pnlUsd: 0 };
  private readonly manual: OpsState[];
  readonly ops: OpsState[];
  /** The portfolio level and each pair's at the last bar. */
  portfolioLevel: DdLevel = 0;
  /** The portfolio drawdown at the last bar with an account (a fraction of the trailing peak). */
  get portfolioDrawdown(): number {
    return this.portfolio.drawdown;
  }
  readonly pairLevels: DdLevel[];

  constructor(
    private readonly specs: readonly PairSpec[],
    private readonly params: DdPolicyParams,
    initialCapitalUsd: number,
    /** Whether pair j holds a position now (before this bar's decision): a graceful flatten skips flat pairs. */
    private readonly holding: (j: number) => boolean = () => true,
  ) {
    this.portfolio = new PortfolioDrawdown(params, initialCapitalUsd);
    this.pairs = specs.map(() => new PairDrawdown(params));
    this.manual = specs.map(open);
    this.ops = specs.map(open);
    this.pairLevels = specs.map(() => 0);
  }

  /**
   * The ops at bar `tsMs`. Without an account snapshot there is no equity, so no DD level (a replay,
   * or before the EA's first write); a pair without `pnl_usd` has no pair level.
   */
  at(
    tsMs: number,
    flags: OpsFlags,
    account: AccountSnapshot | undefined,
    stale: boolean,
    wallMs: number = Date.now(),
  ): readonly OpsState[] {
    this.portfolioLevel = account === undefined ? 0 : this.portfolio.onBarClose(account.equity);
    // A graceful flatten closes one pair of the shard per bar, in universe order: the first still holding.
    let gracefulTaken = false;
    const portfolioCanary = (flags.canaryUntil.portfolio ?? 0) > wallMs;
    for (let j = 0; j < this.specs.length; j++) {
      const pairId = this.specs[j]!.pair_id;
      const manual = this.manual[j]!;
      manual.allowEntries = !flags.globalHalt && !flags.haltedPairs.includes(pairId);
      manual.holdExits = flags.hardHalt || flags.hardPairs.includes(pairId);
      manual.flatten = flags.flattenPairs.includes(pairId);
      if (manual.flatten && flags.gracefulPairs.includes(pairId) && this.holding(j)) {
        manual.flatten = !gracefulTaken;
        gracefulTaken = true;
      }
      const canary = portfolioCanary || (flags.canaryUntil[pairId] ?? 0) > wallMs;
      manual.leverageScale = flags.leverageScale * (canary ? flags.canaryScale : 1);
      const pnlUsd = account?.positions.get(pairId)?.pnlUsd;
      let pairLevel: DdLevel = 0;
      if (pnlUsd !== undefined) {
        this.mark.tsMs = tsMs;
        this.mark.pnlUsd = pnlUsd;
        pairLevel = this.pairs[j]!.onMark(this.mark);
      }
      this.pairLevels[j] = pairLevel;
      const out = this.ops[j]!;
      opsForLevels(this.portfolioLevel, pairLevel, this.params, out, manual);
      if (stale) out.allowEntries = false;
    }
    return this.ops;
  }
}
