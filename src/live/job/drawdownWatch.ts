// The DD policy's automatic levels of a shard, made visible (SPEC §7, §9): they lift by themselves in the
// kernel's ops; here each change is logged, audited and mirrored beside the ops flags for pt ops and the monitor.
import type { PairSpec } from '../../config/schemas/index.js';
import { DD_LEVEL_NAMES } from '../../decision/ddPolicy.js';
import { appendAudit } from '../../ops/audit/appendAudit.js';
import type { LiveBus } from '../../ports/liveBus.js';
import type { LiveOps } from './liveOps.js';

type Log = { warn(entry: object): void; error(entry: object): void };

export class DrawdownWatch {
  private last = '';

  constructor(
    private readonly shard: number,
    private readonly specs: readonly PairSpec[],
    private readonly bus: LiveBus,
    /** Where automatic DD actions are audited (undefined: not audited). */
    private readonly auditPath: string | undefined,
    private readonly log?: Log,
  ) {}

  /**
   * After LiveOps.at for bar `tsMs` with an account: at the first such bar and at each change of the
   * portfolio level or of a pair's, one mirror write, one log line and (on a change, or a first level
   * above normal) one audit entry. Failures are logged: the bar goes on.
   */
  async after(tsMs: number, ops: LiveOps): Promise<void> {
    const level = DD_LEVEL_NAMES[ops.portfolioLevel];
    const pairs: Record<string, string> = {};
    ops.pairLevels.forEach((l, j) => {
      if (l !== 0) pairs[this.specs[j]!.pair_id] = DD_LEVEL_NAMES[l];
    });
    const key = `${level}|${JSON.stringify(pairs)}`;
    if (key === this.last) return;
    const first = this.last === '';
    const before = first ? null : (JSON.parse(this.last.slice(this.last.indexOf('|') + 1)) as Record<string, string>);
    const beforeLevel = first ? null : this.last.slice(0, this.last.indexOf('|'));
    this.last = key;
    const at = new Date(tsMs).toISOString();
    const drawdown = ops.portfolioDrawdown;
    try {
      await this.bus.mirrorDrawdown({
        shard: this.shard,
        level,
        since: at,
        drawdown,
        pairs,
        updated_at: new Date().toISOString(),
      });
    } catch (e) {
      this.log?.warn({ event: 'dd_mirror_failed', details: { message: e instanceof Error ? e.message : String(e) } });
    }
    if (first && level === 'normal' && Object.keys(pairs).length === 0) return;
    const details = {
      shard: this.shard,
      bar_ts: at,
      level,
      drawdown,
      pairs,
      before_level: beforeLevel,
      before_pairs: before,
    };
    if (level === 'flatten' || Object.values(pairs).includes('flatten'))
      this.log?.error({ event: 'dd_level', severity: 'CRITICAL', details });
    else this.log?.warn({ event: 'dd_level', details });
    if (!this.auditPath) return;
    try {
      await appendAudit(this.auditPath, {
        action: 'dd.action',
        actor: 'pt-live',
        scope: `shard:${this.shard}`,
        reason: 'automatic: dd_policy.yaml level change (lifts by itself)',
        before: first ? null : { level: beforeLevel, pairs: before },
        after: { level, pairs, drawdown },
        bar_ts: at,
      });
    } catch (e) {
      this.log?.error({ event: 'dd_audit_failed', details: { message: e instanceof Error ? e.message : String(e) } });
    }
  }
}
