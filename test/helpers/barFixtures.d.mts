// Types of barFixtures.mjs for the TypeScript tests.
import type { CanonicalBar, QualityFlag } from '../../src/model/bar.js';

export declare const HOUR: number;
export declare const DAY: number;
export declare const RUN_ID: string;
export declare const SOURCE: string;
export declare function isFxOpen(ts: number): boolean;
export declare function hourlyTimes(fromMs: number, toMs: number): number[];
export declare function hash01(symbol: string, ts: number, salt: number): number;
export declare function mulberry32(seed: number): () => number;
export declare function barValues(
  symbol: string,
  ts: number,
  version?: number,
): { open: number; high: number; low: number; close: number; volume: number | null };
export declare function makeBar(
  symbol: string,
  ts: number,
  options?: {
    version?: number;
    seq?: number;
    runId?: string;
    source?: string;
    quality?: QualityFlag;
    timeframe?: '15m' | '1h' | '4h';
  },
): CanonicalBar;
export interface CrashPlan {
  symbols: string[];
  start: number;
  end: number;
  chunkDays: number;
}
export declare const CRASH_PLAN: CrashPlan;
export declare function crashChunkCount(plan?: CrashPlan): number;
export declare function crashChunkTimes(i: number, plan?: CrashPlan): number[];
export declare function crashChunkBars(symbol: string, i: number, plan?: CrashPlan): CanonicalBar[];
export declare function crashRevisedTimes(plan?: CrashPlan): Set<number>;
