// The progress bar never throws and never draws `\r` art where the width is unknown (issue #95):
// fake streams for every width, then the real CLI under a pseudo-terminal that reports 0 columns.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIN_BAR_COLUMNS, PLAIN_START_MS, ProgressBar, type ProgressStream } from '../../src/cli/progressBar.js';
import { repoRoot } from '../helpers/runPt.js';

class FakeStream implements ProgressStream {
  text = '';
  constructor(
    public isTTY: boolean | undefined,
    public columns: number | undefined,
  ) {}
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

/** A clock the test moves. */
function clock(start = 0) {
  const c = { t: start, now: () => c.t };
  return c;
}

/** Two phases of 100 steps each, 100 ms apart, then finish(). */
function runPhases(stream: FakeStream): string {
  const c = clock();
  const bar = new ProgressBar(stream, c.now);
  for (const label of ['SYNA write', 'SYNB write'])
    for (let i = 0; i <= 100; i++) {
      c.t += 100;
      bar.update(label, i, 100);
    }
  bar.finish();
  return stream.text;
}

describe('ProgressBar', () => {
  for (const [isTTY, columns] of [
    [true, 0],
    [true, 1],
    [true, undefined],
    [true, MIN_BAR_COLUMNS - 1],
    [true, -5],
    [true, Number.NaN],
    [false, 120],
    [undefined, undefined],
  ] as const) {
    it(`writes plain lines, no \\r, with isTTY ${String(isTTY)} and ${String(columns)} columns`, () => {
      const text = runPhases(new FakeStream(isTTY, columns));
      expect(text).not.toContain('\r');
      const lines = text.trimEnd().split('\n');
      // Nothing in the first PLAIN_START_MS; then each phase at most once per 10 % step.
      expect(lines.length).toBeGreaterThan(2);
      expect(lines.length).toBeLessThanOrEqual(22);
      for (const line of lines) expect(line).toMatch(/^progress +\d+% SYN[AB] write$/);
      expect(lines[0]).toBe(`progress ${String(PLAIN_START_MS / 100 - 1).padStart(3)}% SYNA write`);
      expect(lines).toContain('progress   0% SYNB write');
      expect(lines[lines.length - 1]).toBe('progress 100% SYNB write');
    });
  }

  it('prints nothing for a run shorter than the plain-line delay', () => {
    const stream = new FakeStream(false, undefined);
    const c = clock();
    const bar = new ProgressBar(stream, c.now);
    bar.update('SYNA fetch', 0, 1);
    c.t += PLAIN_START_MS - 1;
    bar.update('SYNA done', 1, 1);
    bar.finish();
    expect(stream.text).toBe('');
  });

  it('draws a bar in place on a wide terminal and clears it at the end', () => {
    const stream = new FakeStream(true, 40);
    const text = runPhases(stream);
    expect(text.startsWith('\r')).toBe(true);
    expect(text).not.toContain('\n');
    const frames = text.split('\r').filter(Boolean);
    for (const f of frames) expect(f.length).toBe(39);
    expect(frames).toContain(`${'█'.repeat(30)} 100% SYN`);
    expect(text.endsWith(`\r${' '.repeat(39)}\r`)).toBe(true);
  });

  it('survives the terminal shrinking to 0 columns between a draw and finish()', () => {
    const stream = new FakeStream(true, 80);
    const bar = new ProgressBar(stream, clock().now);
    bar.update('SYNA write', 1, 1);
    stream.columns = 0;
    expect(() => bar.update('SYNA write', 1, 1)).not.toThrow();
    expect(() => bar.finish()).not.toThrow();
    expect(stream.text.endsWith('\n')).toBe(true);
  });

  it('never throws, even for odd counts or a stream whose write throws', () => {
    const stream = new FakeStream(true, 0);
    const c = clock();
    const bar = new ProgressBar(stream, c.now);
    c.t = PLAIN_START_MS;
    for (const [done, total] of [
      [-1, 10],
      [5, 0],
      [Number.NaN, 3],
      [Infinity, Infinity],
      [20, 10],
    ] as const)
      expect(() => bar.update('x', done, total)).not.toThrow();
    const broken = new ProgressBar(
      {
        isTTY: true,
        columns: 80,
        write: () => {
          throw new Error('EPIPE');
        },
      },
      c.now,
    );
    expect(() => broken.update('x', 1, 1)).not.toThrow();
    expect(() => broken.finish()).not.toThrow();
  });
});

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

describe('pt under a pseudo-terminal with 0 columns', () => {
  // `script` (util-linux) gives the CLI a real pseudo-terminal; without it the case cannot be built here.
  it.skipIf(!hasScript && process.env.CI !== 'true')('ingest exits 0 and prints its summary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-pty0-'));
    const cmd =
      `stty cols 0; node ${join(repoRoot, 'bin/pt.js')} ingest --source synthetic --symbols SYNA ` +
      `--timeframe 1h --from 2024-01-01 --to 2024-03-01 --data-dir ${join(dir, 'data')}; echo "rc=$?"`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('CORE_INTERNAL_BUG');
    expect(r.stdout).toMatch(/SYNA 1h: \d+ rows fetched, \d+ new/);
    expect(r.stdout).toMatch(/rc=0\s*$/);
  });
});
