// Reads what is stored where pt keeps it: the bar store (through the adapter passed in), features,
// labels and predictions under the data folder, the signal history, reports, model versions and
// their group pointers, and the trash batches.
import { readFile, readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { isDirectory, listNames, pathExists } from '../core/durableFs.js';
import { isTimeframe } from '../core/time.js';
import { CURRENT_FILE } from '../ml/registry/currentModel.js';
import { parseModelVersion } from '../ml/registry/modelVersionName.js';
import type { CanonicalSymbol, PairFolder, RetentionInventory, TrashBatch } from './retentionTypes.js';
import { parseTrashBatch, TRASH_DIR } from './trashBatch.js';

export interface RetentionRoots {
  /** The data folder: canonical/, features/, labels/, predictions/, replay/signals/history/. */
  data: string;
  models: string;
  reports: string;
  /** signals_policy signal_dir: its history/ holds the live signal history. */
  signals: string;
  auditLogPath: string;
}

export interface RetentionScanDeps {
  /** Every month partition of the bar store with each symbol's newest stored bar. */
  listCanonical: (dataDir: string) => Promise<CanonicalSymbol[]>;
  /** The largest value of a timestamp column of a Parquet file; undefined when it has no row. */
  newestTimestamp: (path: string, column: string) => Promise<number | undefined>;
}

const PAIR_RE = /^[A-Z0-9]+_[A-Z0-9]+$/;
const DAY_RE = /^date=(\d{4}-\d{2}-\d{2})$/;

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

const isDir = isDirectory;

const exists = pathExists;

/** The newest modification time of a file, or of anything inside a folder. */
async function newestMtime(path: string): Promise<number> {
  const st = await stat(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, e)));
  return newest;
}

/** The newest of the named tables' timestamp columns that exist in `dir`. */
async function newestOf(
  dir: string,
  tables: Array<[string, string]>,
  newestTimestamp: RetentionScanDeps['newestTimestamp'],
): Promise<number | undefined> {
  let newest: number | undefined;
  for (const [file, column] of tables) {
    const path = join(dir, file);
    if (!(await exists(path))) continue;
    let ts: number | undefined;
    try {
      ts = await newestTimestamp(path, column);
    } catch {
      // An unreadable table leaves the folder's age unknown: the planner keeps it.
      return undefined;
    }
    if (ts !== undefined) newest = Math.max(newest ?? -Infinity, ts);
  }
  return newest;
}

const FEATURE_TABLES: Array<[string, string]> = [['features.parquet', 'ts_utc']];
const LABEL_TABLES: Array<[string, string]> = [
  ['events.parquet', 'ts_t1'],
  ['risk.parquet', 'ts_utc'],
];

async function pairFolders(
  data: string,
  kind: PairFolder['kind'],
  newestTimestamp: RetentionScanDeps['newestTimestamp'],
): Promise<PairFolder[]> {
  const out: PairFolder[] = [];
  for (const timeframe of (await listNames(join(data, kind))).filter(isTimeframe).sort())
    for (const pairId of (await listNames(join(data, kind, timeframe))).filter((n) => PAIR_RE.test(n)).sort()) {
      const path = join(data, kind, timeframe, pairId);
      if (!(await isDir(path))) continue;
      const tables = kind === 'features' ? FEATURE_TABLES : LABEL_TABLES;
      out.push({ kind, timeframe, pairId, path, newestTsMs: await newestOf(path, tables, newestTimestamp) });
    }
  return out;
}

async function predictionFolders(data: string): Promise<RetentionInventory['predictions']> {
  const out: RetentionInventory['predictions'] = [];
  const base = join(data, 'predictions');
  for (const timeframe of (await listNames(base)).sort())
    for (const group of (await listNames(join(base, timeframe))).sort())
      for (const version of (await listNames(join(base, timeframe, group))).sort()) {
        const path = join(base, timeframe, group, version);
        if (parseModelVersion(version) && (await isDir(path))) out.push({ timeframe, group, version, path });
      }
  return out;
}

async function signalDays(historyDir: string, root: string): Promise<RetentionInventory['signalDays']> {
  const out: RetentionInventory['signalDays'] = [];
  for (const name of (await listNames(historyDir)).sort()) {
    const m = DAY_RE.exec(name);
    if (m && !Number.isNaN(Date.parse(`${m[1]}T00:00:00Z`)))
      out.push({ day: m[1]!, path: join(historyDir, name), root });
  }
  return out;
}

/** reports/<kind>/<entry> (a run folder or a file), and files directly in reports/. */
async function reportEntries(reports: string): Promise<RetentionInventory['reports']> {
  const out: RetentionInventory['reports'] = [];
  for (const name of (await listNames(reports)).sort()) {
    if (name === TRASH_DIR) continue;
    const path = join(reports, name);
    const entries = (await isDir(path)) ? (await listNames(path)).sort().map((e) => join(path, e)) : [path];
    for (const entry of entries) out.push({ path: entry, newestMtimeMs: await newestMtime(entry) });
  }
  return out;
}

async function readGroup(versionDir: string): Promise<string | undefined> {
  try {
    const metrics = JSON.parse(await readFile(join(versionDir, 'metrics.json'), 'utf8')) as { group?: unknown };
    return typeof metrics.group === 'string' ? metrics.group : undefined;
  } catch {
    return undefined;
  }
}

async function modelsOf(models: string): Promise<RetentionInventory['models']> {
  const versions: RetentionInventory['models']['versions'] = [];
  const current: RetentionInventory['models']['current'] = [];
  const badPointers: string[] = [];
  const names = (await listNames(models)).sort();
  for (const name of names) {
    const path = join(models, name);
    if (!(await isDir(path))) continue;
    const parsed = parseModelVersion(name);
    if (parsed) {
      versions.push({ version: name, path, createdAtMs: parsed.createdAt.getTime(), group: await readGroup(path) });
      continue;
    }
    const pointer = join(path, CURRENT_FILE);
    if (!(await exists(pointer))) continue;
    const version = (await readFile(pointer, 'utf8').catch(() => '')).trim();
    if (parseModelVersion(version) && names.includes(version)) current.push({ group: name, version, pointer });
    else badPointers.push(pointer);
  }
  return { versions, current, badPointers };
}

async function trashBatches(root: string): Promise<TrashBatch[]> {
  const out: TrashBatch[] = [];
  for (const batch of (await listNames(join(root, TRASH_DIR))).sort()) {
    const createdAtMs = parseTrashBatch(batch);
    if (createdAtMs !== undefined) out.push({ root, batch, path: join(root, TRASH_DIR, batch), createdAtMs });
  }
  return out;
}

export async function scanRetentionInventory(
  roots: RetentionRoots,
  deps: RetentionScanDeps,
): Promise<RetentionInventory> {
  const { data, models, reports, signals } = roots;
  const canonical = (await deps.listCanonical(data)).map((s) => ({
    ...s,
    // The unit is the month folder, so the move leaves no empty folder behind.
    partitions: s.partitions.map((p) => ({ month: p.month, path: join(s.dir, p.month.slice(0, 4), p.month) })),
  }));
  // A signal folder inside the data folder (the default data/signals) shares the data folder's trash.
  const signalsRoot = isInside(signals, data) ? data : signals;
  const historyRoots: Array<[string, string]> = [
    [join(signals, 'history'), signalsRoot],
    [join(data, 'replay', 'signals', 'history'), data],
  ];
  const days = [];
  for (const [dir, root] of historyRoots) days.push(...(await signalDays(dir, root)));
  const trashRoots = [...new Set([data, models, reports, signalsRoot])];
  const batches = [];
  for (const root of trashRoots) batches.push(...(await trashBatches(root)));
  return {
    canonical,
    pairFolders: [
      ...(await pairFolders(data, 'features', deps.newestTimestamp)),
      ...(await pairFolders(data, 'labels', deps.newestTimestamp)),
    ],
    predictions: await predictionFolders(data),
    signalDays: days,
    reports: await reportEntries(reports),
    models: await modelsOf(models),
    trashBatches: batches,
    roots: { data, models, reports, signals: signalsRoot },
    auditLogPath: roots.auditLogPath,
  };
}
