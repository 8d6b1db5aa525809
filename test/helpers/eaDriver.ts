// The EA's include files (mt5/Include/PairTrade) compiled with g++ into test/mt5/eaDriver.cpp's driver, and the
// driver's commands that play a shared sequence (the commands are listed in eaDriver.cpp).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Sequence, StepOut } from './eaSequences.js';

const ROOT = join(import.meta.dirname, '..', '..');

export const hasGpp = spawnSync('g++', ['--version']).status === 0;
export const ci = process.env.CI === 'true';
/** A describe that runs where g++ is, and always under CI (which then fails without it rather than skip). */
export const describeWithGpp = describe.runIf(hasGpp || ci);

export interface EaDriver {
  /** The temp dir the driver and the files it reads are in. */
  dir: string;
  /** The driver binary. */
  path: string;
}

/** Compiles the driver into a fresh temp dir before the describe's tests (`warnings`: extra g++ flags); removes it after. */
export function useEaDriver(prefix: string, warnings: readonly string[] = []): EaDriver {
  const ea: EaDriver = { dir: '', path: '' };
  beforeAll(() => {
    if (!hasGpp) throw new Error('g++ not found, and CI=true requires it (apt-get install -y g++)');
    ea.dir = mkdtempSync(join(tmpdir(), prefix));
    ea.path = join(ea.dir, 'eaDriver');
    execFileSync(
      'g++',
      [
        '-std=c++17',
        '-O0',
        ...warnings,
        '-I',
        'test/mt5',
        '-I',
        'mt5/Include/PairTrade',
        '-o',
        ea.path,
        'test/mt5/eaDriver.cpp',
      ],
      { cwd: ROOT, stdio: 'pipe', timeout: 60_000 },
    );
  }, 60_000);
  afterAll(() => {
    if (ea.dir) rmSync(ea.dir, { recursive: true, force: true });
  });
  return ea;
}

/** Runs the driver on `commands`; its output lines. */
export function runDriver(ea: EaDriver, commands: string[]): string[] {
  const out = execFileSync(ea.path, [], { input: commands.join('\n') + '\n', encoding: 'utf8', timeout: 10_000 });
  return out.split('\n').filter((l) => l.length > 0);
}

/** The driver's commands for a sequence; each step's file is written into the driver's dir as `${name}-${i}.json`. */
export function sequenceCommands(ea: EaDriver, name: string, seq: Sequence): string[] {
  const cmds: string[] = [];
  for (const [pair, magic] of Object.entries(seq.pairs)) cmds.push(`magic ${pair} ${magic}`);
  for (const [sym, v] of Object.entries(seq.volumes)) cmds.push(`volume ${sym} ${v.min} ${v.step} ${v.max}`);
  seq.steps.forEach((s, i) => {
    cmds.push(`step ${s.now}`);
    if (s.restart) cmds.push('restart');
    if (s.trading === false) cmds.push('notrade');
    for (const [pair, a] of Object.entries(s.account ?? {})) cmds.push(`account ${pair} ${a.lots_A} ${a.lots_B}`);
    for (const b of s.broker ?? []) cmds.push(`broker ${b.pair_id} ${b.leg} ${b.retcode} ${b.filled}`);
    if (s.file !== undefined) {
      const path = join(ea.dir, `${name}-${i}.json`);
      writeFileSync(path, s.file);
      cmds.push(`file ${path}`);
    }
    cmds.push('end');
  });
  return cmds;
}

/** Plays a sequence through the driver: a line per step. */
export function playOnDriver(ea: EaDriver, name: string, seq: Sequence): (StepOut & { error: string })[] {
  return runDriver(ea, sequenceCommands(ea, name, seq)).map((l) => JSON.parse(l) as StepOut & { error: string });
}
