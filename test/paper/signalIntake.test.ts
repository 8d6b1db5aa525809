// pt paper's intake (src/paper) on every shared EA sequence of test/fixtures/mt5/sequences, compared field by
// field as test/mt5/eaLogic.test.ts compares the g++-compiled EA: the two must agree on every step.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PtError } from '../../src/core/ptError.js';
import { realInstantMs, roundLots, SEEN_CAP, SeenIds, SignalIntake } from '../../src/paper/index.js';
import { close, itPlaysTheSequences, loadSequence, sequenceNames, type Sequence } from '../helpers/eaSequences.js';
import { play } from './playSequence.js';

describe('pt paper intake on the shared EA sequences', () => {
  itPlaysTheSequences(7, (_name, seq) => play(seq));

  it('compares orders, lots_after and alerts somewhere (the fixtures exercise the convergence run)', () => {
    const all = sequenceNames.flatMap((f) => loadSequence(f).steps.flatMap((s) => s.expect));
    expect(all.filter((e) => e.orders !== undefined && e.orders.length > 0).length).toBeGreaterThan(3);
    expect(all.filter((e) => typeof e.alert === 'string').length).toBeGreaterThan(2);
    expect(all.filter((e) => e.lots_after !== undefined).length).toBeGreaterThan(10);
  });
});

/** The first accepted file of duplicate_signal_id.json and the pairs and volumes it runs with. */
function goodFile(): { seq: Sequence; text: string; now: number } {
  const seq = loadSequence('duplicate_signal_id.json');
  const step = seq.steps[0]!;
  return { seq, text: step.file!, now: realInstantMs(step.now)! };
}

/** A newer file than `text`: seq + 1, fresh signal_ids, the XAU pair short, no trailing whitespace. */
function newerFile(text: string): string {
  const f = JSON.parse(text) as {
    seq: number;
    signals: { signal_id: string; target: { side: string; legs: { side: string }[] } }[];
  };
  f.seq += 1;
  f.signals.forEach((s, i) => {
    s.signal_id = `${'f'.repeat(23)}${i}`;
  });
  return JSON.stringify(f);
}

describe('pt paper intake: torn files', () => {
  it('refuses every byte truncation of a good file and keeps the last good one', () => {
    const { seq, text, now } = goodFile();
    const intake = new SignalIntake(seq.pairs, seq.volumes);
    expect(intake.read(text, now).file).toBe('accepted');
    const before = JSON.stringify(intake.save());
    const next = Buffer.from(newerFile(text), 'utf8');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: next.length - 1 }), (cut) => {
        const step = intake.read(next.subarray(0, cut).toString('utf8'), now);
        expect(step.file).toBe('invalid_file');
        expect(step.decisions.every((d) => !d.act && d.why === 'invalid_file')).toBe(true);
        expect(JSON.stringify(intake.save())).toBe(before);
      }),
      { numRuns: 300 },
    );
    // The whole newer file is taken: the refusals above were the tear's doing.
    const whole = intake.read(next.toString('utf8'), now);
    expect(whole.file).toBe('accepted');
    expect(whole.decisions.some((d) => d.act)).toBe(true);
  });

  it('refuses a file whose time matches the pattern but names no instant', () => {
    const { seq, text, now } = goodFile();
    const intake = new SignalIntake(seq.pairs, seq.volumes);
    const bad = text.replace(/"generated_at":\s*"[^"]*"/, '"generated_at": "2024-02-30T11:00:01.000Z"');
    expect(bad).not.toBe(text);
    expect(intake.read(bad, now).file).toBe('invalid_file');
    expect(intake.read(text, now).file).toBe('accepted');
  });
});

describe('pt paper intake: parts', () => {
  it('rounds lots at SYMBOL_VOLUME_STEP edges as the EA does', () => {
    const cases: [number, number, number, number, number | undefined][] = [
      [0.015, 0.01, 0.01, 100, 0.02],
      [0.0149999, 0.01, 0.01, 100, 0.01],
      [0.3, 0.1, 0.1, 10, 0.3],
      [0.1 + 0.2, 0.01, 0.01, 10, 0.3],
      [0.0049, 0.01, 0.01, 1, undefined],
      [0.005, 0.01, 0.01, 1, 0.01],
      [0.09, 0.1, 0.01, 10, undefined],
      [10.004, 0.01, 0.01, 10, 10],
      [10.005, 0.01, 0.01, 10, undefined],
      [1.25, 1, 1, 100, 1],
      [1.5, 1, 1, 100, 2],
      [0.7, 0.01, 0, 100, undefined],
    ];
    for (const [lots, min, step, max, want] of cases) {
      const got = roundLots(lots, { min, step, max });
      if (want === undefined) expect(got, `${lots}`).toBeUndefined();
      else expect(close(got!, want), `${lots}: ${got}`).toBe(true);
    }
  });

  it('rounded lots are whole steps within [min, max] and within half a step of the request', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-4, max: 200, noNaN: true }), fc.constantFrom(0.01, 0.1, 1), (lots, step) => {
        const got = roundLots(lots, { min: step, step, max: 100 });
        if (got === undefined) return lots < step * 0.5 + 1e-9 || lots > 100 + step * 0.5 - 1e-9;
        const steps = got / step;
        return Math.abs(steps - Math.round(steps)) < 1e-6 && Math.abs(got - lots) <= step * 0.5 + 1e-9 && got <= 100;
      }),
    );
  });

  it('keeps the newest SEEN_CAP signal_ids', () => {
    const seen = new SeenIds();
    const id = (i: number) => i.toString(16).padStart(24, '0');
    for (let i = 0; i <= SEEN_CAP; i++) seen.add(id(i));
    expect(seen.has(id(0))).toBe(false);
    expect(seen.has(id(1))).toBe(true);
    expect(seen.has(id(SEEN_CAP))).toBe(true);
    expect(seen.list().length).toBe(SEEN_CAP);
  });

  it('names real instants only', () => {
    expect(realInstantMs('2024-03-04T11:00:05.5Z')).toBe(Date.UTC(2024, 2, 4, 11, 0, 5, 500));
    expect(realInstantMs('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    for (const bad of ['2023-02-29T00:00:00Z', '2024-04-31T00:00:00Z', '2024-13-01T00:00:00Z', '2024-01-01T24:00:00Z'])
      expect(realInstantMs(bad), bad).toBeUndefined();
    expect(realInstantMs('2024-01-01T00:00:00.1234Z')).toBeUndefined();
  });

  it('refuses to restore a malformed state', () => {
    const { seq } = goodFile();
    const good = new SignalIntake(seq.pairs, seq.volumes).save();
    for (const bad of [null, { ...good, version: 2 }, { ...good, seen: ['xyz'] }, { ...good, last_seq: -1 }]) {
      let error: unknown;
      try {
        SignalIntake.restore(seq.pairs, seq.volumes, bad);
      } catch (e) {
        error = e;
      }
      expect(error instanceof PtError && error.id === 'OPS_PAPER_STATE', JSON.stringify(bad)).toBe(true);
    }
    expect(SignalIntake.restore(seq.pairs, seq.volumes, good).save()).toEqual(good);
  });

  it("keeps the open's expiry in its state; a target saved without one allows no entry", () => {
    const { seq, text, now } = goodFile();
    const intake = new SignalIntake(seq.pairs, seq.volumes);
    intake.read(text, now);
    const saved = intake.save();
    const xau = saved.targets.XAUUSD_XAGUSD!;
    expect(xau.side).toBe('LONG_SPREAD');
    const opened = JSON.parse(text) as { signals: { pair_id: string; expires_at: string }[] };
    expect(xau.expires_ms).toBe(realInstantMs(opened.signals.find((e) => e.pair_id === 'XAUUSD_XAGUSD')!.expires_at));
    expect(saved.targets.EURUSD_GBPUSD!.expires_ms).toBeNull();
    // before the expiry: the entry is sent; a target from an older save (no expires_ms): given up
    expect(intake.convergeFrom('XAUUSD_XAGUSD', [0, 0], now)).toBeDefined();
    const { expires_ms: _dropped, ...older } = xau;
    const restored = SignalIntake.restore(seq.pairs, seq.volumes, { ...saved, targets: { XAUUSD_XAGUSD: older } });
    expect(restored.convergeFrom('XAUUSD_XAGUSD', [0, 0], now)).toBeUndefined();
    expect(restored.alert('XAUUSD_XAGUSD')).toBe('entry_expired');
    expect(restored.target('XAUUSD_XAGUSD')).toEqual({ side: 'FLAT', lots_A: 0, lots_B: 0 });
    let error: unknown;
    try {
      SignalIntake.restore(seq.pairs, seq.volumes, {
        ...saved,
        targets: { XAUUSD_XAGUSD: { ...xau, expires_ms: 'x' } },
      });
    } catch (e) {
      error = e;
    }
    expect(error instanceof PtError && error.id === 'OPS_PAPER_STATE').toBe(true);
  });
});
