import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/runPt.js';

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

describe('config fixtures', () => {
  it('are what build.mjs makes from config/ (rebuild with node test/fixtures/config/build.mjs)', async () => {
    const fixtures = join(repoRoot, 'test/fixtures/config');
    const { buildFixtures } = (await import(join(fixtures, 'build.mjs'))) as { buildFixtures: (out: string) => void };
    const fresh = mkdtempSync(join(tmpdir(), 'pt-fixtures-'));
    buildFixtures(fresh);
    const committed = listFiles(fixtures)
      .filter((f) => !f.endsWith('build.mjs'))
      .map((f) => relative(fixtures, f))
      .sort();
    expect(
      listFiles(fresh)
        .map((f) => relative(fresh, f))
        .sort(),
    ).toEqual(committed);
    for (const f of committed)
      expect(readFileSync(join(fresh, f), 'utf8'), f).toBe(readFileSync(join(fixtures, f), 'utf8'));
  });
});
