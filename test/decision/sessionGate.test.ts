// Both legs must be in session: the metals' New York daily break (17:00-18:00) and the weekly close.
import { describe, expect, it } from 'vitest';
import { bothLegsTradable } from '../../src/decision/sessionGate.js';
import { config, pairOf } from './config.js';

const metals = pairOf('XAUUSD_XAGUSD');
const fx = pairOf('EURUSD_GBPUSD');
const utc = (iso: string): number => Date.parse(`${iso}Z`);

describe('bothLegsTradable', () => {
  it('metals are closed in the New York daily break, summer (EDT, UTC−4)', () => {
    expect(bothLegsTradable(config, metals, utc('2024-07-10T20:30:00'))).toBe(true);  // 16:30 NY
    expect(bothLegsTradable(config, metals, utc('2024-07-10T21:00:00'))).toBe(false); // 17:00 NY: break starts
    expect(bothLegsTradable(config, metals, utc('2024-07-10T21:30:00'))).toBe(false); // 17:30 NY
    expect(bothLegsTradable(config, metals, utc('2024-07-10T22:00:00'))).toBe(true);  // 18:00 NY: reopens
  });

  it('the break follows New York across daylight saving (EST, UTC−5)', () => {
    expect(bothLegsTradable(config, metals, utc('2024-01-10T21:30:00'))).toBe(true);  // 16:30 NY
    expect(bothLegsTradable(config, metals, utc('2024-01-10T22:30:00'))).toBe(false); // 17:30 NY
  });

  it('closed over the weekend (Fri 22:00 → Sun 22:00 UTC)', () => {
    expect(bothLegsTradable(config, metals, utc('2024-07-12T21:59:00'))).toBe(false); // Fri 17:59 NY: daily break
    expect(bothLegsTradable(config, metals, utc('2024-07-13T12:00:00'))).toBe(false); // Saturday
    expect(bothLegsTradable(config, fx, utc('2024-07-13T12:00:00'))).toBe(false);
    expect(bothLegsTradable(config, fx, utc('2024-07-14T21:59:00'))).toBe(false);     // Sunday before 22:00
    expect(bothLegsTradable(config, metals, utc('2024-07-14T22:30:00'))).toBe(true);  // Sun 18:30 NY
  });

  it('needs BOTH legs: FX trades through the metals break, a metals+FX pair does not', () => {
    const t = utc('2024-07-10T21:30:00');
    expect(bothLegsTradable(config, fx, t)).toBe(true);
    expect(bothLegsTradable(config, { leg_A: fx.leg_A, leg_B: metals.leg_A }, t)).toBe(false);
    expect(bothLegsTradable(config, { leg_A: metals.leg_A, leg_B: fx.leg_A }, t)).toBe(false);
  });
});
