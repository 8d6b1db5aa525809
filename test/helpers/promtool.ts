// promtool, Prometheus' rule checker, for test/deploy: on PATH, or unpacked from Debian's prometheus
// package into .pt/promtool/ (apt-get download + dpkg-deb -x: nothing installed, no daemon started).
// .ci/run unpacks it before the tests; here it is unpacked on first use when apt-get can. Under
// CI=true a promtool that cannot be found or unpacked fails the tests that need it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './runPt.js';
import { isCi } from './services.js';

const CACHE = join(repoRoot, '.pt', 'promtool');
const UNPACKED = join(CACHE, 'usr', 'bin', 'promtool');

const works = (path: string) => spawnSync(path, ['--version'], { encoding: 'utf8' }).status === 0;

function unpack(): void {
  mkdirSync(CACHE, { recursive: true });
  const download = () => spawnSync('apt-get', ['download', '-qq', 'prometheus'], { cwd: CACHE, encoding: 'utf8' });
  if (download().status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { encoding: 'utf8' });
    download();
  }
  for (const deb of readdirSync(CACHE).filter((f) => f.startsWith('prometheus_') && f.endsWith('.deb'))) {
    spawnSync('dpkg-deb', ['-x', deb, '.'], { cwd: CACHE, encoding: 'utf8' });
    rmSync(join(CACHE, deb));
  }
}

/** The promtool to run, or undefined (a warning; under CI=true an error) when there is none. */
export function findPromtool(): string | undefined {
  if (works('promtool')) return 'promtool';
  if (!existsSync(UNPACKED)) unpack();
  if (existsSync(UNPACKED) && works(UNPACKED)) return UNPACKED;
  const why = 'promtool is missing (Debian package prometheus: apt-get download prometheus && dpkg-deb -x)';
  if (isCi) throw new Error(`${why}, and CI=true requires it`);
  console.warn(`[skip] ${why}`);
  return undefined;
}
