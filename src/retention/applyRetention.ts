// Carries out a retention plan: each item renamed into `<root>/.trash/<batch>/<its path under root>`
// (same file system: one atomic rename, undone by renaming it back), then the purged batches removed.
import { rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { ensureDirDurable, fsyncDir, pathExists } from '../core/durableFs.js';
import { fsErrorFrom } from '../core/fsError.js';
import { PtError } from '../core/ptError.js';
import type { Timeframe } from '../core/time.js';
import type { RetentionItem, RetentionPlan } from './retentionTypes.js';
import { TRASH_DIR } from './trashBatch.js';

export interface RetentionApplyDeps {
  /** Takes the bar store's writer lock of a symbol (the one an ingest holds while it writes). */
  lockSymbol: (timeframe: Timeframe, symbol: string) => Promise<{ release: () => Promise<void> }>;
}

export interface RetentionApplied {
  moved: Array<{ path: string; to: string }>;
  purged: string[];
}

const SOURCE = 'retention';

export function trashTarget(item: Pick<RetentionItem, 'path' | 'root'>, batch: string): string {
  const rel = relative(item.root, item.path);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep))
    throw new PtError('CORE_INTERNAL_BUG', `retention: ${item.path} is not inside ${item.root}`, { source: SOURCE });
  return join(item.root, TRASH_DIR, batch, rel);
}

async function moveToTrash(item: RetentionItem, batch: string): Promise<string> {
  const to = trashTarget(item, batch);
  if (!(await pathExists(item.path)))
    throw new PtError(
      'OPS_RETENTION_CONFLICT',
      `retention: ${item.path} is gone since the plan was made; run pt retention apply again`,
      {
        source: SOURCE,
        details: { path: item.path },
      },
    );
  if (await pathExists(to))
    throw new PtError(
      'OPS_RETENTION_CONFLICT',
      `retention: ${to} exists already; nothing is overwritten in the trash`,
      {
        source: SOURCE,
        details: { path: item.path, to },
      },
    );
  try {
    await ensureDirDurable(dirname(to));
    await rename(item.path, to);
    await fsyncDir(dirname(to));
    await fsyncDir(dirname(item.path));
  } catch (e) {
    throw fsErrorFrom(e, `retention: cannot move ${item.path} to ${to}`, { path: item.path, source: SOURCE }) ?? e;
  }
  // A canonical year folder left empty by its last month goes too (ingest makes it again when needed).
  if (item.kind === 'canonical') await rmdir(dirname(item.path)).catch(() => undefined);
  return to;
}

/**
 * Moves exactly the plan's items and purges exactly its batches. Canonical months are moved under
 * their symbol's writer lock, one symbol at a time, so an ingest writing that symbol waits (or, with
 * --no-wait, retention fails) instead of racing the move.
 */
export async function applyRetention(plan: RetentionPlan, deps: RetentionApplyDeps): Promise<RetentionApplied> {
  const moved: RetentionApplied['moved'] = [];
  const bySymbol = new Map<string, RetentionItem[]>();
  for (const item of plan.trash) {
    if (item.lock === undefined) continue;
    const key = `${item.lock.timeframe}/${item.lock.symbol}`;
    bySymbol.set(key, [...(bySymbol.get(key) ?? []), item]);
  }
  for (const items of bySymbol.values()) {
    const { timeframe, symbol } = items[0]!.lock!;
    const lock = await deps.lockSymbol(timeframe, symbol);
    try {
      for (const item of items) moved.push({ path: item.path, to: await moveToTrash(item, plan.batch) });
    } finally {
      await lock.release();
    }
  }
  for (const item of plan.trash)
    if (item.lock === undefined) moved.push({ path: item.path, to: await moveToTrash(item, plan.batch) });
  const purged: string[] = [];
  for (const p of plan.purge) {
    try {
      await rm(p.path, { recursive: true });
    } catch (e) {
      throw fsErrorFrom(e, `retention: cannot remove ${p.path}`, { path: p.path, source: SOURCE }) ?? e;
    }
    purged.push(p.path);
  }
  return { moved, purged };
}
