// The EA's include files (mt5/Include/PairTrade), compiled once with g++ against test/mt5/mql5shim.h, run on
// every shared sequence of test/fixtures/mt5/sequences and on the parser, lot rounding and account.json cases.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { accountSchemaViolation } from '../../src/model/accountSchema.js';
import { signalFileViolation } from '../../src/model/signalFileSchema.js';
import { validateSignalFile } from '../../src/live/signal/validateSignalFile.js';
import { ci, describeWithGpp, hasGpp, playOnDriver, runDriver, useEaDriver } from '../helpers/eaDriver.js';
import { close, itPlaysTheSequences, loadSequence, sequenceNames } from '../helpers/eaSequences.js';
import { KernelDriver, SHARD0, shardFile } from '../live/signalFixtures.js';

if (!hasGpp && !ci) console.warn('[skip] g++ not found: the EA logic tests are skipped (apt-get install -y g++)');

describeWithGpp('EA logic under g++', () => {
  const ea = useEaDriver('pt-ea-', ['-Wall', '-Wextra', '-Werror']);
  const run = (commands: string[]) => runDriver(ea, commands);

  itPlaysTheSequences(6, (name, seq) => {
    const lines = playOnDriver(ea, name, seq);
    expect(lines.length).toBe(seq.steps.length);
    return lines;
  });

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
      for (const s of loadSequence(file).steps) if (s.file !== undefined) texts.push(s.file);
    }
    // files the way pt live builds them: real kernels through an open, a hold and a close
    const drivers = SHARD0.map((p) => new KernelDriver(p));
    for (let i = 0; i < 6; i++) texts.push(JSON.stringify(shardFile(drivers, i, 1_700_000_000_000_000 + i), null, 2));
    const paths = texts.map((t, i) => {
      const path = join(ea.dir, `parse-${i}.json`);
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

  it('reads pairs.csv and symbols.csv saved with a byte-order mark (Notepad: UTF-8 with BOM)', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const write = (name: string, text: string) => {
      const path = join(ea.dir, name);
      writeFileSync(path, Buffer.concat([bom, Buffer.from(text, 'utf8')]));
      return path;
    };
    const pairs = [
      write('pairs-header.csv', 'pair_id,magic\r\nXAUUSD_XAGUSD,880101\r\nEURUSD_GBPUSD,880102\r\n'),
      write('pairs-bare.csv', 'XAUUSD_XAGUSD,880101\nEURUSD_GBPUSD,880102\n'),
      write('pairs-empty.csv', ''),
    ];
    const symbols = write('symbols.csv', 'XAUUSD,XAUUSD.r\r\nEURUSD,EURUSDm\r\n');
    const out = run([...pairs.map((p) => `pairs_csv ${p}`), `symbols_csv ${symbols} XAUUSD EURUSD GBPUSD`]).map(
      (l) => JSON.parse(l) as { ok: boolean; error: string; pairs?: [string, number][]; resolved?: string[] },
    );
    const want = [
      ['XAUUSD_XAGUSD', 880101],
      ['EURUSD_GBPUSD', 880102],
    ];
    expect(out[0]).toEqual({ ok: true, error: '', pairs: want });
    expect(out[1]).toEqual({ ok: true, error: '', pairs: want });
    expect(out[2]).toEqual({ ok: false, error: 'pairs.csv lists no pair', pairs: [] });
    expect(out[3]).toEqual({ ok: true, error: '', resolved: ['XAUUSD.r', 'EURUSDm', 'GBPUSD.s'] });
  });

  it("keeps each target's entry expiry in the state file, and reads a state file from before it", () => {
    const write = (name: string, text: string) => {
      const path = join(ea.dir, name);
      writeFileSync(path, text);
      return path;
    };
    const seen = 'seen 0123456789abcdef01234567\n';
    const files = [
      write(
        'state-now.txt',
        `pt-ea-state v1\nseq 7\ntarget XAUUSD_XAGUSD LONG_SPREAD 0.1 -0.5 XAUUSD XAGUSD 2024-03-04T12:00:00.000Z\ntarget EURUSD_GBPUSD FLAT 0 0 - - -\n${seen}`,
      ),
      // before the expiry was kept: a target allows no entry ("-")
      write('state-old.txt', `pt-ea-state v1\nseq 7\ntarget XAUUSD_XAGUSD LONG_SPREAD 0.1 -0.5 XAUUSD XAGUSD\n${seen}`),
      write(
        'state-bad.txt',
        'pt-ea-state v1\nseq 7\ntarget XAUUSD_XAGUSD LONG_SPREAD 0.1 -0.5 XAUUSD XAGUSD 2024-02-30T12:00:00Z\n',
      ),
    ];
    const out = run(['magic XAUUSD_XAGUSD 1', 'magic EURUSD_GBPUSD 2', ...files.map((f) => `state_load ${f}`)]).map(
      (l) => JSON.parse(l) as { ok: boolean; error: string; text: string },
    );
    expect(out[0]!.text).toBe(
      `pt-ea-state v1\nseq 7\ntarget XAUUSD_XAGUSD LONG_SPREAD 0.1 -0.5 XAUUSD XAGUSD 2024-03-04T12:00:00.000Z\ntarget EURUSD_GBPUSD FLAT 0 0 - - -\n${seen}`,
    );
    expect(out[1]!.text).toContain('target XAUUSD_XAGUSD LONG_SPREAD 0.1 -0.5 XAUUSD XAGUSD -\n');
    expect(out[2]).toMatchObject({ ok: false, error: expect.stringContaining('malformed expiry') });
  });

  it('writes an account.json that its schema accepts', () => {
    const text = run(['account_json'])[0]!;
    const account = JSON.parse(text) as { positions: Record<string, { tickets: number[] }> };
    expect(accountSchemaViolation(account)).toBeUndefined();
    expect(account.positions.EURUSD_GBPUSD!.tickets).toEqual([5001, 5002]);
    // A naked leg goes into account.json as a critical alert, which pt live logs CRITICAL; an entry given up at its
    // expiry is not critical (pt live logs a warning).
    expect((account as unknown as { alerts: unknown[] }).alerts).toEqual([
      { pair_id: 'XAUUSD_XAGUSD', alert: 'naked_leg', critical: true, lots_A: 0.5, lots_B: 0 },
      { pair_id: 'EURUSD_GBPUSD', alert: 'entry_expired', critical: false, lots_A: -0.37, lots_B: 0.41 },
    ]);
  });
});
