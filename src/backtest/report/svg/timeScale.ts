// A linear scale over UTC epoch milliseconds whose ticks fall on month or year starts.
import { linearScale, type LinearScale } from './linearScale.js';

export interface TimeTick {
  ms: number;
  label: string;
}

export interface TimeScale {
  (ms: number): number;
  domain: readonly [number, number];
  range: readonly [number, number];
  ticks(maxTicks?: number): TimeTick[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Maps UTC ms onto pixels; ticks are the first day of every 1/2/3/6/12 months (or every day for short spans). */
export function timeScale(domain: readonly [number, number], range: readonly [number, number]): TimeScale {
  const lin: LinearScale = linearScale(domain, range);
  const scale = ((ms: number): number => lin(ms)) as TimeScale;
  scale.domain = lin.domain;
  scale.range = lin.range;
  scale.ticks = (maxTicks = 8): TimeTick[] => {
    const [a, b] = [Math.min(...domain), Math.max(...domain)];
    const start = new Date(a);
    const months =
      (new Date(b).getUTCFullYear() - start.getUTCFullYear()) * 12 + new Date(b).getUTCMonth() - start.getUTCMonth();
    if (months < 2) {
      const DAY = 86_400_000;
      const days = Math.max(1, Math.round((b - a) / DAY));
      const step = Math.max(1, Math.ceil(days / maxTicks));
      const out: TimeTick[] = [];
      for (let t = Math.ceil(a / DAY) * DAY; t <= b; t += step * DAY) {
        const d = new Date(t);
        out.push({ ms: t, label: `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}` });
      }
      return out;
    }
    const step = [1, 2, 3, 6, 12, 24, 60].find((s) => months / s <= maxTicks) ?? 120;
    const out: TimeTick[] = [];
    let y = start.getUTCFullYear();
    let m = start.getUTCMonth();
    for (;;) {
      const t = Date.UTC(y, m, 1);
      if (t > b) break;
      if (t >= a && (y * 12 + m) % step === 0) {
        out.push({ ms: t, label: m === 0 || step >= 12 ? String(y) : `${MONTHS[m]} ${y}` });
      }
      m += 1;
      if (m === 12) {
        m = 0;
        y += 1;
      }
    }
    return out;
  };
  return scale;
}
