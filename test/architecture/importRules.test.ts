// Every import of src/ obeys the layer table of docs/architecture.md (see that page).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkImports, importsOf, parseLayerTable } from '../helpers/importRules.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/importRules/', import.meta.url));

describe('import rules', () => {
  it('src/ follows the layer table of docs/architecture.md', () => {
    const rules = parseLayerTable(readFileSync(`${root}docs/architecture.md`, 'utf8'));
    expect(rules.map((r) => r.folder)).toContain('decision');
    expect(checkImports(`${root}src`, rules)).toEqual([]);
  });

  it('fails on a deliberately wrong import', () => {
    const rules = parseLayerTable(readFileSync(`${fixture}architecture.md`, 'utf8'));
    expect(checkImports(`${fixture}src`, rules)).toEqual([
      {
        file: 'decision/decide.ts',
        specifier: '../backtest/engine.js',
        reason: 'decision/ may not import backtest/engine.js',
      },
      { file: 'decision/decide.ts', specifier: 'node:fs', reason: 'decision/ may not import node:fs' },
    ]);
  });

  it('sees type-only imports, re-exports and import()', () => {
    const text = "import type { A } from './a.js';\nexport { B } from './b.js';\nconst c = await import('./c.js');";
    expect(importsOf(text)).toEqual(['./a.js', './b.js', './c.js']);
  });
});
