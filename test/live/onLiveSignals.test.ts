// pt live's signals on a real child process: SIGTERM/SIGINT end the loop after the bar in hand (exit 0), SIGHUP reloads once, a second stop forces.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('../helpers/liveSignalsChild.mjs', import.meta.url));
const children: ChildProcess[] = [];

interface Run {
  c: ChildProcess;
  lines: string[];
  /** Resolves once a line matching `re` was printed. */
  waitFor(re: RegExp): Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(barMs: number, mode?: 'cli'): Run {
  const c = spawn(process.execPath, [child, String(barMs), ...(mode ? [mode] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(c);
  const lines: string[] = [];
  const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
  let buf = '';
  c.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.splice(0))
        if (w.re.test(line)) w.resolve();
        else waiters.push(w);
    }
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    c.on('exit', (code, signal) => r({ code, signal })),
  );
  return {
    c,
    lines,
    waitFor: (re) =>
      lines.some((l) => re.test(l)) ? Promise.resolve() : new Promise((resolve) => waiters.push({ re, resolve })),
    exit,
  };
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** The bar numbers started and ended, in order. */
const bars = (lines: string[], what: 'start' | 'end') =>
  lines.filter((l) => l.startsWith(`${what} `)).map((l) => Number(l.slice(what.length + 1)));

describe('onLiveSignals', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    it(`${signal} mid-bar: the bar in hand ends, no new one starts, exit 0 (over the one-shot handlers pt installs)`, async () => {
      const r = run(300, 'cli');
      await r.waitFor(/^start 2$/);
      r.c.kill(signal);
      const { code } = await r.exit;
      expect(code, r.lines.join('\n')).toBe(0);
      expect(r.lines).toContain(`term ${signal}`);
      expect(bars(r.lines, 'start')).toEqual([1, 2]);
      expect(bars(r.lines, 'end')).toEqual([1, 2]);
      expect(r.lines.at(-1)).toBe('flushed');
      // The stop came during bar 2: it is reported before that bar ends.
      expect(r.lines.indexOf(`term ${signal}`)).toBeLessThan(r.lines.indexOf('end 2'));
    });

  it('SIGHUP asks for one reload before the next bar (two in one bar count once) and does not stop the loop', async () => {
    const r = run(1_000);
    await r.waitFor(/^start 1$/);
    r.c.kill('SIGHUP');
    await r.waitFor(/^hup$/);
    r.c.kill('SIGHUP');
    await r.waitFor(/^start 3$/);
    r.c.kill('SIGTERM');
    expect((await r.exit).code).toBe(0);
    expect(r.lines.filter((l) => l === 'hup')).toHaveLength(2);
    expect(r.lines.filter((l) => l.startsWith('reload'))).toEqual(['reload before 2']);
    expect(bars(r.lines, 'end')).toEqual([1, 2, 3]);
  });

  it('a second stop signal while the bar is still in hand exits at once with 128 + signal', async () => {
    const r = run(5_000, 'cli');
    await r.waitFor(/^start 1$/);
    r.c.kill('SIGTERM');
    await r.waitFor(/^term SIGTERM$/);
    const t0 = performance.now();
    r.c.kill('SIGINT');
    expect((await r.exit).code).toBe(130);
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(bars(r.lines, 'end')).toEqual([]);
    expect(r.lines).not.toContain('flushed');
  });
});
