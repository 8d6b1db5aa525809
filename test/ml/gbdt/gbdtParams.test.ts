// GBDT parameter claims: read from retrain_policy.yaml, defaults filled, out-of-range values named.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { GBDT_DEFAULTS, checkGbdtParams, gbdtOptionsFrom, resolveGbdtParams } from '../../../src/ml/gbdt/gbdtParams.js';
import { repoRoot } from '../../helpers/runPt.js';

describe('gbdtParams', () => {
  it('gbdtOptionsFrom reads retrain_policy.gbdt, early_stopping_rounds and seed', () => {
    const config = loadConfig(join(repoRoot, 'config'));
    const p = gbdtOptionsFrom(config);
    const g = config.retrain_policy.gbdt;
    expect(p).toMatchObject({
      numBoostRound: g.num_boost_round,
      learningRate: g.learning_rate,
      numLeaves: g.num_leaves,
      maxDepth: g.max_depth,
      minDataInLeaf: g.min_data_in_leaf,
      lambdaL2: g.lambda_l2,
      featureFraction: g.feature_fraction,
      baggingFraction: g.bagging_fraction,
      baggingFreq: g.bagging_freq,
      maxBin: g.max_bin,
      seed: config.retrain_policy.seed,
      earlyStoppingRounds: config.retrain_policy.early_stopping_rounds,
    });
    expect(p.minSumHessianInLeaf).toBe(GBDT_DEFAULTS.minSumHessianInLeaf);
  });

  it('resolveGbdtParams fills what is missing from the defaults and ignores undefined', () => {
    expect(resolveGbdtParams({ numLeaves: 7, seed: undefined })).toEqual({ ...GBDT_DEFAULTS, numLeaves: 7 });
  });

  it('rejects out-of-range values by name', () => {
    const bad: Array<[string, number]> = [
      ['numBoostRound', 0],
      ['learningRate', 0],
      ['numLeaves', 1],
      ['maxDepth', 0],
      ['minDataInLeaf', 0],
      ['lambdaL2', -1],
      ['featureFraction', 0],
      ['baggingFraction', 1.5],
      ['baggingFreq', -1],
      ['maxBin', 256],
      ['seed', -1],
      ['earlyStoppingRounds', 0],
    ];
    for (const [name, value] of bad)
      expect(() => checkGbdtParams({ ...GBDT_DEFAULTS, [name]: value })).toThrow(new RegExp(`${name}=`));
  });
});
