// The EA's include files (mt5/Include/PairTrade), compiled once with g++ against test/mt5/mql5shim.h, run on
// every shared sequence of test/fixtures/mt5/sequences and on the parser, lot rounding and account.json cases.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountSchemaViolation } from '../../src/model/accountSchema.js';
import { signalFileViolation } from '../../src/model/signalFileSchema.js';
import { validateSignalFile } from '../../src/live/signal/validateSignalFile.js';
import { KernelDriver, SHARD0, shardFile } from '../live/signalFixtures.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SEQ_DIR = join(ROOT, 'test/fixtures/mt5/sequences');
const hasGpp = spawnSync('g++', ['--version']).status === 0;
const ci = process.env.CI === 'true';

if (!hasGpp && !ci) console.warn('[skip] g++ not found: the EA logic tests are skipped (apt-get install -y g++)');

interface Target {
  side: string;
  lots_A: number;
  lots_B: number;
}
interface Order {
  leg: string;
  side: string;
  lots: number;
  reduce: boolean;
  retcode?: number;
}
interface PairExpect {
  pair_id: string;
  act: boolean;
  why: string;
  target: Target | null;
  lots_after?: { A: number; B: number };
  alert?: string | null;
  orders?: Order[];
}
interface Step {
  now: string;
  restart?: boolean;
  account?: Record<string, { lots_A: number; lots_B: number }>;
  broker?: { pair_id: string; leg: 'A' | 'B'; retcode: number; filled: number }[];
  file?: string;
  expect_file: string;
  expect: PairExpect[];
}
interface Sequence {
  description: string;
  pairs: Record<string, number>;
  volumes: Record<string, { min: number; step: number; max: number }>;
  steps: Step[];
}
interface StepOut {
  step: number;
  file: string;
  error: string;
  pairs: (PairExpect & { lots_after: { A: number; B: number }; alert: string | null; orders: Order[] })[];
}

let dir = '';
let driver = '';

function run(commands: string[]): string[] {
  const out = execFileSync(driver, [], { input: commands.join('\n') + '\n', encoding: 'utf8', timeout: 10_000 });
  return out.split('\n').filter((l) => l.length > 0);
}

/** The driver's commands for a sequence (test/mt5/eaDriver.cpp lists them). */
function commandsOf(name: string, seq: Sequence): string[] {
  const cmds: string[] = [];
  for (const [pair, magic] of Object.entries(seq.pairs)) cmds.push(`magic ${pair} ${magic}`);
  for (const [sym, v] of Object.entries(seq.volumes)) cmds.push(`volume ${sym} ${v.min} ${v.step} ${v.max}`);
  seq.steps.forEach((s, i) => {
    cmds.push(`step ${s.now}`);
    if (s.restart) cmds.push('restart');
    for (const [pair, a] of Object.entries(s.account ?? {})) cmds.push(`account ${pair} ${a.lots_A} ${a.lots_B}`);
    for (const b of s.broker ?? []) cmds.push(`broker ${b.pair_id} ${b.leg} ${b.retcode} ${b.filled}`);
    if (s.file !== undefined) {
      const path = join(dir, `${name}-${i}.json`);
      writeFileSync(path, s.file);
      cmds.push(`file ${path}`);
    }
    cmds.push('end');
  });
  return cmds;
}

const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

function checkPair(where: string, got: StepOut['pairs'][number] | undefined, want: PairExpect): void {
  expect(got, `${where}: missing`).toBeDefined();
  const g = got!;
  expect({ act: g.act, why: g.why }, where).toEqual({ act: want.act, why: want.why });
  if (want.target === null) expect(g.target, `${where} target`).toBeNull();
  else {
    expect(g.target?.side, `${where} target side`).toBe(want.target.side);
    expect(
      close(g.target!.lots_A, want.target.lots_A) && close(g.target!.lots_B, want.target.lots_B),
      `${where} target lots ${JSON.stringify(g.target)}`,
    ).toBe(true);
  }
  if (want.lots_after)
    expect(
      close(g.lots_after.A, want.lots_after.A) && close(g.lots_after.B, want.lots_after.B),
      `${where} lots_after ${JSON.stringify(g.lots_after)}`,
    ).toBe(true);
  if ('alert' in want) expect(g.alert, `${where} alert`).toBe(want.alert);
  if (want.orders) {
    expect(g.orders.length, `${where} orders ${JSON.stringify(g.orders)}`).toBe(want.orders.length);
    want.orders.forEach((o, k) => {
      const h = g.orders[k]!;
      expect([h.leg, h.side, h.reduce], `${where} order ${k}`).toEqual([o.leg, o.side, o.reduce]);
      expect(close(h.lots, o.lots), `${where} order ${k} lots ${h.lots}`).toBe(true);
      if (o.retcode !== undefined) expect(h.retcode, `${where} order ${k} retcode`).toBe(o.retcode);
    });
  }
}

const sequenceNames = readdirSync(SEQ_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe.runIf(hasGpp || ci)('EA logic under g++', () => {
  beforeAll(() => {
    if (!hasGpp) throw new Error('g++ not found, and CI=true requires it (apt-get install -y g++)');
    dir = mkdtempSync(join(tmpdir(), 'pt-ea-'));
    driver = join(dir, 'eaDriver');
    execFileSync(
      'g++',
      [
        '-std=c++17',
        '-O0',
        '-Wall',
        '-Wextra',
        '-Werror',
        '-I',
        'test/mt5',
        '-I',
        'mt5/Include/PairTrade',
        '-o',
        driver,
        'test/mt5/eaDriver.cpp',
      ],
      { cwd: ROOT, stdio: 'pipe', timeout: 60_000 },
    );
  }, 60_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has the shared sequences', () => {
    expect(sequenceNames.length).toBeGreaterThanOrEqual(6);
  });

  for (const file of sequenceNames) {
    it(`sequence ${file}`, () => {
      const name = file.replace(/\.json$/, '');
      const seq = JSON.parse(readFileSync(join(SEQ_DIR, file), 'utf8')) as Sequence;
      const lines = run(commandsOf(name, seq)).map((l) => JSON.parse(l) as StepOut);
      expect(lines.length).toBe(seq.steps.length);
      seq.steps.forEach((s, i) => {
        const out = lines[i]!;
        const where = `${name} step ${i}`;
        expect(out.file, `${where} file (${out.error})`).toBe(s.expect_file);
        expect(out.pairs.map((p) => p.pair_id).sort(), `${where} pairs`).toEqual(s.expect.map((p) => p.pair_id).sort());
        for (const want of s.expect)
          checkPair(
            `${where} ${want.pair_id}`,
            out.pairs.find((p) => p.pair_id === want.pair_id),
            want,
          );
      });
    });
  }

  it('rounds lots at SYMBOL_VOLUME_STEP edges', () => {
    const cases: [number, number, number, number, number | null][] = [
      [0.015, 0.01, 0.01, 100, 0.02], // half a step rounds up
      [0.0149999, 0.01, 0.01, 100, 0.01],
      [0.3, 0.1, 0.1, 10, 0.3], // 0.3 / 0.1 = 2.9999999999999996 steps
      [0.1 + 0.2, 0.01, 0.01, 10, 0.3],
      [0.0049, 0.01, 0.01, 1, null], // rounds to 0
      [0.005, 0.01, 0.01, 1, 0.01],
      [0.09, 0.1, 0.01, 10, null], // under min
      [10.004, 0.01, 0.01, 10, 10],
      [10.005, 0.01, 0.01, 10, null], // 10.01 over max
      [1.25, 1, 1, 100, 1],
      [1.5, 1, 1, 100, 2],
      [0.7, 0.01, 0, 100, null], // no step: cannot size
    ];
    const out = run(cases.map(([l, mn, st, mx]) => `round ${l} ${mn} ${st} ${mx}`)).map(
      (l) => (JSON.parse(l) as { round: number | null }).round,
    );
    out.forEach((r, i) => {
      const want = cases[i]![4];
      if (want === null) expect(r, `case ${i}`).toBeNull();
      else expect(close(r!, want), `case ${i}: ${r}`).toBe(true);
    });
  });

  it('accepts exactly the signal files the TypeScript validator accepts', () => {
    const texts: string[] = [];
    for (const file of sequenceNames) {
      const seq = JSON.parse(readFileSync(join(SEQ_DIR, file), 'utf8')) as Sequence;
      for (const s of seq.steps) if (s.file !== undefined) texts.push(s.file);
    }
    // files the way pt live builds them: real kernels through an open, a hold and a close
    const drivers = SHARD0.map((p) => new KernelDriver(p));
    for (let i = 0; i < 6; i++) texts.push(JSON.stringify(shardFile(drivers, i, 1_700_000_000_000_000 + i), null, 2));
    const paths = texts.map((t, i) => {
      const path = join(dir, `parse-${i}.json`);
      writeFileSync(path, t);
      return path;
    });
    const out = run(paths.map((p) => `parse ${p}`)).map(
      (l) => JSON.parse(l) as { valid: boolean; error: string; seq: number | null },
    );
    let valid = 0;
    texts.forEach((t, i) => {
      let tsValid = true;
      try {
        validateSignalFile(JSON.parse(t));
      } catch {
        tsValid = false;
      }
      // The EA refuses one thing the schema's pattern lets through: a time that names no real instant.
      if (tsValid && /2024-02-30/.test(t)) tsValid = false;
      expect(out[i]!.valid, `file ${i}: ${out[i]!.error} | ${t.slice(0, 200)}`).toBe(tsValid);
      if (tsValid) {
        valid++;
        expect(out[i]!.seq).toBe((JSON.parse(t) as { seq: number }).seq);
      }
    });
    expect(valid).toBeGreaterThan(20);
    expect(valid).toBeLessThan(texts.length);
    expect(signalFileViolation(JSON.parse(texts[texts.length - 1]!))).toBeUndefined();
  });

  it('writes an account.json that its schema accepts', () => {
    const text = run(['account_json'])[0]!;
    const account = JSON.parse(text) as { positions: Record<string, { tickets: number[] }> };
    expect(accountSchemaViolation(account)).toBeUndefined();
    expect(account.positions.EURUSD_GBPUSD!.tickets).toEqual([5001, 5002]);
    // A naked leg goes into account.json as a critical alert, which pt live logs CRITICAL.
    expect((account as unknown as { alerts: unknown[] }).alerts).toEqual([
      { pair_id: 'XAUUSD_XAGUSD', alert: 'naked_leg', critical: true, lots_A: 0.5, lots_B: 0 },
    ]);
  });
});
