// Keeps the registry to model_version_retention versions (pt retrain after a promotion): the newest
// ones, and never a version some group has in force or the one it replaced (a rollback's target).
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CURRENT_FILE, parseModelVersion } from '../../ml/registry/index.js';

/**
 * What no pruning may remove: the version every `models/<group>/CURRENT` names and, per group, the
 * version in force before it: the `before` of the group's latest promote or rollback entry in the
 * audit log whose `after` is still in force.
 */
export async function protectedVersions(modelsDir: string, auditPath: string): Promise<Map<string, string>> {
  const root = resolve(modelsDir);
  const why = new Map<string, string>();
  const current = new Map<string, string>();
  for (const e of await readdir(root, { withFileTypes: true }).catch(() => [])) {
    if (!e.isDirectory() || parseModelVersion(e.name)) continue;
    const text = await readFile(join(root, e.name, CURRENT_FILE), 'utf8').catch(() => '');
    const version = text.trim();
    if (!parseModelVersion(version)) continue;
    current.set(e.name, version);
    why.set(version, `in force for ${e.name}`);
  }
  const log = await readFile(auditPath, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return '';
    throw e;
  });
  const previous = new Map<string, string>();
  for (const line of log.split('\n')) {
    if (!line.includes('"model:')) continue;
    let entry: { action?: unknown; scope?: unknown; before?: unknown; after?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (entry.action !== 'model.promote' && entry.action !== 'ops.rollback') continue;
    const group = typeof entry.scope === 'string' ? entry.scope.slice('model:'.length) : '';
    if (current.get(group) === entry.after && typeof entry.before === 'string') previous.set(group, entry.before);
  }
  for (const [group, version] of previous)
    if (!why.has(version)) why.set(version, `in force for ${group} before ${current.get(group)}`);
  return why;
}

/**
 * Removes version folders beyond the newest `keep`, except the `protect`ed ones; returns the removed
 * names, oldest last. Folders whose names are not versions (groups, temp folders) are never touched.
 */
export async function pruneModelVersions(
  modelsDir: string,
  keep: number,
  protect: ReadonlySet<string>,
): Promise<string[]> {
  const root = resolve(modelsDir);
  const versions = (await readdir(root, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .flatMap((e) => {
      const parsed = parseModelVersion(e.name);
      return parsed ? [{ name: e.name, at: parsed.createdAt.getTime() }] : [];
    })
    .sort((a, b) => b.at - a.at || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
  const removed: string[] = [];
  for (const v of versions.slice(keep)) {
    if (protect.has(v.name)) continue;
    await rm(join(root, v.name), { recursive: true, force: true });
    removed.push(v.name);
  }
  return removed;
}
