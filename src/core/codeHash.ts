// The code identity stamped on every output: the git commit of a clean checkout, else a hash of the sources that ran.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The tree this module runs from: `dist/` after a build, `src/` under the test runner. */
const codeDir = dirname(dirname(fileURLToPath(import.meta.url)));
const repoRoot = dirname(codeDir);

function listFiles(dir: string, out: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(path, out);
    else if (/\.(js|ts|mjs)$/.test(entry.name) && !entry.name.endsWith('.map')) out.push(path);
  }
  return out;
}

/**
 * `git:<commit>` when the checkout has no uncommitted change (so the commit names the code exactly),
 * else `build:<sha256/16>` of every source file under the running tree (dist/ or src/) and
 * package-lock.json: two runs of the same bytes get the same stamp, an edited file changes it.
 * Computed once per process.
 */
export function codeHash(): string {
  if (cached !== undefined) return cached;
  try {
    const git = (args: string[]) =>
      execFileSync('git', ['-C', repoRoot, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 5_000,
      }).trim();
    if (git(['status', '--porcelain', '--untracked-files=no']) === '') cached = `git:${git(['rev-parse', 'HEAD'])}`;
  } catch {
    // not a git checkout (an installed package, a copied tree): fall back to the content
  }
  if (cached === undefined) {
    const h = createHash('sha256');
    for (const file of listFiles(codeDir, [])) {
      h.update(file.slice(codeDir.length));
      h.update(readFileSync(file));
    }
    try {
      h.update(readFileSync(join(repoRoot, 'package-lock.json')));
    } catch {
      // no lock file next to the code
    }
    cached = `build:${h.digest('hex').slice(0, 16)}`;
  }
  return cached;
}
