// Repeats of an alert (same error id and dedupe key) within slack_policy suppression_minutes are
// dropped. In memory for a long-lived process; a short-lived one (pt ops status --alert from cron
// every minute) loads the last send times from a small JSON file in ops_dir and merges its own back
// under a file lock, so the window holds across processes.
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ensureDirDurable, writeFileAtomic } from '../core/durableFs.js';
import { acquireFileLock } from '../core/fileLock.js';

export interface AlertSuppression {
  /** True (and remembered) when `key` was not accepted within `windowMs` before `nowMs`. */
  accept(key: string, nowMs: number, windowMs: number): boolean;
  /** Takes back the acceptance of `key` at `atMs` (nobody got that alert: the next raise must go out). */
  forget(key: string, atMs: number): void;
  /** Keeps what was accepted for the next process (a no-op in memory). */
  persist(): Promise<void>;
}

export class MemorySuppression implements AlertSuppression {
  protected readonly last = new Map<string, number>();
  protected readonly mine = new Map<string, number>();

  accept(key: string, nowMs: number, windowMs: number): boolean {
    const at = this.last.get(key);
    if (at !== undefined && nowMs - at < windowMs && nowMs >= at) return false;
    this.last.set(key, nowMs);
    this.mine.set(key, nowMs);
    return true;
  }

  forget(key: string, atMs: number): void {
    if (this.last.get(key) === atMs) this.last.delete(key);
    if (this.mine.get(key) === atMs) this.mine.delete(key);
  }

  persist(): Promise<void> {
    return Promise.resolve();
  }
}

/** Entries older than this are not kept in the file (any window is shorter). */
const KEEP_MS = 7 * 86_400_000;

async function readTimes(path: string): Promise<Record<string, number>> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const out: Record<string, number> = {};
      for (const [k, v] of Object.entries(parsed)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
      return out;
    }
  } catch {
    // Missing or unreadable: no earlier sends are known; the worst case is one repeat.
  }
  return {};
}

export class FileSuppression extends MemorySuppression {
  private constructor(private readonly path: string) {
    super();
  }

  static async load(path: string): Promise<FileSuppression> {
    const s = new FileSuppression(path);
    for (const [k, v] of Object.entries(await readTimes(path))) s.last.set(k, v);
    return s;
  }

  override async persist(): Promise<void> {
    if (this.mine.size === 0) return;
    const dir = dirname(this.path);
    await ensureDirDurable(dir);
    const lock = await acquireFileLock(dir, 'alerts-suppression', { label: 'alert suppression', pollMs: 20 });
    try {
      const merged = await readTimes(this.path);
      for (const [k, v] of this.mine) merged[k] = Math.max(merged[k] ?? v, v);
      const newest = Math.max(...Object.values(merged));
      for (const [k, v] of Object.entries(merged)) if (newest - v > KEEP_MS) delete merged[k];
      await writeFileAtomic(this.path, `${JSON.stringify(merged)}\n`);
      this.mine.clear();
    } finally {
      await lock.release();
    }
  }
}
