// The retention plan, pure: from what is stored, the policy and the time, what moves to the trash,
// which trash batches are purged, and what the guard keeps although it is past its age.
import { isoUtc, type Timeframe } from '../core/time.js';
import type { RetentionPolicy } from './retentionPolicy.js';
import {
  RETENTION_KINDS,
  type KeptItem,
  type PurgeItem,
  type RetentionInventory,
  type RetentionItem,
  type RetentionPlan,
} from './retentionTypes.js';
import { formatTrashBatch } from './trashBatch.js';

const DAY_MS = 86_400_000;

/** Months since year 0 of the UTC month holding `ms`, so that "N months" is a subtraction. */
function monthIndex(ms: number): number {
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

function monthKeyIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

function monthName(index: number): string {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Whether `path` is the audit log or a folder holding it. */
function holds(path: string, target: string): boolean {
  return target === path || target.startsWith(`${path}/`);
}

/**
 * An item is past its age when the UTC month of its newest data is more than `months` months before
 * the month of `nowMs` (the current month and the `months` before it stay). Canonical bars, features
 * and labels are moreover never removed inside the guard: the guard months counted back from the
 * newest stored bar of their timeframe (not from the clock, so a store that stopped updating keeps
 * its history). Model versions in force (every group's CURRENT), their predecessors and the newest
 * model_version_retention versions are never removed; predictions follow their model version.
 */
export function planRetention(inv: RetentionInventory, policy: RetentionPolicy, nowMs: number): RetentionPlan {
  const nowIdx = monthIndex(nowMs);
  const trash: RetentionItem[] = [];
  const kept: KeptItem[] = [];
  const auditKeep = (kind: RetentionItem['kind'], path: string): boolean => {
    if (!holds(path, inv.auditLogPath)) return false;
    kept.push({ kind, path, reason: 'holds the audit log, which retention never deletes (it is hash-chained)' });
    return true;
  };

  // The guard of each timeframe: the first month kept, counted back from its newest stored bar.
  const newestByTf = new Map<Timeframe, number>();
  for (const s of inv.canonical)
    if (s.newestTsMs !== undefined)
      newestByTf.set(s.timeframe, Math.max(newestByTf.get(s.timeframe) ?? -Infinity, s.newestTsMs));
  const guardFrom = (tf: Timeframe, newestMs: number) => monthIndex(newestMs) - policy.guardMonths(tf);
  const guardText = (tf: Timeframe, newestMs: number) =>
    `inside the guard: ${policy.guardMonths(tf)} months back from the newest ${tf} bar ${isoUtc(newestMs)} (${policy.guardReason(tf)})`;

  for (const s of inv.canonical) {
    const ageFrom = nowIdx - policy.canonicalMonths;
    for (const p of s.partitions) {
      const idx = monthKeyIndex(p.month);
      if (idx >= ageFrom) continue;
      if (auditKeep('canonical', p.path)) continue;
      if (s.newestTsMs === undefined) {
        kept.push({
          kind: 'canonical',
          path: p.path,
          reason: `no bar of ${s.symbol} ${s.timeframe} reads: the guard has nothing to count back from`,
        });
        continue;
      }
      if (idx >= guardFrom(s.timeframe, s.newestTsMs)) {
        kept.push({
          kind: 'canonical',
          path: p.path,
          reason: `month ${p.month} is past canonical_months ${policy.canonicalMonths} but ${guardText(s.timeframe, s.newestTsMs)}`,
        });
        continue;
      }
      trash.push({
        kind: 'canonical',
        path: p.path,
        root: inv.roots.data,
        reason: `month ${p.month} older than canonical_months ${policy.canonicalMonths} (kept from ${monthName(Math.min(ageFrom, guardFrom(s.timeframe, s.newestTsMs)))})`,
        lock: { timeframe: s.timeframe, symbol: s.symbol },
      });
    }
  }

  for (const f of inv.pairFolders) {
    const ageFrom = nowIdx - policy.featuresMonths;
    if (f.newestTsMs === undefined) {
      kept.push({ kind: f.kind, path: f.path, reason: 'its newest row could not be read, so its age is unknown' });
      continue;
    }
    const idx = monthIndex(f.newestTsMs);
    if (idx >= ageFrom) continue;
    if (auditKeep(f.kind, f.path)) continue;
    const newest = newestByTf.get(f.timeframe);
    if (newest === undefined) {
      kept.push({
        kind: f.kind,
        path: f.path,
        reason: `no ${f.timeframe} bar is stored: the guard has nothing to count back from`,
      });
      continue;
    }
    if (idx >= guardFrom(f.timeframe, newest)) {
      kept.push({
        kind: f.kind,
        path: f.path,
        reason: `newest row ${isoUtc(f.newestTsMs)} is past features_cache_months ${policy.featuresMonths} but ${guardText(f.timeframe, newest)}`,
      });
      continue;
    }
    trash.push({
      kind: f.kind,
      path: f.path,
      root: inv.roots.data,
      reason: `newest row ${isoUtc(f.newestTsMs)} older than features_cache_months ${policy.featuresMonths}`,
    });
  }

  const modelTrash = planModels(inv, policy, nowIdx, kept, auditKeep);
  trash.push(...modelTrash.items);

  for (const p of inv.predictions) {
    if (auditKeep('predictions', p.path)) continue;
    if (modelTrash.deleted.has(p.version)) {
      trash.push({
        kind: 'predictions',
        path: p.path,
        root: inv.roots.data,
        reason: `model version ${p.version} is deleted`,
      });
      continue;
    }
    const stored = inv.models.versions.find((v) => v.version === p.version);
    const created = stored?.createdAtMs ?? versionMs(p.version);
    if (stored !== undefined || created === undefined) continue;
    if (monthIndex(created) < nowIdx - policy.modelMonths)
      trash.push({
        kind: 'predictions',
        path: p.path,
        root: inv.roots.data,
        reason: `model version ${p.version} is no longer stored and older than model_artifacts_months ${policy.modelMonths}`,
      });
  }

  for (const d of inv.signalDays) {
    const ms = Date.parse(`${d.day}T00:00:00Z`);
    if (!(monthIndex(ms) < nowIdx - policy.signalsMonths) || auditKeep('signals', d.path)) continue;
    trash.push({
      kind: 'signals',
      path: d.path,
      root: d.root,
      reason: `day ${d.day} older than signals_history_months ${policy.signalsMonths}`,
    });
  }

  for (const r of inv.reports) {
    if (!(monthIndex(r.newestMtimeMs) < nowIdx - policy.reportsMonths) || auditKeep('reports', r.path)) continue;
    trash.push({
      kind: 'reports',
      path: r.path,
      root: inv.roots.reports,
      reason: `last written ${isoUtc(r.newestMtimeMs)}, older than reports_months ${policy.reportsMonths}`,
    });
  }

  const order = new Map(RETENTION_KINDS.map((k, i) => [k, i]));
  trash.sort((a, b) => order.get(a.kind)! - order.get(b.kind)! || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  kept.sort((a, b) => order.get(a.kind)! - order.get(b.kind)! || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const purge: PurgeItem[] = inv.trashBatches
    .filter((b) => nowMs - b.createdAtMs >= policy.graceDays * DAY_MS)
    .map((b) => ({
      path: b.path,
      batch: b.batch,
      reason: `trashed ${isoUtc(b.createdAtMs)}, delete_grace_days ${policy.graceDays} have passed`,
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  return { batch: formatTrashBatch(nowMs), trash, purge, kept };
}

const VERSION_RE = /^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})_[0-9a-f]{7}$/;

function versionMs(version: string): number | undefined {
  const m = VERSION_RE.exec(version);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])) : undefined;
}

/**
 * A group's predecessor is the newest version created before its CURRENT whose metrics.json names
 * the same group; when CURRENT's own version names no group (an import), the newest older version of
 * any group.
 */
function predecessorOf(versions: RetentionInventory['models']['versions'], current: string): string | undefined {
  const cur = versions.find((v) => v.version === current);
  if (cur === undefined) return undefined;
  const older = versions
    .filter((v) => v.createdAtMs < cur.createdAtMs || (v.createdAtMs === cur.createdAtMs && v.version < cur.version))
    .sort((a, b) => b.createdAtMs - a.createdAtMs || (a.version < b.version ? 1 : -1));
  const sameGroup = cur.group === undefined ? older : older.filter((v) => v.group === cur.group);
  return sameGroup[0]?.version;
}

function planModels(
  inv: RetentionInventory,
  policy: RetentionPolicy,
  nowIdx: number,
  kept: KeptItem[],
  auditKeep: (kind: 'models', path: string) => boolean,
): { items: RetentionItem[]; deleted: Set<string> } {
  const versions = [...inv.models.versions].sort(
    (a, b) => b.createdAtMs - a.createdAtMs || (a.version < b.version ? 1 : -1),
  );
  const why = new Map<string, string>();
  versions
    .slice(0, policy.modelVersionRetention)
    .forEach((v) =>
      why.set(v.version, `among the newest ${policy.modelVersionRetention} versions (model_version_retention)`),
    );
  for (const c of inv.models.current) {
    why.set(c.version, `in force: ${c.pointer} names it`);
    const prev = predecessorOf(versions, c.version);
    if (prev !== undefined && !why.has(prev))
      why.set(prev, `predecessor of ${c.version}, in force for group ${c.group} (rollback target)`);
  }
  const items: RetentionItem[] = [];
  const deleted = new Set<string>();
  for (const v of versions) {
    if (!(monthIndex(v.createdAtMs) < nowIdx - policy.modelMonths)) continue;
    const keep =
      why.get(v.version) ??
      (inv.models.badPointers.length > 0
        ? `no version is deleted while ${inv.models.badPointers.join(', ')} names no stored version`
        : undefined);
    if (keep !== undefined) {
      kept.push({
        kind: 'models',
        path: v.path,
        reason: `past model_artifacts_months ${policy.modelMonths} but ${keep}`,
      });
      continue;
    }
    if (auditKeep('models', v.path)) continue;
    deleted.add(v.version);
    items.push({
      kind: 'models',
      path: v.path,
      root: inv.roots.models,
      reason: `created ${isoUtc(v.createdAtMs)}, older than model_artifacts_months ${policy.modelMonths}`,
    });
  }
  return { items, deleted };
}
