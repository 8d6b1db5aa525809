// The halt / flatten / resume state machine on the flags, and the resume guard: golden cases.
import { describe, expect, it } from 'vitest';
import { isPtError } from '../../../src/core/ptError.js';
import { opsFlagsFields } from '../../../src/ops/flags/opsFlagsFields.js';
import { opsFlagsFrom } from '../../../src/ops/flags/opsFlagsFrom.js';
import { flattenFlags, haltFlags, haltsIn, resumeFlags } from '../../../src/ops/flags/opsTransitions.js';
import { addWeekdays, resumeGuard, weekdaysBetween } from '../../../src/ops/flags/resumeGuard.js';
import { mergeDrawdownMirror } from '../../../src/ops/flags/drawdownMirror.js';
import { DEFAULT_OPS_FLAGS, type DrawdownMirror } from '../../../src/ports/liveBus.js';

const P = { scope: 'portfolio' } as const;
const XAU = { scope: 'pair', pairId: 'XAUUSD_XAGUSD' } as const;
const ALL = ['XAUUSD_XAGUSD', 'AUDUSD_USDCAD'];
const NOW = Date.UTC(2026, 11, 3, 12); // a Thursday
const canary = { untilMs: NOW + 1000, scale: 0.2, nowMs: NOW };

function refusedWith(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return isPtError(e) ? e.id : String(e);
  }
  return 'not refused';
}

describe('ops transitions', () => {
  it('halt sets the level per scope; hard → soft lifts only the hold; halts end a running canary', () => {
    const hard = haltFlags(DEFAULT_OPS_FLAGS, P, 'hard');
    expect(hard).toMatchObject({ globalHalt: true, hardHalt: true });
    expect(haltFlags(hard, P, 'soft')).toMatchObject({ globalHalt: true, hardHalt: false });
    const pair = haltFlags(DEFAULT_OPS_FLAGS, XAU, 'hard');
    expect(pair).toMatchObject({ globalHalt: false, haltedPairs: ['XAUUSD_XAGUSD'], hardPairs: ['XAUUSD_XAGUSD'] });
    expect(haltFlags(pair, XAU, 'soft')).toMatchObject({ haltedPairs: ['XAUUSD_XAGUSD'], hardPairs: [] });
    const inCanary = { ...DEFAULT_OPS_FLAGS, canaryUntil: { portfolio: NOW + 5000, AUDUSD_USDCAD: NOW + 5000 } };
    expect(haltFlags(inCanary, P, 'soft').canaryUntil).toEqual({});
    expect(haltFlags(inCanary, { scope: 'pair', pairId: 'AUDUSD_USDCAD' }, 'soft').canaryUntil).toEqual({
      portfolio: NOW + 5000,
    });
    // The input is never changed.
    expect(DEFAULT_OPS_FLAGS.haltedPairs).toEqual([]);
  });

  it('flatten lists the scope pairs (the universe for the portfolio) with their mode; the latest mode wins', () => {
    const f = flattenFlags(DEFAULT_OPS_FLAGS, P, 'graceful', ALL);
    expect(f).toMatchObject({ flattenPairs: ALL, gracefulPairs: ALL });
    const g = flattenFlags(f, XAU, 'immediate', ALL);
    expect(g).toMatchObject({ flattenPairs: ALL, gracefulPairs: ['AUDUSD_USDCAD'] });
    expect(haltsIn(g, P)).toEqual(['XAUUSD_XAGUSD flatten (immediate)', 'AUDUSD_USDCAD flatten (graceful)']);
  });

  it('resume lifts the scope and starts its canary; nothing halted is refused; a pair under a portfolio halt is told so', () => {
    expect(refusedWith(() => resumeFlags(DEFAULT_OPS_FLAGS, P, canary))).toBe('OPS_RESUME_NOTHING');
    const halted = flattenFlags(haltFlags(haltFlags(DEFAULT_OPS_FLAGS, P, 'hard'), XAU, 'soft'), XAU, 'graceful', ALL);
    const pairOnly = resumeFlags(halted, XAU, canary);
    expect(pairOnly).toMatchObject({
      globalHalt: true,
      hardHalt: true,
      haltedPairs: [],
      flattenPairs: [],
      canaryUntil: { XAUUSD_XAGUSD: NOW + 1000 },
      canaryScale: 0.2,
    });
    expect(refusedWith(() => resumeFlags(pairOnly, XAU, canary))).toBe('OPS_RESUME_NOTHING');
    const all = resumeFlags(halted, P, canary);
    expect(all).toMatchObject({
      globalHalt: false,
      hardHalt: false,
      haltedPairs: [],
      hardPairs: [],
      flattenPairs: [],
      gracefulPairs: [],
      canaryUntil: { portfolio: NOW + 1000 },
    });
    // Written and read back, the flags are the same (the live reader takes what pt ops writes).
    expect(opsFlagsFrom(opsFlagsFields(all), DEFAULT_OPS_FLAGS)).toEqual({ flags: all, problems: [] });
    expect(opsFlagsFrom(opsFlagsFields(halted), DEFAULT_OPS_FLAGS).flags).toEqual(halted);
  });
});

const mirror = (m: Partial<DrawdownMirror> = {}): DrawdownMirror => ({
  shard: 0,
  level: 'normal',
  since: new Date(NOW - 20 * 86_400_000).toISOString(),
  drawdown: 0.01,
  pairs: {},
  updated_at: new Date(NOW).toISOString(),
  ...m,
});
const guard = (over: Partial<Parameters<typeof resumeGuard>[0]> = {}) =>
  resumeGuard({
    scope: P,
    mirrors: [mirror()],
    rho: new Map([['XAUUSD_XAGUSD', 0.9]]),
    nowMs: NOW,
    stabilityDays: 10,
    corrThreshold: 0.65,
    ...over,
  });

describe('resume guard', () => {
  it('counts weekdays (UTC), and the canary ends stability_days weekdays on', () => {
    const fri = Date.UTC(2026, 11, 4, 12);
    expect(weekdaysBetween(fri, fri + 3 * 86_400_000)).toBe(1); // Sat, Sun, Mon
    expect(weekdaysBetween(fri, fri + 14 * 86_400_000)).toBe(10);
    expect(addWeekdays(fri, 10)).toBe(fri + 14 * 86_400_000);
    expect(addWeekdays(fri, 1)).toBe(fri + 3 * 86_400_000);
  });

  it('holds with DD normal for ≥ stability_days weekdays and |ρ| ≥ corr_threshold', () => {
    expect(guard().pass).toBe(true);
    expect(guard({ rho: new Map([['XAUUSD_XAGUSD', -0.7]]) }).pass).toBe(true);
  });

  it('fails, saying why, for each missing condition', () => {
    const fails = (g: ReturnType<typeof guard>) => g.checks.filter((c) => !c.pass).map((c) => c.detail);
    expect(fails(guard({ mirrors: [] }))).toEqual([expect.stringMatching(/no shard has reported/)]);
    expect(fails(guard({ mirrors: [mirror({ level: 'warn' })] }))).toEqual([
      expect.stringMatching(/shard 0 is at warn/),
    ]);
    const recent = mirror({ since: new Date(NOW - 3 * 86_400_000).toISOString() });
    expect(fails(guard({ mirrors: [recent] }))).toEqual([expect.stringMatching(/below warn for 3 of 10 weekdays/)]);
    expect(fails(guard({ rho: new Map([['XAUUSD_XAGUSD', 0.5]]) }))).toEqual([
      expect.stringMatching(/XAUUSD_XAGUSD \|ρ\| 0\.500 below 0\.65/),
    ]);
    expect(fails(guard({ rho: new Map([['XAUUSD_XAGUSD', undefined]]) }))).toEqual([
      expect.stringMatching(/no ρ known/),
    ]);
    // A pair scope needs its own ρ and a normal pair level.
    const pairScope = { scope: XAU, rho: new Map<string, number | undefined>([['XAUUSD_XAGUSD', undefined]]) };
    expect(guard(pairScope).pass).toBe(false);
    expect(fails(guard({ scope: XAU, mirrors: [mirror({ pairs: { XAUUSD_XAGUSD: 'halt' } })] }))).toEqual([
      expect.stringMatching(/XAUUSD_XAGUSD is at its own halt level/),
    ]);
    // The portfolio checks the pairs it knows and names the others.
    const partly = guard({
      rho: new Map([
        ['XAUUSD_XAGUSD', 0.8],
        ['AUDUSD_USDCAD', undefined],
      ]),
    });
    expect(partly.pass).toBe(true);
    expect(partly.checks[1]!.detail).toMatch(/not running, not checked: AUDUSD_USDCAD/);
  });

  it('a restarted shard at the same level keeps the stored since; a level change starts it anew', () => {
    const old = mirror({ since: '2026-11-01T00:00:00.000Z' });
    const restarted = mirror({ since: '2026-12-03T00:00:00.000Z' });
    expect(mergeDrawdownMirror(JSON.stringify(old), restarted).since).toBe('2026-11-01T00:00:00.000Z');
    expect(mergeDrawdownMirror(old, { ...restarted, level: 'warn' }).since).toBe('2026-12-03T00:00:00.000Z');
    expect(mergeDrawdownMirror('not json', restarted)).toEqual(restarted);
  });
});
