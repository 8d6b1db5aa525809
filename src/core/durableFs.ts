// File-system steps that survive a crash: fsync of files and folders, atomic replace, temp-file hygiene.
import { constants as fsConstants, existsSync, rmSync } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsErrorFrom } from './fsError.js';

const TEMP_MARK = '.tmp-';

/** Temp paths this process has named: what an interrupt removes (see removeOwnTempsSync). */
const namedTemps = new Set<string>();
/** Past this many names, the ones already renamed or removed are forgotten (a long-lived process writes often). */
const NAMED_TEMPS_PRUNE_AT = 1024;

/** `.{name}.tmp-{pid}` in the same folder: dot-prefixed so listings and exact-name readers skip it. */
export function tempPathFor(finalPath: string, pid = process.pid): string {
  const path = join(dirname(finalPath), `.${basename(finalPath)}${TEMP_MARK}${pid}`);
  if (pid === process.pid) {
    if (namedTemps.size >= NAMED_TEMPS_PRUNE_AT) for (const p of namedTemps) if (!existsSync(p)) namedTemps.delete(p);
    namedTemps.add(path);
  }
  return path;
}

/**
 * Removes every temp file or folder this process named that still exists: an interrupted command
 * leaves no half-written output behind. Synchronous, for a signal handler; returns how many.
 */
export function removeOwnTempsSync(): number {
  let removed = 0;
  for (const p of namedTemps) {
    if (!existsSync(p)) continue;
    try {
      rmSync(p, { recursive: true, force: true });
      removed++;
    } catch {
      // Best effort on the way out: a temp file left here is swept by the next write in its folder.
    }
  }
  namedTemps.clear();
  return removed;
}

export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.includes(TEMP_MARK);
}

export async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, fsConstants.O_RDONLY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes a rename or create inside `dir` durable (the entry lives in the folder, not the file). */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, fsConstants.O_RDONLY | fsConstants.O_DIRECTORY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** The names in `dir`, or none when it does not exist. */
export async function listNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** True for an existing folder; false when nothing is there (or a file is); other errors are thrown. */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** mkdir -p that fsyncs the parent of every folder it creates, so the new path survives a power cut. */
export async function ensureDirDurable(dir: string): Promise<void> {
  const missing: string[] = [];
  let cur = dir;
  while (!(await pathExists(cur))) {
    missing.push(cur);
    const parent = dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  for (const d of missing.reverse()) {
    await mkdir(d).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    await fsyncDir(dirname(d));
  }
}

/** fsync the finished temp file, rename it over `finalPath`, fsync the folder. */
export async function commitTempFile(tempPath: string, finalPath: string): Promise<void> {
  await fsyncFile(tempPath);
  await rename(tempPath, finalPath);
  await fsyncDir(dirname(finalPath));
}

/**
 * Commits a group of finished temp files: fsync them all (in parallel, so the file system can
 * batch its journal commits), rename each over its final path (in parallel too: each rename is
 * atomic on its own), then fsync each folder once, plus
 * `alsoSync` (parents of folders just created for them). Each rename is atomic, so a crash at any
 * point leaves every partition old or new.
 */
export async function commitTempFiles(
  files: ReadonlyArray<{ tmp: string; finalPath: string }>,
  alsoSync: readonly string[] = [],
): Promise<void> {
  await Promise.all(files.map((f) => fsyncFile(f.tmp)));
  await Promise.all(files.map((f) => rename(f.tmp, f.finalPath)));
  await Promise.all([...new Set([...files.map((f) => dirname(f.finalPath)), ...alsoSync])].map((d) => fsyncDir(d)));
}

/**
 * Writes `data` to `finalPath` so that a crash leaves either the old or the new content. A failed
 * write (disk full, permission, a throwing caller) removes its temp file and throws the environment
 * error (CORE_FS_*) naming `finalPath`.
 */
export async function writeFileAtomic(finalPath: string, data: string | Uint8Array): Promise<void> {
  // Temp files of writers that died in this folder go on the way (a live writer's are kept).
  await removeStaleTemps(dirname(finalPath), false);
  const tmp = tempPathFor(finalPath);
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, finalPath);
    await fsyncDir(dirname(finalPath));
  } catch (e) {
    await removeQuietly(tmp);
    throw fsErrorFrom(e, `cannot write ${finalPath}`, { path: finalPath }) ?? e;
  }
}

/** Deletes a temp file after a failed write; a file that is already gone is fine. */
export async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes temp files left in `dir` by a writer that died (or by this process, unless `ownToo` is
 * false: a writer that may run beside another of this process in the folder). A temp file of
 * another live process is left alone: it may be that writer's work in progress.
 */
export async function removeStaleTemps(dir: string, ownToo = true): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  let removed = 0;
  for (const name of names) {
    if (!isTempName(name)) continue;
    const pid = Number(name.slice(name.lastIndexOf(TEMP_MARK) + TEMP_MARK.length));
    if (Number.isInteger(pid) && pid > 0 && (pid === process.pid ? !ownToo : processAlive(pid))) continue;
    await unlink(join(dir, name)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    removed++;
  }
  return removed;
}
