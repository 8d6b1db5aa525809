// The catalog, its generated docs/errors.md, and the code agree: every id is documented, every id
// is raised somewhere, and CORE_INTERNAL_BUG only where an invariant of pt itself is broken.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG, type ErrorId } from '../../src/core/errorCatalog.js';
import { renderErrorsMarkdown } from '../../src/core/errorsMarkdown.js';
import { repoRoot } from '../helpers/runPt.js';

const ids = Object.keys(ERROR_CATALOG) as ErrorId[];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

const src = join(repoRoot, 'src');
const sources = new Map(
  sourceFiles(src)
    .filter((f) => !f.endsWith(join('core', 'errorCatalog.ts')))
    .map((f) => [relative(repoRoot, f), readFileSync(f, 'utf8')]),
);

// Where CORE_INTERNAL_BUG may be raised, and the invariant each place guards.
const INTERNAL_BUG_SITES: Record<string, string> = {
  'src/cli/main.ts': 'the last resort for a thrown value that is neither a PtError nor an errno error',
  'src/core/errorsMarkdown.ts': 'every catalog id belongs to a SPEC §11 domain',
  'src/data/resilience/failoverProvider.ts': 'a FailoverProvider is built with at least one provider',
  'src/adapters/duckdb/partitionLayout.ts': 'month keys come from monthOf or from folder names already matched',
  'src/retention/applyRetention.ts': 'the planner gives every item a root folder that holds it',
  'src/optimize/tpe/tpeSampler.ts':
    'the TPE is told only points of its own space and infeasible trials with a positive violation',
  'src/optimize/tpe/truncatedNormal.ts': 'a Parzen kernel is drawn only inside bounds where it has mass',
  'src/adapters/csv/watchLegFeed.ts': 'a LegBarFeed is started once',
  'src/adapters/twelvedata/twelveDataLegFeed.ts': 'a LegBarFeed is started once',
  'src/live/job/runLiveJob.ts': 'the CLI gives a live source to every job that is not a replay',
  'src/paper/paperAccountFile.ts': "pt paper's ledger gives account.json only what its schema allows",
};

describe('the error catalog', () => {
  it('docs/errors.md is generated from it (run npm run docs:errors)', () => {
    const onDisk = readFileSync(join(repoRoot, 'docs/errors.md'), 'utf8');
    expect(onDisk, 'docs/errors.md differs from the catalog: run npm run docs:errors').toBe(renderErrorsMarkdown());
    for (const id of ids) expect(onDisk).toContain(`| \`${id}\` | ${ERROR_CATALOG[id].severity} |`);
  });

  it('README points to docs/errors.md, not to the source file', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain('`docs/errors.md` lists');
    expect(readme).not.toContain('ids in `src/core/errorCatalog.ts`');
  });

  it('every id but CORE_INTERNAL_BUG is raised somewhere under src/', () => {
    const unreferenced = ids.filter(
      (id) => id !== 'CORE_INTERNAL_BUG' && ![...sources.values()].some((text) => text.includes(`'${id}'`)),
    );
    expect(unreferenced).toEqual([]);
  });

  it('CORE_INTERNAL_BUG is raised only where an invariant of pt is broken', () => {
    const sites = [...sources].filter(([, text]) => text.includes(`'CORE_INTERNAL_BUG'`)).map(([file]) => file);
    expect(sites.sort()).toEqual(Object.keys(INTERNAL_BUG_SITES).sort());
  });
});
