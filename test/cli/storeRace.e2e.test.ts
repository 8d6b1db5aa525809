// Two writers of one symbol at once (probe cases 48 and 49): real `pt ingest` processes racing on one store, several times.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runPtAsync, type PtRun } from '../helpers/runPt.js';
import { storedBars } from '../helpers/storedBars.js';

const configDir = join(repoRoot, 'config');
const ptAsync = (args: string[], onStart?: (pid: number) => void) =>
  runPtAsync(['-c', configDir, ...args], { onStart });
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pt-race-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The probe's generator: hourly weekday bars 2019–2021 of a random walk, hours < 12 in A, the rest in B. */
function raceCsvs(dir: string): { a: string; b: string; rows: number } {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() || 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const a = ['ts,open,high,low,close'];
  const b = [...a];
  let p = 100;
  for (let t = Date.UTC(2019, 0, 1); t < Date.UTC(2022, 0, 1); t += 3_600_000) {
    const d = new Date(t);
    if (d.getUTCDay() === 0 || d.getUTCDay() === 6) continue;
    const c = p * (1 + gauss() * 0.001);
    const row = `${d.toISOString().slice(0, 19).replace('T', ' ')},${p.toFixed(5)},${(Math.max(p, c) + 0.01).toFixed(5)},${(Math.min(p, c) - 0.01).toFixed(5)},${c.toFixed(5)}`;
    (d.getUTCHours() < 12 ? a : b).push(row);
    p = c;
  }
  writeFileSync(join(dir, 'raceA.csv'), `${a.join('\n')}\n`);
  writeFileSync(join(dir, 'raceB.csv'), `${b.join('\n')}\n`);
  return { a: join(dir, 'raceA.csv'), b: join(dir, 'raceB.csv'), rows: a.length + b.length - 2 };
}

/** The writer lock files of a symbol (in its folder). */
const lockFiles = (dataDir: string, symbol = 'RACE') =>
  readdirSync(join(dataDir, 'canonical', '1h', symbol)).filter((n) => n.startsWith('.writer.lock-'));

describe('two pt ingest runs of one symbol at once', () => {
  /** Rows a run reports as new (0 when it found the symbol up to date). */
  const newRows = (r: PtRun) => Number(/: \d+ rows fetched, (\d+) new/.exec(r.stdout)?.[1] ?? 0);

  it('keeps every row of two concurrent pt ingest runs of one symbol, three times in a row, plain and --full (probe #48)', async () => {
    const inputs = tempDir();
    const { a, b, rows } = raceCsvs(inputs);
    expect(rows).toBe(18_816);
    let waited = 0;
    for (const full of [false, true])
      for (let trial = 0; trial < 3; trial++) {
        const dataDir = join(tempDir(), 'data');
        const ingest = (path: string) =>
          ptAsync([
            'ingest',
            '--source',
            'csv',
            '--path',
            path,
            '--symbols',
            'RACE',
            '--timeframe',
            '1h',
            '--data-dir',
            dataDir,
            ...(full ? ['--full'] : []),
          ]);
        const [ra, rb] = await Promise.all([ingest(a), ingest(b)]);
        expect(ra.code, ra.stderr).toBe(0);
        expect(rb.code, rb.stderr).toBe(0);
        waited += [ra, rb].filter((r) => /waiting for the lock on 1h\/RACE held by pid \d+/.test(r.stderr)).length;
        const { bars, wm } = await storedBars(dataDir, 'RACE');
        // Every row a run reports as new is in the store. A plain run that starts while the other is
        // writing plans from the other's watermark at that moment (as if it ran after it); --full does not.
        expect(bars.length).toBe(newRows(ra) + newRows(rb));
        if (full) expect(bars.length).toBe(18_816);
        expect(wm!.last_ts).toBe(bars.ts[bars.length - 1]);
        expect(lockFiles(dataDir)).toEqual([]);
      }
    // The runs did overlap: one of them had to wait for the other.
    expect(waited).toBeGreaterThanOrEqual(1);
  });

  it('keeps the rows of overlapping --from/--to runs at once, and the watermark never moves back (probe #49)', async () => {
    const range1 = ['--from', '2022-01-01', '--to', '2022-07-15'];
    const range2 = ['--from', '2022-07-01', '--to', '2023-01-01'];
    const ingest = (dataDir: string, range: string[], full: boolean) =>
      ptAsync([
        'ingest',
        '--source',
        'synthetic',
        '--symbols',
        'SYNA',
        '--timeframe',
        '1h',
        ...range,
        '--data-dir',
        dataDir,
        ...(full ? ['--full'] : []),
      ]);
    const sequential = join(tempDir(), 'data');
    expect((await ingest(sequential, range1, false)).code).toBe(0);
    expect((await ingest(sequential, range2, false)).code).toBe(0);
    const want = await storedBars(sequential, 'SYNA');
    expect(want.bars.length).toBe(6240);
    for (const full of [false, true, false, true]) {
      const dataDir = join(tempDir(), 'data');
      const [r1, r2] = await Promise.all([ingest(dataDir, range1, full), ingest(dataDir, range2, full)]);
      expect(r1.code, r1.stderr).toBe(0);
      expect(r2.code, r2.stderr).toBe(0);
      const got = await storedBars(dataDir, 'SYNA');
      const ts = Array.from(got.bars.ts);
      // --full: both whole ranges; plain: a run that starts while the other writes plans from its watermark then.
      if (full) expect(ts).toEqual(Array.from(want.bars.ts));
      else expect(ts.length).toBe(newRows(r1) + newRows(r2));
      expect(ts.slice(-1)).toEqual(Array.from(want.bars.ts).slice(-1));
      expect(got.wm!.last_ts).toBe(want.wm!.last_ts);
    }
  });
});
