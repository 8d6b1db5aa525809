// A backtest's --out folder is the run's own: another run's files there are refused, or with
// --force removed by name before the new ones are written, so no output of an earlier run sits
// beside the new ones.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PtError } from '../../core/ptError.js';
import type { RunOutputDir } from '../../ports/runOutputDir.js';

/** `.{name}.tmp-{pid}`: a temp file an interrupted write of one of our names left behind. */
function isOwnTemp(entry: string, own: ReadonlySet<string>): boolean {
  const m = /^\.(.+)\.tmp-\d+$/.exec(entry);
  return m !== null && own.has(m[1]!);
}

/** The folder's entries; undefined when it does not exist. */
async function entriesOf(dir: string): Promise<string[] | undefined> {
  try {
    if (!(await stat(dir)).isDirectory())
      throw new PtError(
        'BT_OUT_EXISTS',
        `--out ${dir} exists and is not a folder: give a folder for the run's outputs`,
        {
          source: 'bt',
          exitCode: 2,
          details: { path: dir },
        },
      );
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export const runOutputDir: RunOutputDir = {
  async check(dir, force) {
    const entries = await entriesOf(dir);
    if (force || entries === undefined || entries.length === 0) return;
    const shown = [...entries].sort().slice(0, 3).join(', ');
    throw new PtError(
      'BT_OUT_EXISTS',
      `--out ${dir} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}: ${shown}${entries.length > 3 ? ', …' : ''}): give a new folder, or --force to replace the outputs pt writes there`,
      { source: 'bt', exitCode: 2, details: { path: dir, entries: entries.length } },
    );
  },

  async removeOwn(dir, ownNames) {
    const own = new Set(ownNames);
    // Only pt's own names: a user's notes or other files in the folder are never touched.
    for (const entry of (await entriesOf(dir)) ?? [])
      if (own.has(entry) || isOwnTemp(entry, own)) await rm(join(dir, entry), { force: true });
  },
};
