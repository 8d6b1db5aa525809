import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/cli/program.js';
import { repoRoot, runPt } from '../helpers/runPt.js';

const packageVersion = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;

describe('pt --version', () => {
  it("prints package.json's version, from the built CLI and before or after a command", () => {
    for (const args of [['--version'], ['-V'], ['bt', 'run', '--version']]) {
      const r = runPt(args, { npm_package_version: '' });
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toBe(`${packageVersion}\n`);
    }
  });

  it("is package.json's version when the program runs from src/ (no npm environment needed)", () => {
    expect(VERSION).toBe(packageVersion);
  });
});
