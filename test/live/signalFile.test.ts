// signal.json claims: the schema file in mt5/ is the one pt validates with; files built from real kernels
// pass and broken ones are refused with CORE_SIGNAL_SCHEMA; entries carry the target's legs and sides;
// signal_id is deterministic; seq grows strictly, across a lost cache too; a refused write leaves the old file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { isPtError } from '../../src/core/ptError.js';
import { SIGNAL_FILE_SCHEMA } from '../../src/model/signalFileSchema.js';
import { nextSeq } from '../../src/live/signal/nextSeq.js';
import { signalEntryFrom } from '../../src/live/signal/signalEntryFrom.js';
import { signalId } from '../../src/live/signal/signalId.js';
import type { SignalFile } from '../../src/live/signal/signalTypes.js';
import { validateSignalFile } from '../../src/live/signal/validateSignalFile.js';
import { writeSignalFile } from '../../src/live/signal/writeSignalFile.js';
import { pairOf } from '../decision/config.js';
import { HOUR_MS, KernelDriver, SHARD0, shardFile, T0 } from './signalFixtures.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Shard 0's files over a full open → hold → close cycle: bars 0..5. */
function cycle(): SignalFile[] {
  const drivers = SHARD0.map((id) => new KernelDriver(id));
  return [0, 1, 2, 3, 4, 5].map((i) => shardFile(drivers, i, 1000 + i));
}

/** The id of the error validateSignalFile throws for `file`, and its message. */
function refusal(file: unknown): { id: string; message: string } {
  try {
    validateSignalFile(file);
  } catch (e) {
    if (isPtError(e)) return { id: e.id, message: e.message };
    throw e;
  }
  throw new Error('validateSignalFile accepted the file');
}

const clone = (f: SignalFile): SignalFile => structuredClone(f);

describe('signal.json schema', () => {
  it('mt5/schemas/signal.schema.json is the schema pt validates with', () => {
    const file = JSON.parse(readFileSync(new URL('../../mt5/schemas/signal.schema.json', import.meta.url), 'utf8'));
    // After a change of the constant: npm run build && node scripts/signal-schema.mjs
    expect(file).toEqual(JSON.parse(JSON.stringify(SIGNAL_FILE_SCHEMA)));
  });

  it('accepts every file of an open → hold → close cycle built from real kernels', () => {
    const files = cycle();
    const actions = files.map((f) => f.signals[0]!.action);
    expect(actions).toEqual(['hold', 'open', 'hold', 'close', 'hold', 'hold']);
    for (const f of files) {
      expect(f.signals.map((s) => s.pair_id)).toEqual(SHARD0);
      expect(() => validateSignalFile(f)).not.toThrow();
      // What the EA parses is the JSON text: it must hold too.
      expect(() => validateSignalFile(JSON.parse(JSON.stringify(f)))).not.toThrow();
    }
  });

  it.each<[string, (f: SignalFile) => void, RegExp]>([
    ['a signal without pair_id', (f) => delete (f.signals[0] as Partial<SignalFile['signals'][0]>).pair_id, /pair_id/],
    ['an unknown action', (f) => ((f.signals[0] as { action: string }).action = 'buy'), /action.*open/],
    ['negative lots', (f) => (f.signals[0]!.target.legs[1]!.lots = -0.5), /legs\/1\/lots/],
    ['zero lots on a leg of a non-flat target', (f) => (f.signals[0]!.target.legs[0]!.lots = 0), /legs\/0\/lots/],
    ['a non-flat target with one leg', (f) => f.signals[0]!.target.legs.pop(), /legs/],
    ['a FLAT target with legs', (f) => (f.signals[0]!.target.side = 'FLAT'), /legs/],
    ['an open without expires_at', (f) => (f.signals[0]!.expires_at = null), /expires_at/],
    ['a NaN z (not JSON)', (f) => (f.signals[0]!.z = Number.NaN), /\/z/],
    ['a bar_ts without Z', (f) => (f.signals[0]!.bar_ts = '2024-03-04T01:00:00'), /bar_ts/],
    ['a wrong schema_version', (f) => ((f as { schema_version: string }).schema_version = 'v2'), /schema_version/],
    ['a seq of 0', (f) => (f.seq = 0), /seq/],
    ['a short signal_id', (f) => (f.signals[0]!.signal_id = 'abc'), /signal_id/],
    ['an unknown field', (f) => ((f.signals[0] as unknown as Record<string, unknown>).extra = 1), /additional/],
    ['a pair listed twice', (f) => f.signals.push(structuredClone(f.signals[0]!)), /appears twice/],
  ])('refuses %s with CORE_SIGNAL_SCHEMA naming it', (_what, breakIt, named) => {
    const f = clone(cycle()[1]!);
    expect(f.signals[0]!.action).toBe('open');
    breakIt(f);
    const r = refusal(f);
    expect(r.id).toBe('CORE_SIGNAL_SCHEMA');
    expect(r.message).toMatch(named);
  });

  it('refuses expires_at on a close', () => {
    const f = clone(cycle()[3]!);
    f.signals[0]!.expires_at = f.signals[0]!.bar_ts;
    expect(refusal(f).message).toMatch(/expires_at/);
  });
});

describe('signalEntryFrom', () => {
  it('an open carries both legs with BUY/SELL from the signed lots, broker symbols, and expires one bar after its close', () => {
    const d = new KernelDriver('XAUUSD_XAGUSD');
    d.step(0, 0);
    const a = d.step(1, 2.5, 0.8, 0.7, 0.2);
    expect(a.action).toBe('open');
    const e = signalEntryFrom(a, d.kernel.pair, { shard: 0, barMs: HOUR_MS, positionScale: 0.5, ttlBars: 1 });
    expect(e).toMatchObject({
      pair_id: 'XAUUSD_XAGUSD',
      bar_ts: new Date(T0 + HOUR_MS).toISOString(),
      action: 'open',
      side: 'SHORT_SPREAD',
      target: {
        side: 'SHORT_SPREAD',
        legs: [
          { symbol: 'XAUUSD', broker_symbol: 'XAUUSD', side: 'SELL', lots: Math.abs(a.targetLotsA) },
          { symbol: 'XAGUSD', broker_symbol: 'XAGUSD', side: 'BUY', lots: Math.abs(a.targetLotsB) },
        ],
      },
      z: 2.5,
      beta: 0.8,
      return_prob: 0.7,
      risk_score: 0.2,
      position_scale: 0.5,
      reason: 'entry',
      // bar 1 opens at T0+1h, closes at T0+2h; one bar later:
      expires_at: new Date(T0 + 3 * HOUR_MS).toISOString(),
    });
    expect(a.targetLotsA).toBeLessThan(0);
    expect(a.targetLotsB).toBeGreaterThan(0);
  });

  it('broker_symbol comes from the universe leg, not the canonical symbol', () => {
    const d = new KernelDriver('XAUUSD_XAGUSD');
    d.step(0, 0);
    const a = d.step(1, -2.5);
    const pair = structuredClone(pairOf('XAUUSD_XAGUSD'));
    pair.leg_A.broker_symbol = 'XAUUSD.m';
    pair.leg_B.broker_symbol = 'XAGUSD.m';
    const e = signalEntryFrom(a, pair, { shard: 0, barMs: HOUR_MS, positionScale: 1, ttlBars: 1 });
    expect(e.target.legs.map((l) => [l.symbol, l.broker_symbol, l.side])).toEqual([
      ['XAUUSD', 'XAUUSD.m', 'BUY'],
      ['XAGUSD', 'XAGUSD.m', 'SELL'],
    ]);
  });

  it("the kernel's none is a hold with a FLAT target, no legs, null for undefined values and no expiry", () => {
    const d = new KernelDriver('EURUSD_GBPUSD');
    const a = d.step(0, Number.NaN, Number.NaN);
    expect(a.action).toBe('none');
    const e = signalEntryFrom(a, d.kernel.pair, { shard: 0, barMs: HOUR_MS, positionScale: 1, ttlBars: 1 });
    expect(e).toMatchObject({
      action: 'hold',
      side: 'FLAT',
      target: { side: 'FLAT', legs: [] },
      z: null,
      beta: null,
      return_prob: null,
      risk_score: null,
      expires_at: null,
    });
    expect(e.signal_id).toBe(signalId(0, 'EURUSD_GBPUSD', T0, 'hold'));
  });

  it('a hold keeps the open target; a close targets FLAT and names the side it closes', () => {
    const files = cycle();
    const [open, hold, close] = [files[1]!.signals[0]!, files[2]!.signals[0]!, files[3]!.signals[0]!];
    expect(hold.target).toEqual(open.target);
    expect(hold.expires_at).toBeNull();
    expect(close).toMatchObject({
      action: 'close',
      side: 'SHORT_SPREAD',
      reason: 'z_exit',
      target: { side: 'FLAT', legs: [] },
    });
  });
});

describe('signalId', () => {
  it('is a 24-hex SHA-256 prefix of shard, pair, bar and action: same inputs, same id; any change, another id', () => {
    const id = signalId(0, 'XAUUSD_XAGUSD', T0, 'open');
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    // Pinned: a change of the canonical string would give an EA that already acted a second signal.
    expect(id).toBe(signalId(0, 'XAUUSD_XAGUSD', T0, 'open'));
    // = sha256("v1|0|XAUUSD_XAGUSD|1709510400000|open")[0:24], from sha256sum.
    expect(id).toBe('e4733dbd45d4c86473737aca');
    const others = [
      signalId(1, 'XAUUSD_XAGUSD', T0, 'open'),
      signalId(0, 'EURUSD_GBPUSD', T0, 'open'),
      signalId(0, 'XAUUSD_XAGUSD', T0 + HOUR_MS, 'open'),
      signalId(0, 'XAUUSD_XAGUSD', T0, 'close'),
    ];
    expect(new Set([id, ...others]).size).toBe(5);
  });

  it('a replayed cycle yields the same ids for the same bars', () => {
    const a = cycle().flatMap((f) => f.signals.map((s) => s.signal_id));
    const b = cycle().flatMap((f) => f.signals.map((s) => s.signal_id));
    expect(b).toEqual(a);
    expect(new Set(a).size).toBe(a.length);
  });
});

describe('nextSeq', () => {
  it('grows strictly whatever the clock does, and starts at the clock floor without a previous seq', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5_000, max: 5_000 }), { minLength: 1, maxLength: 200 }), (steps) => {
        let now = T0;
        let seq: number | undefined;
        for (const step of steps) {
          now += step;
          const next = nextSeq(seq, now);
          if (seq === undefined) expect(next).toBe(now * 1000);
          else expect(next).toBeGreaterThan(seq);
          expect(next).toBeGreaterThanOrEqual(Math.floor(now * 1000));
          seq = next;
        }
      }),
    );
  });

  it('a restart that lost its cache still writes above every earlier seq (writes at most one per µs of wall time)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 0, max: 10 }),
        (gapsMs, restartAfterMs) => {
          let now = T0 + 0.123;
          let seq: number | undefined;
          // Many writes within one ms: seq runs ahead of the floor by at most their count.
          for (const gap of gapsMs) {
            for (let k = 0; k < 100; k++) seq = nextSeq(seq, now);
            now += gap;
          }
          const restarted = nextSeq(undefined, now + restartAfterMs);
          expect(restarted).toBeGreaterThan(seq!);
        },
      ),
    );
  });

  it('refuses a seq beyond exact doubles', () => {
    expect(() => nextSeq(Number.MAX_SAFE_INTEGER, T0)).toThrow(RangeError);
  });
});

describe('writeSignalFile', () => {
  it('writes the JSON the schema accepts, replaces it, and a refused file leaves the previous one and no temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-signal-'));
    dirs.push(dir);
    const path = join(dir, 'shard_0', 'signal.json');
    const [f0, f1] = cycle();
    await writeSignalFile(path, f0!);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(f0);
    await writeSignalFile(path, f1!);
    const written = readFileSync(path, 'utf8');
    expect(JSON.parse(written)).toEqual(f1);
    const bad = clone(f1!);
    (bad.signals[0] as { action: string }).action = 'buy';
    await expect(writeSignalFile(path, bad)).rejects.toMatchObject({ id: 'CORE_SIGNAL_SCHEMA' });
    expect(readFileSync(path, 'utf8')).toBe(written);
    expect(readdirSync(join(dir, 'shard_0'))).toEqual(['signal.json']);
  });

  it('a temp file left by a dead writer is swept, and the file written whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-signal-'));
    dirs.push(dir);
    const path = join(dir, 'signal.json');
    writeFileSync(join(dir, '.signal.json.tmp-999999999'), '{"half');
    await writeSignalFile(path, cycle()[0]!);
    expect(readdirSync(dir)).toEqual(['signal.json']);
  });
});
