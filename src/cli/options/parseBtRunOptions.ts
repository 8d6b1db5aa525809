// pt bt run flags → typed backtest job options: pairs, period, model or rule-only, θ, outputs, overrides.
import type { BacktestJobOptions } from '../../backtest/job/backtestJobTypes.js';
import type { PtConfig } from '../../config/schemas/index.js';
import { pairIdList } from '../resolvePairs.js';
import {
  maybePath,
  maybePeriod,
  maybeProbability,
  maybeSeed,
  maybeTimeframeOption,
  tableDefaultedPath,
  type RawOptions,
} from './cliOptions.js';

/** Pair ids are checked by the job, against the universe the run uses (--universe may replace it). */
export function parseBtRunOptions(raw: RawOptions, config: PtConfig): BacktestJobOptions {
  return {
    pairIds: raw.pairs === undefined ? undefined : pairIdList(String(raw.pairs)),
    timeframe: maybeTimeframeOption(raw.timeframe, config),
    ...maybePeriod(raw.period),
    ruleOnly: Boolean(raw.ruleOnly),
    modelDir: maybePath(raw.modelDir || undefined),
    theta1: maybeProbability(raw.theta1, '--theta1'),
    theta2: maybeProbability(raw.theta2, '--theta2'),
    seed: maybeSeed(raw.seed, config),
    stress: Boolean(raw.stress),
    csv: Boolean(raw.csv),
    dq: raw.dq !== false,
    dataDir: tableDefaultedPath(raw, 'dataDir', '--data-dir'),
    outDir: tableDefaultedPath(raw, 'out', '--out'),
    force: Boolean(raw.force),
    baselineRun: maybePath(raw.baselineRun || undefined),
    universe: raw.universe ? String(raw.universe) : undefined,
    cost: raw.cost ? String(raw.cost) : undefined,
  };
}
