// The slippage multiplier of a fill instant from cost_table.yaml `time_of_day_multipliers` (UTC windows).

const DAY_MIN = 1440;

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/**
 * Windows are `"HH:MM-HH:MM"` in UTC, start inclusive and end exclusive, so "22:00-01:00" and
 * "01:00-07:00" meet at 01:00 without overlapping. An end at or before the start wraps past
 * midnight ("22:00-01:00" is 22:00 → 24:00 and 00:00 → 01:00); equal start and end is the whole day.
 * Outside every window the multiplier is 1.0. If windows overlap, the largest multiplier applies:
 * the costlier reading is the safe one for a backtest. Seconds are ignored (a fill at 00:59:59
 * is in the 00:59 minute).
 */
export function timeOfDayMultiplier(multipliers: Record<string, number>, tsMs: number): number {
  const d = new Date(tsMs);
  const minute = d.getUTCHours() * 60 + d.getUTCMinutes();
  let found: number | undefined;
  for (const [window, value] of Object.entries(multipliers)) {
    const [startText, endText] = window.split('-');
    const start = minutes(startText!);
    const end = minutes(endText!) % DAY_MIN;
    const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
    if (inside) found = found === undefined ? value : Math.max(found, value);
  }
  return found ?? 1.0;
}
