// A daily success rate (seed: ingest success ≥ 99.0% daily, DQ pass ≥ 95.0% daily): checks grouped by
// UTC day, each day's passed / checked, and the worst day as the measure.
import { utcDayStart } from '../core/time.js';

export interface DailyCheck {
  /** When the checks ran (UTC ms): a run's finish, a DQ report's generated_at. */
  atMs: number;
  checked: number;
  failed: number;
}

export interface DayRate {
  /** YYYY-MM-DD (UTC). */
  day: string;
  checked: number;
  failed: number;
  rate: number;
}

export interface DailyRate {
  /** Days with at least one check, ascending. */
  days: DayRate[];
  /** Over the whole window: (checked − failed) / checked; NaN with no check. */
  overall: number;
  /** The lowest day's rate (the SLO's measure: every day must meet it); NaN with no check. */
  worstDay: number;
  /** Days below `target`, ascending. */
  belowTarget: DayRate[];
}

/** Checks at times in [fromMs, toMs) only; a day with nothing checked is not a day of the rate. */
export function dailyRate(checks: readonly DailyCheck[], fromMs: number, toMs: number, target: number): DailyRate {
  const byDay = new Map<number, { checked: number; failed: number }>();
  let checked = 0;
  let failed = 0;
  for (const c of checks) {
    if (!(c.atMs >= fromMs && c.atMs < toMs) || c.checked === 0) continue;
    const d = utcDayStart(c.atMs);
    const agg = byDay.get(d) ?? { checked: 0, failed: 0 };
    agg.checked += c.checked;
    agg.failed += c.failed;
    byDay.set(d, agg);
    checked += c.checked;
    failed += c.failed;
  }
  const days = [...byDay.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([d, a]) => ({
      day: new Date(d).toISOString().slice(0, 10),
      ...a,
      rate: (a.checked - a.failed) / a.checked,
    }));
  return {
    days,
    overall: checked > 0 ? (checked - failed) / checked : Number.NaN,
    worstDay: days.length > 0 ? Math.min(...days.map((d) => d.rate)) : Number.NaN,
    belowTarget: days.filter((d) => d.rate < target),
  };
}
