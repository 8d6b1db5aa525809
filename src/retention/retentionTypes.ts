// What pt retention sees (the inventory), what it decides (the plan) and what an apply did.
import type { Timeframe } from '../core/time.js';

/** The kinds of stored data retention covers, in the order the plan lists them. */
export const RETENTION_KINDS = [
  'canonical',
  'features',
  'labels',
  'predictions',
  'signals',
  'reports',
  'models',
] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

export interface CanonicalSymbol {
  timeframe: Timeframe;
  symbol: string;
  /** The symbol's folder: its writer lock is taken there. */
  dir: string;
  /** Open time of the newest stored bar (UTC ms); undefined when none reads. */
  newestTsMs: number | undefined;
  /** Month partitions, ascending: `path` is the month folder `{YYYY}/{YYYY-MM}` that holds the file. */
  partitions: Array<{ month: string; path: string }>;
}

/** `<data>/features/<tf>/<pair>/` or `<data>/labels/<tf>/<pair>/`: one folder per pair, whole history. */
export interface PairFolder {
  kind: 'features' | 'labels';
  timeframe: Timeframe;
  pairId: string;
  path: string;
  /** The newest row of its tables (UTC ms); undefined when none could be read. */
  newestTsMs: number | undefined;
}

/** `<data>/predictions/<tf>/<group>/<version>/`: a model version's out-of-sample predictions. */
export interface PredictionFolder {
  timeframe: string;
  group: string;
  version: string;
  path: string;
}

export interface ModelVersionEntry {
  version: string;
  path: string;
  createdAtMs: number;
  /** The group metrics.json names (pt train writes it); undefined for an import or an unreadable file. */
  group: string | undefined;
}

export interface TrashBatch {
  /** The folder the batch belongs to (data, models, reports, the signal folder). */
  root: string;
  batch: string;
  path: string;
  createdAtMs: number;
}

export interface RetentionInventory {
  canonical: CanonicalSymbol[];
  pairFolders: PairFolder[];
  predictions: PredictionFolder[];
  /** Signal history day folders `date=YYYY-MM-DD`, with the folder their trash goes under. */
  signalDays: Array<{ day: string; path: string; root: string }>;
  /** Entries of reports/<kind>/ (run folders or files) with the newest modification time inside. */
  reports: Array<{ path: string; newestMtimeMs: number }>;
  models: {
    versions: ModelVersionEntry[];
    /** Each group's CURRENT pointer and the version it names. */
    current: Array<{ group: string; version: string; pointer: string }>;
    /** Pointers that name no stored version or cannot be read: no version is then deleted. */
    badPointers: string[];
  };
  trashBatches: TrashBatch[];
  roots: { data: string; models: string; reports: string; signals: string };
  /** Never deleted: the hash-chained audit log. */
  auditLogPath: string;
}

export interface RetentionItem {
  kind: RetentionKind;
  /** Absolute path of the whole unit: a month folder, a pair folder, a run folder, a version folder, a file. */
  path: string;
  /** The folder whose `.trash/` receives it (same file system, so the move is one rename). */
  root: string;
  reason: string;
  /** The store symbol whose writer lock guards the move (canonical only). */
  lock?: { timeframe: Timeframe; symbol: string };
}

export interface KeptItem {
  kind: RetentionKind;
  path: string;
  reason: string;
}

export interface PurgeItem {
  path: string;
  batch: string;
  reason: string;
}

export interface RetentionPlan {
  /** The batch the trash moves go to: `.trash/<batch>/` under each item's root. */
  batch: string;
  trash: RetentionItem[];
  purge: PurgeItem[];
  /** Items past their age that the guard keeps, with why. */
  kept: KeptItem[];
}
