// Where the bundled real market data lives: ../shared beside the repository (as on CI), or PT_SHARED_DIR.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const SHARED_DIR = resolve(process.env.PT_SHARED_DIR ?? join(repoRoot, '..', 'shared'));
export const REAL_DATA_DIR = join(SHARED_DIR, 'data', 'real');

if (!existsSync(REAL_DATA_DIR)) {
  // Tests on real data fail rather than skip: the data ships beside the repository.
  throw new Error(
    `real market data not found at ${REAL_DATA_DIR}; put shared/ beside the repository or set PT_SHARED_DIR`,
  );
}
