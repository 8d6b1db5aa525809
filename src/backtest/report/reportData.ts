// The input of the HTML backtest report (SPEC §7 outputs), in plain JSON-friendly shapes.
export interface ReportCi {
  estimate: number;
  lower: number;
  upper: number;
}

export interface ReportVerdict {
  name: string;
  pass: boolean;
  reason: string;
}

export interface ReportPairRow {
  pairId: string;
  trades: number;
  winRate: number;
  pnlUsd: number;
  sharpe: number;
  maxDd: number;
  /** Shares of the pair's bars at each effective DD level (SPEC §7); absent in reports made before they were kept. */
  ddShares?: { warn: number; halt: number; flatten: number };
}

export interface ReportTradeRow {
  tradeId: string;
  pairId: string;
  side: string;
  tsEntry: string;
  tsExit: string;
  pnlUsd: number;
  zEntry: number;
  zExit: number;
  returnProb: number;
  riskScore: number;
}

export interface ReportCostRow {
  scale: number;
  sharpe: number;
  annualReturn: number;
  maxDrawdown: number;
  pnlUsd: number;
}

export interface ReportStressRow {
  scenario: string;
  pairId: string;
  sharpe: number;
  maxDd: number;
  annReturn: number;
  notes: string;
}

export interface ReportData {
  title: string;
  runId: string;
  modelVersion: string | null;
  /** θ1/θ2 the decisions used and where they came from; absent in older reports. */
  theta?: { theta1: number | null; theta2: number | null; source: string };
  generatedAt: string;
  period: { from: string; to: string };
  /** e.g. annual_return_simple, annual_return_compound, sharpe, max_dd, calmar, e_per_trade, trades_per_year, win_rate, … */
  kpis: Record<string, number>;
  /** Bootstrap 95% CIs keyed like `kpis`. */
  cis?: Record<string, ReportCi>;
  verdicts: ReportVerdict[];
  /** The first peak of the drawdown curve, as for the MaxDD KPI; absent in older reports. */
  initialCapitalUsd?: number;
  /** Daily equity in USD at UTC day starts. */
  dailyEquity: { dayMs: number[]; equity: number[] };
  monthlyReturns: Array<{ month: string; ret: number }>;
  pairs: ReportPairRow[];
  trades: ReportTradeRow[];
  stress: ReportStressRow[];
  /** Gross vs net (costSensitivity); absent in older reports. */
  costs?: {
    rows: ReportCostRow[];
    breakEvenBps: number;
    /** What the cost table at 1× costs per round trip, in bps of both legs' entry notional. */
    costBps: number;
    sizing: { attempted: number; skipped: number; rate: number; reasons: Record<string, number> };
  };
}
