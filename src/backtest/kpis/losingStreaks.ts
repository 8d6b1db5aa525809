// Histogram of runs of consecutive losing trades, in exit order.

/** `count` runs of exactly `length` consecutive losing trades. */
export interface LosingStreakBin {
  length: number;
  count: number;
}

/**
 * A loss is P&L < 0; a zero-P&L trade is not a loss and ends a run. `pnlInExitOrder` must be in the
 * order the trades closed. Bins are sorted by length; lengths with no run are omitted.
 */
export function losingStreaks(pnlInExitOrder: ArrayLike<number>): LosingStreakBin[] {
  const counts = new Map<number, number>();
  let run = 0;
  const close = (): void => {
    if (run > 0) counts.set(run, (counts.get(run) ?? 0) + 1);
    run = 0;
  };
  for (let i = 0; i < pnlInExitOrder.length; i++) {
    if (pnlInExitOrder[i]! < 0) run++;
    else close();
  }
  close();
  return [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([length, count]) => ({ length, count }));
}
