// Stress windows: half-open bar-index ranges of an aligned pair, and the documented default (the middle 20%).

/** Bars `start` (inclusive) to `end` (exclusive) of an aligned pair. */
export interface StressWindow {
  start: number;
  end: number;
}

/** Default window as fractions of the period: the middle 20% (bars ⌊0.4·n⌋ to ⌊0.6·n⌋). */
export const DEFAULT_STRESS_WINDOW_FRACTIONS: readonly [number, number] = [0.4, 0.6];

/** The window covering fractions [from, to) of a pair of `length` bars. */
export function windowFromFractions(
  length: number,
  [from, to]: readonly [number, number] = DEFAULT_STRESS_WINDOW_FRACTIONS,
): StressWindow {
  if (!(from >= 0 && from < to && to <= 1)) throw new RangeError(`invalid window fractions [${from}, ${to})`);
  return { start: Math.floor(from * length), end: Math.floor(to * length) };
}

/** The default stress windows of a pair of `length` bars (one window: the middle 20%). */
export function defaultStressWindows(length: number): StressWindow[] {
  return [windowFromFractions(length)];
}

/** Checks windows lie inside [0, length), are non-empty, sorted and disjoint; returns them unchanged. */
export function checkWindows(windows: readonly StressWindow[], length: number): readonly StressWindow[] {
  let prevEnd = 0;
  for (const w of windows) {
    if (
      !Number.isInteger(w.start) ||
      !Number.isInteger(w.end) ||
      w.start < prevEnd ||
      w.end <= w.start ||
      w.end > length
    ) {
      throw new RangeError(
        `invalid stress window [${w.start}, ${w.end}) for ${length} bars (windows must be sorted, disjoint, non-empty)`,
      );
    }
    prevEnd = w.end;
  }
  return windows;
}

/** 1 for bars inside any window, 0 elsewhere. */
export function windowMask(windows: readonly StressWindow[], length: number): Uint8Array {
  const mask = new Uint8Array(length);
  for (const w of checkWindows(windows, length)) mask.fill(1, w.start, w.end);
  return mask;
}
