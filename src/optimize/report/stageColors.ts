// One colour per search space, shared by the trial-history chart and its legend.
import type { TrialStage } from '../optimizeRun.js';

export const STAGE_COLORS: Record<TrialStage, string> = {
  seed_grid: '#1f5fbf',
  quantile_grid: '#d97706',
  tpe: '#2e7d32',
};
