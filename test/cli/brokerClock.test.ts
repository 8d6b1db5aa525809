// Broker clocks end to end (issue 14, formats report mismatches #1, #7, #13): NY+7 files, pt ingest
// --detect-clock, offsets written in the file against --tz, MetaTrader files without --tz, and the
// weekly-open warning. Fixtures are synthetic metals/FX hours with the real week structure.
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { marketBars, mt5Text, serverWeek, utcText, type TestBar } from '../helpers/brokerClockBars.js';
import { repoRoot, runPt } from '../helpers/runPt.js';
import { csvIngestArgs } from '../helpers/ingestArgs.js';
import { storedBars } from '../helpers/storedBars.js';
import { ZoneClock } from '../../src/core/zoneClock.js';

let dir = '';
const pt = (args: string[]) => runPt(['-c', join(repoRoot, 'config'), ...args], {}, dir);
const csvIngest = (path: string, symbol: string, dataDir: string, ...more: string[]) =>
  pt(csvIngestArgs(path, symbol, '1h', dataDir, ...more));
const detect = (path: string, symbol: string, timeframe = '1h', ...more: string[]) =>
  pt(csvIngestArgs(path, symbol, timeframe, join(dir, 'never'), '--detect-clock', ...more));

/** An MT5 Python export: EET wall times, each followed by `offset(utc)` (e.g. always `+00:00`, or EET's true one). */
function mt5PyText(bars: TestBar[], offset: (utc: number) => string): string {
  const eet = ZoneClock.of('EET');
  const rows = bars.map((b) => {
    const wall = new Date(eet.toWall(b.ts)).toISOString().slice(0, 19).replace('T', ' ');
    return `${wall}${offset(b.ts)},${b.open},${b.high},${b.low},${b.close},${b.volume},12,0`;
  });
  return `time,open,high,low,close,tick_volume,spread,real_volume\n${rows.join('\n')}\n`;
}
const eetOffset = (utc: number) => (ZoneClock.of('EET').offsetAt(utc) === 3 * 3_600_000 ? '+03:00' : '+02:00');

/** MT4 history export rows (`2024.03.11,13:00,…`) on the clock `tz`, every `lateEvery`th row stamped 5 minutes late. */
function mt4Text(bars: TestBar[], tz: string, lateEvery = 0): string {
  const clock = ZoneClock.of(tz);
  const rows = bars.map((b, i) => {
    const late = lateEvery > 0 && i % lateEvery === 1 ? 5 * 60_000 : 0;
    const iso = new Date(clock.toWall(b.ts) + late).toISOString();
    return [iso.slice(0, 10).replaceAll('-', '.'), iso.slice(11, 16), b.open, b.high, b.low, b.close, b.volume].join(
      ',',
    );
  });
  return `${rows.join('\r\n')}\r\n`;
}

/** H4 bars of a broker on clock `tz`: the hourly bars grouped by the server's 00/04/08… wall hours. */
function brokerH4(bars: TestBar[], tz: string): TestBar[] {
  const clock = ZoneClock.of(tz);
  const out: TestBar[] = [];
  let key = NaN;
  for (const b of bars) {
    const slot = Math.floor(clock.toWall(b.ts) / (4 * 3_600_000));
    const last = out[out.length - 1];
    if (last && slot === key) {
      last.high = Math.max(last.high, b.high);
      last.low = Math.min(last.low, b.low);
      last.close = b.close;
      last.volume += b.volume;
    } else {
      key = slot;
      out.push({ ...b, ts: clock.toUtc(slot * 4 * 3_600_000) });
    }
  }
  return out;
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/**
 * Both DST seasons of 2024, each starting at a Sunday open: late Feb → mid April (US switch 03-10,
 * EU 03-31) and mid Oct → mid Nov (EU 10-27, US 11-03). 13 weekends, 4 of them in US-only DST weeks.
 */
let gold: TestBar[] = [];
let euro: TestBar[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-cli-clock-'));
  gold = [...marketBars('2024-02-18', '2024-04-20', true), ...marketBars('2024-10-13', '2024-11-16', true)];
  euro = [...marketBars('2024-02-18', '2024-04-20', false), ...marketBars('2024-10-13', '2024-11-16', false)];
});

describe('--tz NY+7', () => {
  it('a NY+7 MT5 file across the US and EU DST switches stores the same bars as the UTC file', async () => {
    const ny7 = write('XAUUSD_NY7_H1.csv', mt5Text(gold, 'NY+7'));
    const plain = write('XAUUSD_UTC_H1.csv', utcText(gold));
    const a = csvIngest(ny7, 'XAUUSD', join(dir, 'ny7'), '--tz', 'NY+7');
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    const b = csvIngest(plain, 'XAUUSD', join(dir, 'utc'), '--tz', 'UTC');
    expect(b.code).toBe(0);
    const pick = (c: Awaited<ReturnType<typeof storedBars>>['bars']) =>
      Array.from({ length: c.length }, (_, i) => [
        c.ts[i]!,
        c.open[i]!,
        c.high[i]!,
        c.low[i]!,
        c.close[i]!,
        c.volume[i]!,
      ]);
    const stored = pick((await storedBars(join(dir, 'ny7'), 'XAUUSD')).bars);
    expect(stored).toHaveLength(gold.length);
    expect(stored).toEqual(pick((await storedBars(join(dir, 'utc'), 'XAUUSD')).bars));
    expect(stored.map((x) => x[0])).toEqual(gold.map((x) => x.ts));
    // The same file read as EET is an hour late in the US-only weeks: the comparison above can fail.
    const e = csvIngest(ny7, 'XAUUSD', join(dir, 'ny7-as-eet'), '--tz', 'EET');
    expect(e.code).toBe(0);
    const asEet = pick((await storedBars(join(dir, 'ny7-as-eet'), 'XAUUSD')).bars);
    expect(asEet.filter((x, i) => x[0] !== stored[i]![0]).length).toBeGreaterThan(0);
  });

  it('America/New_York@+7 is the same clock; an unknown spec is CORE_CLI_USAGE listing the forms', async () => {
    const ny7 = write('XAUUSD_NY7b_H1.csv', mt5Text(gold.slice(0, 300), 'NY+7'));
    expect(csvIngest(ny7, 'XAUUSD', join(dir, 'at'), '--tz', 'America/New_York@+7').code).toBe(0);
    expect([...(await storedBars(join(dir, 'at'), 'XAUUSD')).bars.ts]).toEqual(gold.slice(0, 300).map((x) => x.ts));
    const bad = csvIngest(ny7, 'XAUUSD', join(dir, 'bad'), '--tz', 'NY+7h');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^ERROR CORE_CLI_USAGE: unknown clock "NY\+7h" for --tz \(.*ZONE@\+H or ZONE@-H.*NY\+7; or file\)\n$/,
    );
  });
});

describe('pt ingest --detect-clock', () => {
  it.each([
    ['UTC', 'XAUUSD'],
    ['EET', 'XAUUSD'],
    ['NY+7', 'XAUUSD'],
    ['UTC', 'EURUSD'],
    ['EET', 'EURUSD'],
    ['NY+7', 'EURUSD'],
  ])('names %s for a %s file written in it, with high confidence, and writes nothing', (clock, symbol) => {
    const bars = symbol === 'XAUUSD' ? gold : euro;
    const path = write(
      `${symbol}_${clock.replace('+', 'p')}_detect.csv`,
      clock === 'UTC' ? utcText(bars) : mt5Text(serverWeek(bars, clock, symbol === 'XAUUSD'), clock),
    );
    const before = readdirSync(dir).sort();
    const r = detect(path, symbol);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^verdict: ${clock.replace('+', '\\+')}, confidence high \\(\\d+ of \\d+ checks agree; runner-up `,
        'm',
      ),
    );
    expect(r.stdout).toContain(`\npass: --tz ${clock}\n`);
    expect(r.stdout).toMatch(/checks \([1-9]\d* in the weeks between the US and EU DST switches\)/);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('is a usage error without a csv file, or with --tz', () => {
    const noFile = pt(['ingest', '--detect-clock', '--source', 'synthetic', '--symbols', 'SYNA']);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toBe(
      'ERROR CORE_CLI_USAGE: --detect-clock reads a csv file: pass --source csv --path FILE\n',
    );
    const withTz = pt(['ingest', '--detect-clock', '--source', 'csv', '--path', 'x.csv', '--tz', 'EET']);
    expect(withTz.code).toBe(2);
    expect(withTz.stderr).toBe('ERROR CORE_CLI_USAGE: --detect-clock proposes the clock: leave out --tz\n');
  });

  it('says the confidence is low when the file has no US-only DST week (EET and NY+7 read it alike)', () => {
    const winter = marketBars('2024-01-08', '2024-02-24', true);
    const r = detect(write('XAUUSD_winter.csv', mt5Text(winter, 'NY+7')), 'XAUUSD');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^verdict: EET, confidence low \(EET and NY\+7 read every check of this file alike: the file has none of the weeks between the US and EU DST switches/m,
    );
  });
});

describe('offsets written in the file', () => {
  // An MT5 Python export whose timestamps are broker time (EET) but labelled +00:00.
  const pyText = (bars: TestBar[]) =>
    `time,open,high,low,close,tick_volume,spread,real_volume\n${bars
      .map((b) => {
        const wall = new Date(b.ts + 2 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
        return `${wall}+00:00,${b.open},${b.high},${b.low},${b.close},${b.volume},12,0`;
      })
      .join('\n')}\n`;

  it('an offset that disagrees with --tz is an error; --tz file trusts it; --tz file without offsets is an error', async () => {
    const winter = gold.filter((b) => b.ts < Date.parse('2024-03-01T00:00:00Z'));
    const py = write('XAUUSD_py.csv', pyText(winter));
    const conflict = csvIngest(py, 'XAUUSD', join(dir, 'py-eet'), '--tz', 'EET');
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toMatch(/carries offset \+00:00, but --tz EET is \+02:00 at that instant: pass --tz file/);
    expect(existsSync(join(dir, 'py-eet', 'canonical'))).toBe(false);
    const trusted = csvIngest(py, 'XAUUSD', join(dir, 'py-file'), '--tz', 'file');
    expect(trusted.code).toBe(0);
    expect([...(await storedBars(join(dir, 'py-file'), 'XAUUSD')).bars.ts]).toEqual(
      winter.map((b) => b.ts + 2 * 3_600_000),
    );
    const noOffsets = csvIngest(
      write('XAUUSD_plain.csv', utcText(winter)),
      'XAUUSD',
      join(dir, 'plain-file'),
      '--tz',
      'file',
    );
    expect(noOffsets.code).not.toBe(0);
    expect(noOffsets.stderr).toMatch(/--tz file trusts the offset written in each timestamp, but ".*" has none/);
  });
});

describe('MetaTrader files without --tz', () => {
  it('are refused with a hint to --detect-clock, and nothing is written', () => {
    const path = write('XAUUSD_mt5_notz.csv', mt5Text(gold.slice(0, 100), 'EET'));
    const r = csvIngest(path, 'XAUUSD', join(dir, 'notz'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^ERROR CORE_CLI_USAGE: XAUUSD_mt5_notz\.csv: an MT5 "Export Bars" file \(MetaTrader\) is on the broker's server clock, so --tz is required: run pt ingest --detect-clock --source csv --path .* --timeframe 1h to find it/,
    );
    expect(existsSync(join(dir, 'notz', 'canonical'))).toBe(false);
  });
});

describe('the market-hours warning', () => {
  it('a NY+7 file read with --tz EET warns once, counting the 4 US-only DST weeks; read with NY+7 it is silent', () => {
    const path = write('XAUUSD_warn.csv', mt5Text(gold, 'NY+7'));
    const r = csvIngest(path, 'XAUUSD', join(dir, 'warn'), '--tz', 'EET');
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^warning: XAUUSD: read with --tz EET, XAUUSD_warn\.csv has bars 1 h later than the market's hours in 4 of 1\d weeks \(first: the week's last bar 2024-03-15T21:00Z ends 18:00 New York, not 17:00\): the file's clock is probably 1 h ahead of --tz EET; check it with pt ingest --detect-clock --source csv --path .*XAUUSD_warn\.csv --timeframe 1h$/,
    );
    const ok = csvIngest(path, 'XAUUSD', join(dir, 'nowarn'), '--tz', 'NY+7');
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe('');
  });

  it('an FX NY+7 file read with --tz EET warns on the late weekly close', () => {
    const r = csvIngest(write('EURUSD_warn.csv', mt5Text(euro, 'NY+7')), 'EURUSD', join(dir, 'warn-fx'), '--tz', 'EET');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^warning: EURUSD: .* 1 h later than the market's hours in 4 of 1\d weeks \(first: the week's last bar 2024-03-15T21:00Z ends 18:00 New York, not 17:00\)/,
    );
  });

  it("an EET server's week (opening at server midnight, an hour after the market in US-only DST weeks) read with --tz EET is silent", () => {
    const path = write('XAUUSD_eet_server.csv', mt5Text(serverWeek(gold, 'EET', true), 'EET'));
    const r = csvIngest(path, 'XAUUSD', join(dir, 'eet-server'), '--tz', 'EET');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('wrong offsets written in the file (an MT5 Python export labelling EET broker time +00:00)', () => {
  const zero = () => '+00:00';

  it('--tz EET is refused pointing to --ignore-offsets; --tz EET --ignore-offsets stores the right instants across the EU switch', async () => {
    const bars = serverWeek(gold, 'EET', true);
    const py = write('XAUUSD_py0.csv', mt5PyText(bars, zero));
    const refused = csvIngest(py, 'XAUUSD', join(dir, 'py0-eet'), '--tz', 'EET');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(
      /carries offset \+00:00, but --tz EET is \+02:00 at that instant: pass --tz file to trust the offsets written in the file, or, if they are wrong \(some MT5 Python exports label broker time \+00:00\), --tz EET --ignore-offsets to read the wall times in EET\n$/,
    );
    const read = csvIngest(py, 'XAUUSD', join(dir, 'py0-ignore'), '--tz', 'EET', '--ignore-offsets');
    expect(read.stderr).toBe('');
    expect(read.code).toBe(0);
    expect([...(await storedBars(join(dir, 'py0-ignore'), 'XAUUSD')).bars.ts]).toEqual(bars.map((b) => b.ts));
  });

  it('--ignore-offsets needs a --tz zone, on pt ingest and on pt store repair', () => {
    const py = write('XAUUSD_py0b.csv', mt5PyText(gold.slice(0, 50), zero));
    const message =
      'ERROR CORE_CLI_USAGE: --ignore-offsets reads the written wall times in the clock --tz names: pass --tz ZONE (e.g. --tz EET), not --tz file\n';
    for (const more of [['--tz', 'file', '--ignore-offsets'], ['--ignore-offsets']]) {
      const r = csvIngest(py, 'XAUUSD', join(dir, 'py0-bad'), ...more);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(message);
    }
    const repair = pt([
      'store',
      'repair',
      '--symbols',
      'XAUUSD',
      '--timeframe',
      '1h',
      '--source',
      'csv',
      '--path',
      py,
      '--tz',
      'file',
      '--ignore-offsets',
      '--data-dir',
      join(dir, 'py0-repair'),
    ]);
    expect(repair.code).toBe(2);
    expect(repair.stderr).toBe(message);
  });

  it('--detect-clock reads the wall times, says the offsets are wrong and prints --tz EET --ignore-offsets', () => {
    const r = detect(write('XAUUSD_py0c.csv', mt5PyText(serverWeek(gold, 'EET', true), zero)), 'XAUUSD');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^verdict: EET, confidence high/m);
    expect(r.stdout).toMatch(
      /^offsets: (\d+) of \1 timestamps carry an offset that disagrees with EET \(e\.g\. \+00:00 where EET is \+02:00\): the offsets are wrong, so read the wall times with --ignore-offsets\npass: --tz EET --ignore-offsets\n$/m,
    );
  });

  it('--detect-clock on offsets that agree with the verdict offers --tz file too', () => {
    const r = detect(write('XAUUSD_pyok.csv', mt5PyText(serverWeek(gold, 'EET', true), eetOffset)), 'XAUUSD');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^offsets: the \d+ offsets written in the file agree with EET\npass: --tz EET \(or --tz file\)\n$/m,
    );
  });
});

describe('the market-hours warning, shifts of several hours', () => {
  it('an EET MT5 export read with --tz UTC warns in every week, naming the 2–3 h shift', () => {
    const path = write('EURUSD_eet_as_utc.csv', mt5Text(serverWeek(euro, 'EET', false), 'EET'));
    const r = csvIngest(path, 'EURUSD', join(dir, 'eet-as-utc'), '--tz', 'UTC');
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^warning: EURUSD: read with --tz UTC, EURUSD_eet_as_utc\.csv has bars 2–3 h later than the market's hours in (\d+) of \1 weeks \(first: the week's last bar 2024-02-23T23:00Z ends 19:00 New York, not 17:00\): the file's clock is probably 2–3 h ahead of --tz UTC; check it with pt ingest --detect-clock --source csv --path .*EURUSD_eet_as_utc\.csv --timeframe 1h$/,
    );
  });

  it('a winter-only EET file read with --tz UTC names 2 h; the same file with --tz EET is silent', () => {
    const winter = serverWeek(
      gold.filter((b) => b.ts < Date.parse('2024-03-09T00:00:00Z')),
      'EET',
      true,
    );
    const path = write('XAUUSD_eet_winter.csv', mt5Text(winter, 'EET'));
    const r = csvIngest(path, 'XAUUSD', join(dir, 'winter-utc'), '--tz', 'UTC');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^warning: XAUUSD: read with --tz UTC, XAUUSD_eet_winter\.csv has bars 2 h later than the market's hours in (\d+) of \1 weeks .*: the file's clock is probably 2 h ahead of --tz UTC; /,
    );
    const ok = csvIngest(path, 'XAUUSD', join(dir, 'winter-eet'), '--tz', 'EET');
    expect(ok.stderr).toBe('');
  });

  it('--tz file on the +00:00-labelled MT5 Python export warns too (bars 2–3 h late)', () => {
    const path = write(
      'XAUUSD_py0d.csv',
      mt5PyText(serverWeek(gold, 'EET', true), () => '+00:00'),
    );
    const r = csvIngest(path, 'XAUUSD', join(dir, 'py0-file'), '--tz', 'file');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^warning: XAUUSD: read with --tz file, .* has bars 2–3 h later than the market's hours in (\d+) of \1 weeks/,
    );
  });

  it('a UTC file read with --tz EET warns that its bars sit 2–3 h earlier', () => {
    const r = csvIngest(
      write('EURUSD_utc_as_eet.csv', utcText(euro)),
      'EURUSD',
      join(dir, 'utc-as-eet'),
      '--tz',
      'EET',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /has bars 2–3 h earlier than the market's hours in (\d+) of \1 weeks .*: the file's clock is probably 2–3 h behind --tz EET; /,
    );
  });
});

describe('--detect-clock on MT4 hh:05 rows and on broker H4 files', () => {
  it('reads an MT4 history export with hh:05 rows, with or without --snap, and says pt ingest needs --snap', () => {
    const path = write('XAUUSD60.csv', mt4Text(serverWeek(gold, 'EET', true), 'EET', 50));
    for (const more of [[], ['--snap']]) {
      const r = detect(path, 'XAUUSD', '1h', ...more);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^verdict: EET, confidence high/m);
      expect(r.stdout).toMatch(
        /^note: \d+ rows sit 1 minute or more after the 1h grid \(e\.g\. MT4's hh:05 stamps\) and were read at the grid point before them; pt ingest refuses such rows unless --snap is given/m,
      );
    }
    // The ingest it proposes, with --snap, reads the file.
    expect(csvIngest(path, 'XAUUSD', join(dir, 'mt4-snap'), '--tz', 'EET', '--snap').code).toBe(0);
  });

  it('on a broker-clock H4 file, adds a line pointing to pt resample; a UTC H4 file gets none', () => {
    const h4 = write('XAUUSD_H4_eet.csv', mt5Text(brokerH4(serverWeek(gold, 'EET', true), 'EET'), 'EET'));
    const r = detect(h4, 'XAUUSD', '4h');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^pass: --tz (\S+)\nnote: read with --tz \1, \d+ bars of this 4h file sit off the 4h UTC grid \(00\/04\/08\/12\/16\/20 UTC\), so pt ingest will refuse it: ingest the broker's H1 file with --tz \1, then run pt resample --source-timeframe 1h --timeframe 4h --symbols XAUUSD\n$/m,
    );
    const utc = detect(write('XAUUSD_H4_utc.csv', utcText(brokerH4(gold, 'UTC'))), 'XAUUSD', '4h');
    expect(utc.code).toBe(0);
    expect(utc.stdout).toMatch(/^verdict: UTC/m);
    expect(utc.stdout).not.toContain('note:');
  });
});
