// Pure backtest KPI, bootstrap, Diebold–Mariano, acceptance and multiple-testing (DSR, PBO) functions (SPEC §7).
export { dailyEquity, utcDayStart, DAY_MS, type DailyEquity } from './dailyEquity.js';
export { dailyReturns, dailyPnlUsd } from './dailyReturns.js';
export { mean, sampleStd } from '../../core/sampleStats.js';
export { sharpeRatio } from './sharpeRatio.js';
export { drawdownPath, maxDrawdown, maxDrawdownOfReturns } from './maxDrawdown.js';
export { losingStreaks, type LosingStreakBin } from './losingStreaks.js';
export { monthlyWinRate, type MonthlyWins } from './monthlyWinRate.js';
export { filterRates, falseStopRate, type FilterCounts, type FilterRates, type StopCounts } from './filterRates.js';
export {
  computeKpis,
  TRADING_DAYS_PER_YEAR,
  DAYS_PER_CALENDAR_YEAR,
  type Trade,
  type KpiInput,
  type BacktestKpis,
} from './kpis.js';
export {
  blockBootstrapCi,
  blockBootstrapDiffCi,
  bootstrapOptionsFrom,
  toDailyReturns,
  sharpeStatistic,
  annualReturnStatistic,
  maxDrawdownStatistic,
  type BootstrapOptions,
  type ConfidenceInterval,
  type ReturnStatistic,
} from './blockBootstrap.js';
export { erf, erfc, normalCdf } from './normalCdf.js';
export { inverseNormalCdf } from './inverseNormalCdf.js';
export {
  deflatedSharpe,
  expectedMaxSharpe,
  probabilisticSharpe,
  returnMoments,
  trialSharpeVariance,
  EULER_MASCHERONI,
  type DeflatedSharpeResult,
  type ReturnMoments,
} from './deflatedSharpe.js';
export { probabilityOfBacktestOverfitting, type PboMetric, type PboOptions, type PboResult } from './pbo.js';
export { weeklyReturns, isoWeekStart, type WeeklyReturns } from './weeklyReturns.js';
export { dieboldMariano, neweyWestLag, neweyWestVariance, type DieboldMarianoResult } from './dieboldMariano.js';
export {
  absoluteAcceptance,
  relativeAcceptance,
  type AcceptanceKpis,
  type AcceptanceThresholds,
  type Check,
  type Verdict,
} from './acceptance.js';
