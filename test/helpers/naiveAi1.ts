// SPEC §3.1's batch pseudo-code line by line, with objects and arrays, sharing no code with src/ (the label tests' reference).
export interface NaiveParams {
  zEntry: number;
  zExit: number;
  M: number;
  K: number;
  thetaSpeed: number;
}

/** The pseudo-code of SPEC §3.1 line by line, with objects and arrays, sharing no code with src/. */
export function naiveAi1(z: number[], deltaZ: number[], valid: boolean[], p: NaiveParams) {
  const events: number[][] = [];
  /** Every event start, censored ones included: the bars an entry may happen at (SPEC §7). */
  const starts: number[] = [];
  const counts = { candidates: 0, events: 0, positives: 0, censored: 0, suppressed: 0, speedExcluded: 0 };
  const lastBar = z.length - 1;
  let active: { t0: number; d: number; end: number } | null = null;
  for (let t = 0; t < z.length; t++) {
    if (!valid[t]) continue;
    if (active !== null && t > active.end) active = null;
    if (Math.abs(z[t]!) < p.zEntry) continue;
    counts.candidates += 1;
    const d = Math.sign(z[t]!);
    if (active !== null && active.d === d) {
      counts.suppressed += 1;
      continue;
    }
    if (active !== null && active.d !== d) active = null;
    const window: number[] = [];
    for (let i = t - p.K + 1; i <= t; i++) window.push(i >= 0 ? Math.abs(deltaZ[i]!) : Number.NaN);
    const mean = window.reduce((a, b) => a + b, 0) / p.K;
    if (mean > p.thetaSpeed) {
      counts.speedExcluded += 1;
      continue;
    }
    let hit: number | null = null;
    for (let j = 1; j <= p.M; j++) {
      if (t + j > lastBar) break;
      if (Math.abs(z[t + j]!) <= p.zExit) {
        hit = j;
        break;
      }
    }
    let y: number;
    let t1: number;
    let censored = false;
    if (hit !== null) {
      y = 1;
      t1 = t + hit;
    } else if (t + p.M <= lastBar) {
      y = 0;
      t1 = t + p.M;
    } else {
      censored = true;
      y = 0;
      t1 = t + p.M;
    }
    active = { t0: t, d, end: t1 };
    starts.push(t);
    if (censored) {
      counts.censored += 1;
      continue;
    }
    // Stored as the event's SpreadSide: −d (a rich spread, d = +1, is sold).
    events.push([t, t1, -d, y]);
    counts.events += 1;
    counts.positives += y;
  }
  return { events, counts, starts };
}
