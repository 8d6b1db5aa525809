// measureSignalSlo and dailyRate against a naive recomputation on random inputs, and what an empty
// window reports (no data: neither met nor missed).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dailyRate } from '../../src/slo/dailyRate.js';
import { deliveryKey, measureSignalSlo, nearestRank } from '../../src/slo/signalSlo.js';
import { sloRows } from '../../src/slo/sloReport.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 8);
const targets = { signal_availability: 0.995, ingest_success_rate: 0.99, dq_pass_rate: 0.95 };

describe('measureSignalSlo', () => {
  it('equals a naive count: in time ≤ served ≤ owed, rates and quantiles from the sorted lags', () => {
    const bar = fc.record({
      pair: fc.constantFrom('A_B', 'C_D'),
      index: fc.integer({ min: 0, max: 47 }),
      // undefined: never served; else seconds after the close
      lag: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(bar, { maxLength: 60 }), fc.integer({ min: 0, max: 50 }), (bars, asOfBars) => {
        const asOfMs = T0 + asOfBars * H;
        const owed = new Map<string, { pair: string; open: number; lag: number | undefined }>();
        for (const b of bars) owed.set(deliveryKey(b.pair, T0 + b.index * H), { ...b, open: T0 + b.index * H });
        const pairs = ['A_B', 'C_D'].map((p) => ({
          pairId: p,
          barOpens: [...owed.values()].filter((x) => x.pair === p).map((x) => x.open),
        }));
        const deliveries = new Map(
          [...owed.entries()].filter(([, x]) => x.lag !== undefined).map(([k, x]) => [k, x.open + H + x.lag! * 1000]),
        );
        const r = measureSignalSlo(pairs, deliveries, { barMs: H, budgetMs: 120_000, asOfMs });
        const due = [...owed.values()].filter((x) => x.open + H + 120_000 <= asOfMs);
        const lags = due.filter((x) => x.lag !== undefined).map((x) => x.lag!);
        const inTime = lags.filter((l) => l <= 120).length;
        expect(r.expected).toBe(due.length);
        expect(r.delivered).toBe(lags.length);
        expect(r.inTime).toBe(inTime);
        expect(r.missed).toHaveLength(due.length - inTime);
        if (due.length > 0) expect(r.availability).toBe(inTime / due.length);
        else expect(r.availability).toBeNaN();
        const sorted = [...lags].sort((a, b) => a - b);
        expect(r.freshness.p95).toBe(lags.length ? sorted[Math.ceil(0.95 * lags.length) - 1] : Number.NaN);
        expect(r.freshness.max).toBe(lags.length ? sorted[sorted.length - 1] : Number.NaN);
      }),
    );
  });

  it('nearest rank: the value at rank ⌈q·n⌉', () => {
    expect(nearestRank([1, 2, 3, 4], 0.5)).toBe(2);
    expect(nearestRank([1, 2, 3, 4], 0.51)).toBe(3);
    expect(nearestRank([7], 0.99)).toBe(7);
    expect(nearestRank([], 0.5)).toBeNaN();
  });
});

describe('dailyRate', () => {
  it('sums per UTC day; the worst day is at most the overall rate, which is at most the best day', () => {
    const check = fc
      .record({ hour: fc.integer({ min: 0, max: 24 * 5 }), checked: fc.integer({ min: 0, max: 20 }) })
      .chain((c) =>
        fc.record({
          atMs: fc.constant(T0 + c.hour * H),
          checked: fc.constant(c.checked),
          failed: fc.integer({ min: 0, max: c.checked }),
        }),
      );
    fc.assert(
      fc.property(fc.array(check, { maxLength: 40 }), (checks) => {
        const r = dailyRate(checks, T0 + 24 * H, T0 + 96 * H, 0.99);
        const inside = checks.filter((c) => c.atMs >= T0 + 24 * H && c.atMs < T0 + 96 * H);
        const checked = inside.reduce((n, c) => n + c.checked, 0);
        const failed = inside.reduce((n, c) => n + c.failed, 0);
        expect(r.days.reduce((n, d) => n + d.checked, 0)).toBe(checked);
        expect(r.days.length).toBeLessThanOrEqual(3);
        if (checked === 0) {
          expect(r.overall).toBeNaN();
          return;
        }
        expect(r.overall).toBeCloseTo((checked - failed) / checked, 12);
        expect(r.worstDay).toBeLessThanOrEqual(r.overall + 1e-12);
        expect(Math.max(...r.days.map((d) => d.rate))).toBeGreaterThanOrEqual(r.overall - 1e-12);
        expect(r.belowTarget.every((d) => d.rate < 0.99)).toBe(true);
      }),
    );
  });
});

describe('an empty window', () => {
  it('reports no data, neither met nor missed', () => {
    const signal = measureSignalSlo([], new Map(), { barMs: H, budgetMs: 120_000, asOfMs: T0 });
    const none = dailyRate([], T0, T0 + H, 0.99);
    const rows = sloRows(signal, none, none, targets, 120);
    expect(rows.map((r) => [r.measured, r.met])).toEqual([
      ['no data', undefined],
      ['no data', undefined],
      ['no data', undefined],
      ['no data', undefined],
    ]);
  });
});
