// pt bt run as a library job: options, the run, its output tables, report data and printed summary.
export type { BacktestJobOptions, BacktestJobDeps, BacktestJobResult } from './backtestJobTypes.js';
export { runBacktestJob } from './runBacktestJob.js';
export {
  btOutputTables,
  BT_TABLE_NAMES,
  SUMMARY_DOUBLES,
  TRADE_DOUBLES,
  type BtTableName,
  type BtOutputs,
  type RunStamp,
} from './btOutputTables.js';
export { btSummaryRows, ddShares, type BtSummaryRow, type DdShares } from './btSummaryRows.js';
export { reportDataFrom, type ReportInputs } from './reportDataFrom.js';
export { formatRunSummary, formatKpis, formatGrossNet } from './formatRunSummary.js';
