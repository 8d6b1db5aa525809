// Reads the layer table of docs/architecture.md and checks every import of a source tree against it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface LayerRule {
  folder: string;
  /** Folders (or sub-folders such as `data/calendar`) this folder may import; `*` for every folder. */
  mayImport: string[];
  /** `node:` built-ins and npm packages; `node:*` allows every built-in. */
  outside: string[];
}

export interface ImportViolation {
  file: string;
  specifier: string;
  reason: string;
}

const names = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\/$/, ''));

/** The rows of the first markdown table whose header starts with `| folder |`. */
export function parseLayerTable(markdown: string): LayerRule[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^\|\s*folder\s*\|/.test(l));
  if (start < 0) throw new Error('no layer table (a table whose first column is "folder")');
  const rules: LayerRule[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').slice(1, -1);
    if (cells.length !== 4) throw new Error(`layer table row must have 4 cells: ${line}`);
    const [folder] = names(cells[0]!);
    if (!folder) throw new Error(`layer table row without a folder: ${line}`);
    const mayImport = /everything/.test(cells[2]!) ? ['*'] : names(cells[2]!);
    rules.push({ folder, mayImport, outside: names(cells[3]!) });
  }
  return rules;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module specifier of a file: static, type-only, re-exports and `import()`. */
export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

const within = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

/** Checks every file under `srcRoot` against `rules`; files in a folder the table does not name are violations too. */
export function checkImports(srcRoot: string, rules: LayerRule[]): ImportViolation[] {
  const byFolder = new Map(rules.map((r) => [r.folder, r]));
  const out: ImportViolation[] = [];
  for (const file of sourceFiles(srcRoot)) {
    const rel = relative(srcRoot, file).split(sep).join('/');
    const top = rel.split('/')[0]!;
    const rule = byFolder.get(top);
    if (!rule || !rel.includes('/')) {
      out.push({ file: rel, specifier: '', reason: `${top} is not a folder of the layer table` });
      continue;
    }
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) {
        const target = relative(srcRoot, resolve(dirname(file), specifier))
          .split(sep)
          .join('/');
        if (target.startsWith('..')) {
          out.push({ file: rel, specifier, reason: 'imports from outside src/' });
          continue;
        }
        const ok = within(target, top) || rule.mayImport.some((m) => m === '*' || within(target, m));
        if (!ok)
          out.push({
            file: rel,
            specifier,
            reason: `${top}/ may not import ${target.split('/').slice(0, 2).join('/')}`,
          });
      } else {
        const ok = rule.outside.some((m) =>
          m === 'node:*' ? specifier.startsWith('node:') : specifier === m || specifier.startsWith(`${m}/`),
        );
        if (!ok) out.push({ file: rel, specifier, reason: `${top}/ may not import ${specifier}` });
      }
    }
  }
  return out;
}
