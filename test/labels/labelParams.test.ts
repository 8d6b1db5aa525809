// labelParamsFrom reads core_policy and turns the dd window of days into bars (SPEC §0).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.js';
import { barsPerDay } from '../../src/core/time.js';
import { labelParamsFrom } from '../../src/labels/labelParams.js';

const config = loadConfig(fileURLToPath(new URL('../../config', import.meta.url)));

describe('labelParamsFrom', () => {
  it('maps core_policy onto LabelParams with L = 60 × bars_per_day', () => {
    expect(labelParamsFrom(config, barsPerDay('1h'))).toEqual({
      zEntry: 2,
      zExit: 0.5,
      maxHoldingBars: 48,
      speedLookbackBars: 6,
      thetaSpeed: 0.12,
      thresholds: { corrVar: 0.025, volRatio: 1.8, dzSpeed: 0.12, ddRecent: 0.07 },
      ddWindowBars: 1440,
      riskHorizonBars: 48,
      classWeightRatioMax: 5,
    });
    expect(labelParamsFrom(config, barsPerDay('15m')).ddWindowBars).toBe(5760);
    expect(labelParamsFrom(config, barsPerDay('4h')).ddWindowBars).toBe(360);
  });

  it('rejects a bars-per-day that does not give a whole window', () => {
    expect(() => labelParamsFrom(config, 0)).toThrow(/ddWindowBars/);
    expect(() => labelParamsFrom(config, 1.5)).not.toThrow();
    expect(() => labelParamsFrom(config, 0.01)).toThrow(/ddWindowBars/);
  });
});
