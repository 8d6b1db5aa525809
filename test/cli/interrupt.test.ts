// Ctrl-C (probe #94) and a stop: one ERROR line, exit 128 + signal, and no half-written output left.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/runPt.js';

const dir = mkdtempSync(join(tmpdir(), 'pt-interrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A process that is mid-write (one temp file open, one already renamed) when the signal comes. */
const child = (out: string) => `
  import { writeFileSync, renameSync, mkdirSync } from 'node:fs';
  import { tempPathFor } from '${repoRoot}dist/core/durableFs.js';
  import { installInterruptHandlers } from '${repoRoot}dist/cli/onInterrupt.js';
  installInterruptHandlers();
  const done = tempPathFor('${out}/done.csv');
  writeFileSync(done, 'a\\n');
  renameSync(done, '${out}/done.csv');
  writeFileSync(tempPathFor('${out}/half.csv'), 'a\\n');
  const folder = tempPathFor('${out}/model');
  mkdirSync(folder);
  writeFileSync(folder + '/x.onnx', 'x');
  process.stdout.write('ready\\n');
  setInterval(() => {}, 1000);
`;

function interrupted(signal: NodeJS.Signals, out: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--input-type=module', '-e', child(out)]);
    let stderr = '';
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) c.kill(signal);
    });
    c.on('error', reject);
    c.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('an interrupted command', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s: exits %i with one ERROR line; unfinished outputs removed, finished ones kept',
    async (signal, code) => {
      const out = mkdtempSync(join(dir, 'out-'));
      const r = await interrupted(signal, out);
      expect(r.code).toBe(code);
      expect(r.stderr).toBe(
        `ERROR CORE_CLI_SIGNAL: interrupted by ${signal}; 2 unfinished output file(s) removed, finished outputs are kept\n`,
      );
      expect(readdirSync(out)).toEqual(['done.csv']);
      expect(existsSync(join(out, 'done.csv'))).toBe(true);
    },
  );
});
