// Exclusive inter-process locks from plain files (Node has no flock): announce, then look for others.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { listNames } from './durableFs.js';
import { PtError } from './ptError.js';

/** Who holds (or asks for) a lock, as its lock file records it. */
export interface LockHolder {
  pid: number;
  host: string;
  /** When the holding process started (ISO). */
  started: string;
  /** When it took the lock (ISO). */
  since: string;
  /** The holder's command line, for the message. */
  command: string;
  /** Linux: the process start time in clock ticks after boot, to tell a reused pid. */
  proc_start?: string;
}

export interface LockOptions {
  /** What is locked, for messages: `1h/XAUUSD`. */
  label: string;
  /** Fail at once with DATA_STORAGE_LOCKED instead of waiting. */
  noWait?: boolean;
  /** Called once, when the lock is first found held by another process and this one starts waiting. */
  onWait?: (message: string, holder: LockHolder) => void;
  /** Mean poll interval while waiting (jittered ±50%). */
  pollMs?: number;
}

export interface FileLock {
  /** Removes this process's lock file; a second call is a no-op. */
  release(): Promise<void>;
}

const SOURCE = 'file-lock';
/** A lock file that never got its content is from a process that died while creating it, once this old. */
const EMPTY_GRACE_MS = 10_000;
/** Tries after a tie (two processes announcing at once) before --no-wait gives up. */
const NO_WAIT_TIES = 8;

function procStart(pid: number | 'self'): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces and parentheses); starttime is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

let me: LockHolder | undefined;
function self(): LockHolder {
  me ??= {
    pid: process.pid,
    host: hostname(),
    started: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    since: '',
    command: process.argv
      .slice(1)
      .map((a) => a.replace(/^.*[\\/]bin[\\/]pt(\.js)?$/, 'pt'))
      .join(' ')
      .slice(0, 200),
    proc_start: procStart('self'),
  };
  return me;
}

/** Whether a holder on this host is gone: its pid is dead, or now belongs to a process started later. */
function isDead(h: LockHolder): boolean {
  if (h.host !== self().host) return false;
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return true;
  }
  if (h.proc_start === undefined) return false;
  const now = procStart(h.pid);
  return now !== undefined && now !== h.proc_start;
}

export function describeHolder(h: LockHolder): string {
  const where = h.host === self().host ? '' : ` on host ${h.host}`;
  return `pid ${h.pid}${where} (${h.command || 'unknown command'}) since ${h.since || h.started}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The live lock files of others in `dir` for this lock. Files of dead processes are removed on the
 * way: each name is unique to one process and one try, so removing it can never remove a lock
 * taken since.
 */
async function liveOthers(dir: string, prefix: string, mine: string): Promise<LockHolder[]> {
  const out: LockHolder[] = [];
  for (const name of await listNames(dir)) {
    if (!name.startsWith(prefix) || name === mine) continue;
    const path = join(dir, name);
    let holder: LockHolder | undefined;
    let ageMs = 0;
    try {
      const text = await readFile(path, 'utf8');
      try {
        holder = JSON.parse(text) as LockHolder;
      } catch {
        ageMs = Date.now() - (await stat(path)).mtimeMs;
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    // A file without its content yet (or of a process killed while writing it): the pid in its name tells.
    const namePid = Number(name.slice(prefix.length).split('-')[0]);
    const dead =
      holder === undefined || typeof holder.pid !== 'number'
        ? ageMs > EMPTY_GRACE_MS || isDead({ pid: namePid, host: self().host, started: '', since: '', command: '' })
        : isDead(holder);
    if (dead) {
      await unlink(path).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
      continue;
    }
    out.push(holder ?? { pid: namePid, host: self().host, started: '', since: '', command: '' });
  }
  return out;
}

/**
 * Takes the exclusive lock `name` in the folder `dir` (which must exist). Each try writes a lock
 * file of its own (`.{name}.lock-{pid}-{random}`, created exclusively), then lists the folder: with
 * no other live lock file it holds the lock, else it removes its file and waits. Of two processes
 * that overlap, the later one to announce always sees the earlier, so at most one holds; when both
 * see each other, both back off for a random time and try again. A lock file whose process is dead
 * (kill -9) is removed by the next process that looks. Safe across processes of one host; a lock
 * held from another host (a shared folder) is waited for, never taken over.
 */
export async function acquireFileLock(dir: string, name: string, o: LockOptions): Promise<FileLock> {
  const prefix = `.${name}.lock-`;
  const mine = `${prefix}${process.pid}-${randomBytes(6).toString('hex')}`;
  const path = join(dir, mine);
  const pollMs = o.pollMs ?? 200;
  let told = false;
  let ties = 0;
  for (;;) {
    let others = await liveOthers(dir, prefix, mine);
    if (others.length === 0) {
      await writeFile(path, JSON.stringify({ ...self(), since: new Date().toISOString() }), { flag: 'wx' });
      others = await liveOthers(dir, prefix, mine);
      if (others.length === 0) {
        let released = false;
        return {
          release: async () => {
            if (released) return;
            released = true;
            await unlink(path).catch((e: NodeJS.ErrnoException) => {
              if (e.code !== 'ENOENT') throw e;
            });
          },
        };
      }
      // Someone announced at the same time (or holds it): step back so that one of us gets it.
      await unlink(path);
      ties++;
    } else ties = NO_WAIT_TIES;
    const holder = others[0]!;
    if (o.noWait && ties >= NO_WAIT_TIES)
      throw new PtError(
        'DATA_STORAGE_LOCKED',
        `${o.label} is locked by ${describeHolder(holder)}; run again when it is done, or leave out --no-wait to wait for it`,
        { source: SOURCE, details: { lock: join(dir, prefix), holder } },
      );
    if (!told && !o.noWait) {
      told = true;
      o.onWait?.(`waiting for the lock on ${o.label} held by ${describeHolder(holder)}`, holder);
    }
    await sleep(o.noWait ? 5 + Math.random() * 20 : pollMs * (0.5 + Math.random()));
  }
}

/** The live processes holding (or announcing) lock `name` in `dir`; dead holders' files are removed on the way. */
export async function lockHolders(dir: string, name: string): Promise<LockHolder[]> {
  return liveOthers(dir, `.${name}.lock-`, '');
}
