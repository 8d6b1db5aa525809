#!/usr/bin/env node
// Writes a sample backtest HTML report from a fixture and screenshots it with headless Chromium.
//
// Usage:
//   node scripts/render-report.mjs [--fixture test/fixtures/report/sample.json] [--out-dir DIR]
//   node scripts/render-report.mjs --html report.html --png report.png     (screenshot an existing file)
// Options: --chromium /usr/bin/chromium, --window-size 1280,2400.
// The renderer is transpiled from src/backtest/report/*.ts with the project's TypeScript into a temp
// directory, so no build of dist/ is needed. Prints the paths written as JSON on stdout.
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPORT_SRC = join(ROOT, 'src', 'backtest', 'report');

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const v = argv[i + 1];
    if (v === undefined) throw new Error(`${a} needs a value`);
    out[a.slice(2)] = v;
    i++;
  }
  return out;
}

async function listTs(dir) {
  const files = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) files.push(...(await listTs(p)));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) files.push(p);
  }
  return files;
}

/** Transpiles src/backtest/report and the KPI code it shares (the one drawdown) into `dir` and imports the report's index. */
export async function loadRenderer(dir) {
  const ts = (await import('typescript')).default;
  const backtestSrc = dirname(REPORT_SRC);
  for (const file of [...(await listTs(REPORT_SRC)), ...(await listTs(join(backtestSrc, 'kpis')))]) {
    const js = ts.transpileModule(await readFile(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
      fileName: file,
    }).outputText;
    const dest = join(dir, relative(backtestSrc, file)).replace(/\.ts$/, '.js');
    await mkdir(dirname(dest), { recursive: true });
    await writeFile(dest, js);
  }
  await writeFile(join(dir, 'package.json'), '{"type":"module"}\n');
  return import(pathToFileURL(join(dir, 'report', 'index.js')).href);
}

/** Screenshots `htmlPath` into `pngPath` with headless Chromium; returns the PNG size in bytes. */
export async function renderHtmlToPng(
  htmlPath,
  pngPath,
  { chromium = '/usr/bin/chromium', windowSize = '1280,2400' } = {},
) {
  const profile = await mkdtemp(join(tmpdir(), 'pt-chromium-'));
  try {
    await run(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        `--screenshot=${resolve(pngPath)}`,
        `--window-size=${windowSize}`,
        pathToFileURL(resolve(htmlPath)).href,
      ],
      { timeout: 120_000 },
    );
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
  return (await stat(pngPath)).size;
}

async function main(argv) {
  const args = parseArgs(argv);
  const opts = { chromium: args.chromium, windowSize: args['window-size'] };
  if (opts.chromium === undefined) delete opts.chromium;
  if (opts.windowSize === undefined) delete opts.windowSize;
  if (args.html !== undefined) {
    const png = args.png ?? args.html.replace(/\.html?$/, '') + '.png';
    const bytes = await renderHtmlToPng(args.html, png, opts);
    process.stdout.write(`${JSON.stringify({ html: resolve(args.html), png: resolve(png), pngBytes: bytes })}\n`);
    return;
  }
  const fixture = resolve(args.fixture ?? join(ROOT, 'test', 'fixtures', 'report', 'sample.json'));
  const outDir = resolve(args['out-dir'] ?? (await mkdtemp(join(tmpdir(), 'pt-report-'))));
  await mkdir(outDir, { recursive: true });
  const build = await mkdtemp(join(tmpdir(), 'pt-report-build-'));
  try {
    const { renderBacktestReport } = await loadRenderer(build);
    const html = renderBacktestReport(JSON.parse(await readFile(fixture, 'utf8')));
    const htmlPath = join(outDir, 'report.html');
    const pngPath = join(outDir, 'report.png');
    await writeFile(htmlPath, html);
    const bytes = await renderHtmlToPng(htmlPath, pngPath, opts);
    process.stdout.write(`${JSON.stringify({ html: htmlPath, png: pngPath, pngBytes: bytes })}\n`);
  } finally {
    await rm(build, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`render-report: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
