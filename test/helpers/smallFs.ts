// A tiny file system of our own for disk-full and read-only tests: a tmpfs, else a loop-mounted ext2
// image. Mounting needs root (or CAP_SYS_ADMIN): without it the tests skip saying why, and under
// CI=true they fail instead.
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCi } from './services.js';

export interface SmallFs {
  /** The mount point. */
  dir: string;
  remountReadOnly(): void;
  unmount(): void;
}

function run(cmd: string, args: string[]): string | undefined {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) return `${cmd}: ${r.error.message}`;
  return r.status === 0 ? undefined : `${cmd} ${args.join(' ')}: ${(r.stderr || r.stdout).trim()}`;
}

function mounted(dir: string, cleanup: () => void): SmallFs {
  return {
    dir,
    remountReadOnly: () => {
      const failed = run('mount', ['-o', 'remount,ro', dir]);
      if (failed) throw new Error(failed);
    },
    unmount: () => {
      run('umount', [dir]);
      cleanup();
    },
  };
}

/** Mounts a file system of about `sizeKb` on a new folder, or returns why it could not. */
export function mountSmallFs(sizeKb: number): SmallFs | string {
  const base = mkdtempSync(join(tmpdir(), 'pt-smallfs-'));
  const dir = join(base, 'mnt');
  mkdirSync(dir);
  const cleanup = () => rmSync(base, { recursive: true, force: true });
  const tmpfs = run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir]);
  if (!tmpfs) return mounted(dir, cleanup);
  const image = join(base, 'fs.img');
  const fd = openSync(image, 'w');
  ftruncateSync(fd, sizeKb * 1024);
  closeSync(fd);
  const loop = run('mkfs.ext2', ['-q', '-F', '-m', '0', image]) ?? run('mount', ['-o', 'loop', image, dir]);
  if (!loop) return mounted(dir, cleanup);
  cleanup();
  return `no tmpfs (${tmpfs}) and no loop mount (${loop})`;
}

/** `mountSmallFs`, or undefined after a printed reason; under CI=true a failure to mount throws. */
export function requireSmallFs(sizeKb: number): SmallFs | undefined {
  const fs = mountSmallFs(sizeKb);
  if (typeof fs !== 'string') return fs;
  if (isCi) throw new Error(`cannot mount a small file system, and CI=true requires it: ${fs}`);
  console.warn(`[skip] cannot mount a small file system: ${fs}`);
  return undefined;
}
