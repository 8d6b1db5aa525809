// The EA's alerts in account.json (a naked leg, an entry given up: entry_failed, second_leg_failed,
// no_margin, entry_expired) as log lines: each once when it appears — CRITICAL when the EA marks it
// critical (SPEC §8: account.json is the truth about positions), else a warning — and once when it is gone.
import type { AccountAlert } from './accountSnapshot.js';

export interface AlertLog {
  warn(entry: object): void;
  error(entry: object): void;
  info?(entry: object): void;
}

export class AccountAlerts {
  private readonly active = new Map<string, AccountAlert>();

  constructor(private readonly log: AlertLog | undefined) {}

  /** The alerts of the latest account.json. */
  report(alerts: readonly AccountAlert[]): void {
    const seen = new Set<string>();
    for (const a of alerts) {
      const key = `${a.pairId}|${a.alert}`;
      seen.add(key);
      if (this.active.has(key)) continue;
      this.active.set(key, a);
      const details = { pair_id: a.pairId, alert: a.alert, lots_A: a.lotsA ?? null, lots_B: a.lotsB ?? null };
      if (a.critical) this.log?.error({ event: 'account_alert', severity: 'CRITICAL', details });
      else this.log?.warn({ event: 'account_alert', details });
    }
    for (const [key, a] of this.active)
      if (!seen.has(key)) {
        this.active.delete(key);
        this.log?.info?.({ event: 'account_alert_cleared', details: { pair_id: a.pairId, alert: a.alert } });
      }
  }
}
