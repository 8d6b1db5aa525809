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
  const minute = Math.floor((((tsMs % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
  let found = Number.NaN;
  for (const w of compiled(multipliers)) {
    const inside = w.start < w.end ? minute >= w.start && minute < w.end : minute >= w.start || minute < w.end;
    if (inside) found = Number.isNaN(found) ? w.value : Math.max(found, w.value);
  }
  return Number.isNaN(found) ? 1.0 : found;
}

interface Window {
  start: number;
  end: number;
  value: number;
}

// Fills call this in the backtest's hot loop: parse each table's windows once.
const cache = new WeakMap<Record<string, number>, Window[]>();

function compiled(multipliers: Record<string, number>): Window[] {
  let ws = cache.get(multipliers);
  if (!ws) {
    ws = Object.entries(multipliers).map(([window, value]) => {
      const [startText, endText] = window.split('-');
      return { start: minutes(startText!), end: minutes(endText!) % DAY_MIN, value };
    });
    cache.set(multipliers, ws);
  }
  return ws;
}
