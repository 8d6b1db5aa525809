// cvOptionsFrom reads retrain_policy into purged K-fold and walk-forward options.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.js';
import { cvOptionsFrom } from '../../src/cv/index.js';

const config = loadConfig(fileURLToPath(new URL('../../config', import.meta.url)));

describe('cvOptionsFrom', () => {
  it('copies the SPEC §4 defaults from config/retrain_policy.yaml', () => {
    expect(cvOptionsFrom(config, 24)).toEqual({
      kFold: { k: 5, purgeBars: 24, embargoBars: 24, minBlockLenBars: 240, validationFraction: 0.2 },
      walkForward: { barsPerDay: 24, minTrainDays: 360, stepDays: 30 },
    });
  });

  it('rejects a bars-per-day that is not a positive integer', () => {
    expect(() => cvOptionsFrom(config, 0)).toThrow(RangeError);
  });
});
