// What a backtest job (pt bt run) is asked, what it is given to reach storage, and what it returns.
import type { Timeframe } from '../../core/time.js';
import type { OpenBarStore } from '../../ports/barStore.js';
import type { WriteTable } from '../../ports/tableWriter.js';
import type { RunOutputDir } from '../../ports/runOutputDir.js';
import type { ResolvedDecisionParams } from '../../decision/decisionParams.js';
import type { RunComparison, RunRecord } from '../compareRuns.js';
import type { GrossNet } from '../costSensitivity.js';
import type { RunSummary } from '../summarizeRun.js';
import type { BacktestTrade } from '../backtestTypes.js';
import type { DdShares } from './btSummaryRows.js';
import type { StressRow } from '../stress/runStressScenarios.js';

export interface BacktestJobOptions {
  /** Pair ids of the universe, in this order; every universe pair when undefined. */
  pairIds?: string[];
  timeframe: Timeframe;
  /** Bars with fromMs <= ts < toMs (UTC ms); all data when undefined. */
  fromMs?: number;
  toMs?: number;
  /** z-score rules without a model (the baseline). */
  ruleOnly: boolean;
  /** A model version folder; the newest under ./models when undefined (ignored when rule-only). */
  modelDir?: string;
  /** θ1/θ2 over the model version's params.yaml. */
  theta1?: number;
  theta2?: number;
  /** Seed of the stress scenarios and the bootstrap. */
  seed: number;
  /** Also run the stress scenarios of backtest_policy.yaml. */
  stress: boolean;
  /** Also write CSV copies of the Parquet outputs. */
  csv: boolean;
  /** Pass the bars through the DQ rules and quarantine (false: as stored). */
  dq: boolean;
  /** Absolute paths: the bar store's folder and the output folder. */
  dataDir: string;
  outDir: string;
  /** Replace an earlier run's outputs in outDir (only the names pt writes); without it a non-empty outDir is refused. */
  force?: boolean;
  /** The output folder of an earlier run to compare with. */
  baselineRun?: string;
  /** A universe.yaml instead of config/universe.yaml. */
  universe?: string;
  /** A cost profile name of config/cost_profiles or a cost_table.yaml path. */
  cost?: string;
}

export interface BacktestJobDeps {
  openBarStore: OpenBarStore;
  writeTable: WriteTable;
  /** Checks the output folder before the run and, with force, clears pt's own names in it before writing. */
  outputDir: RunOutputDir;
  /** Reads the bt_run.json an earlier run left in its output folder (for --baseline-run). */
  readRunRecord: (dir: string) => RunRecord;
  /** Called as the job goes (features per pair, costs, stress scenarios). */
  onProgress?: (label: string, done: number, total: number) => void;
}

export interface BacktestJobResult {
  runId: string;
  /** The model version, or `rule-only`. */
  modelVersion: string;
  timeframe: Timeframe;
  /** `first..last` bar time, ISO UTC. */
  period: string;
  pairIds: string[];
  decision: ResolvedDecisionParams;
  /** Per pair id (in pairIds order): the shares of its bars at each DD level. */
  ddShares: DdShares[];
  summary: RunSummary;
  /** Every trade of the run (bt_trades), in order. */
  trades: BacktestTrade[];
  grossNet: GrossNet;
  /** Against --baseline-run. */
  comparison?: { baseline: RunRecord; result: RunComparison };
  stress: StressRow[];
  outDir: string;
  reportPath: string;
}
