// cvOptionsFrom reads retrain_policy into purged K-fold and walk-forward options.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.js';
import { cvOptionsFrom } from '../../src/cv/index.js';

const config = loadConfig(fileURLToPath(new URL('../../config', import.meta.url)));

describe('cvOptionsFrom', () => {
  it('copies the SPEC §4 defaults from config/retrain_policy.yaml; embargo auto is the feature lookback', () => {
    expect(cvOptionsFrom(config, 24, 378)).toEqual({
      kFold: { k: 5, purgeBars: 24, embargoBars: 378, minBlockLenBars: 240, validationFraction: 0.2 },
      walkForward: { barsPerDay: 24, minTrainDays: 360, stepDays: 30, validationFraction: 0.2, purgeBars: 24 },
      warnings: [],
    });
  });

  it('uses a configured embargo as given, with a warning when it is shorter than the feature lookback', () => {
    const short = { ...config, retrain_policy: { ...config.retrain_policy, embargo_bars: 24 } };
    const o = cvOptionsFrom(short, 24, 378);
    expect(o.kFold.embargoBars).toBe(24);
    expect(o.warnings).toEqual([expect.stringMatching(/^CV_SHORT_EMBARGO: retrain_policy.embargo_bars 24 .*378 bars/)]);
    const long = { ...config, retrain_policy: { ...config.retrain_policy, embargo_bars: 400 } };
    expect(cvOptionsFrom(long, 24, 378)).toMatchObject({ kFold: { embargoBars: 400 }, warnings: [] });
  });

  it('rejects a bars-per-day that is not a positive integer', () => {
    expect(() => cvOptionsFrom(config, 0, 378)).toThrow(RangeError);
  });
});
