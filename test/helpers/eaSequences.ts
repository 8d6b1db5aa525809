// The shared EA sequences of test/fixtures/mt5/sequences (their format: test/fixtures/mt5/README.md) and the one
// comparison of a played sequence with its expectations, so the EA under g++ and pt paper are held to the same.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { TargetView, VolumeSpec } from '../../src/paper/index.js';

export interface Order {
  leg: string;
  side: string;
  lots: number;
  reduce: boolean;
  retcode?: number;
}
export interface LegLots {
  A: number;
  B: number;
}
export interface PairExpect {
  pair_id: string;
  act: boolean;
  why: string;
  target: TargetView | null;
  lots_after?: LegLots;
  alert?: string | null;
  orders?: Order[];
}
export interface Step {
  now: string;
  restart?: boolean;
  /** false: trading is not possible in this step (Algo Trading off): files are read, no run is made. */
  trading?: boolean;
  account?: Record<string, { lots_A: number; lots_B: number }>;
  broker?: { pair_id: string; leg: 'A' | 'B'; retcode: number; filled: number }[];
  file?: string;
  expect_file: string;
  expect: PairExpect[];
}
export interface Sequence {
  description: string;
  pairs: Record<string, number>;
  volumes: Record<string, VolumeSpec>;
  steps: Step[];
}
/** A pair's line of a played step. */
export interface PairOut {
  pair_id: string;
  act: boolean;
  why: string;
  target: TargetView | null;
  lots_after: LegLots | undefined;
  alert: string | null;
  orders: Order[];
}
/** A pair's line from the EA driver: it reports lots only for pairs in pairs.csv. */
export interface DriverPair extends Omit<PairOut, 'lots_after'> {
  lots_after?: LegLots;
}
/** A played step: the file's status and a line per pair; `error` is the EA driver's reason for a refused file. */
export interface StepOut {
  file: string;
  error?: string;
  pairs: DriverPair[];
}

const SEQ_DIR = join(import.meta.dirname, '..', 'fixtures/mt5/sequences');

export const sequenceNames = readdirSync(SEQ_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

export const loadSequence = (file: string) => JSON.parse(readFileSync(join(SEQ_DIR, file), 'utf8')) as Sequence;

/** Numbers of the sequences compare within 1e-9. */
export const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

/** Compares one reported pair with its expectation; a field absent from `want` is not compared. */
export function checkPair(where: string, got: DriverPair | undefined, want: PairExpect): void {
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
  if (want.lots_after) {
    expect(g.lots_after, `${where} lots_after`).toBeDefined();
    expect(
      close(g.lots_after!.A, want.lots_after.A) && close(g.lots_after!.B, want.lots_after.B),
      `${where} lots_after ${JSON.stringify(g.lots_after)}`,
    ).toBe(true);
  }
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

/** Compares every played step of sequence `name` with its expected file status and pairs. */
function checkSteps(name: string, seq: Sequence, out: readonly StepOut[]): void {
  seq.steps.forEach((s, i) => {
    const got = out[i]!;
    const where = `${name} step ${i}`;
    expect(got.file, got.error === undefined ? `${where} file` : `${where} file (${got.error})`).toBe(s.expect_file);
    expect(got.pairs.map((p) => p.pair_id).sort(), `${where} pairs`).toEqual(s.expect.map((p) => p.pair_id).sort());
    for (const want of s.expect)
      checkPair(
        `${where} ${want.pair_id}`,
        got.pairs.find((p) => p.pair_id === want.pair_id),
        want,
      );
  });
}

/**
 * Declares a test that there are at least `minimum` shared sequences, and one per sequence: `playOne` plays it and
 * every step must meet its expectations.
 */
export function itPlaysTheSequences(
  minimum: number,
  playOne: (name: string, seq: Sequence) => readonly StepOut[],
): void {
  it('has the shared sequences', () => {
    expect(sequenceNames.length).toBeGreaterThanOrEqual(minimum);
  });

  for (const file of sequenceNames) {
    it(`sequence ${file}`, () => {
      const name = file.replace(/\.json$/, '');
      const seq = loadSequence(file);
      checkSteps(name, seq, playOne(name, seq));
    });
  }
}
