// The csv reader on broker clocks: NY+7 across its DST switches, offsets written in the file
// against --tz, and MetaTrader layouts that need --tz.
import { describe, expect, it } from 'vitest';
import { parseCsvBars } from '../../../src/adapters/csv/index.js';
import { options, utc } from './csvTestKit.js';

const HOUR = 3_600_000;
const hourly = (fromIso: string, n: number) => Array.from({ length: n }, (_, i) => utc(fromIso) + i * HOUR);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const csv = (times: string[]) => `time,open,high,low,close\n${times.map((t) => `${t},1.1,1.2,1.0,1.15`).join('\n')}\n`;

describe('NY+7 across the US DST switches (a 24/7 file, every hour present)', () => {
  it('fall back 2024-11-03: the repeated server 08:00 is the earlier instant first, in either file order', () => {
    // Hours 03:00..08:00 UTC written in NY+7: 10:00 ... 08:00(EDT) 08:00(EST) ... wall times.
    const instants = hourly('2024-11-03T03:00', 8);
    const walls = instants.map((t) => iso(t + (t < utc('2024-11-03T06:00') ? 3 : 2) * HOUR));
    expect(walls.filter((w) => w === '2024-11-03 08:00')).toHaveLength(2);
    const up = parseCsvBars(csv(walls), 'ny7.csv', options({ tz: 'NY+7' }));
    expect(up.bars.map((b) => b.ts_utc)).toEqual(instants);
    const down = parseCsvBars(csv([...walls].reverse()), 'ny7.csv', options({ tz: 'NY+7' }));
    expect(down.bars.map((b) => b.ts_utc)).toEqual(instants);
  });

  it('spring forward 2024-03-10: server 09:00 does not exist; a row there is shifted and counted', () => {
    const r = parseCsvBars(
      csv(['2024-03-10 08:00', '2024-03-10 09:00', '2024-03-10 11:00']),
      'ny7.csv',
      options({ tz: 'NY+7' }),
    );
    expect(r.stats.skippedHourShifted).toBe(1);
    expect(r.bars.map((b) => b.ts_utc)).toEqual([
      utc('2024-03-10T06:00'),
      utc('2024-03-10T07:00'),
      utc('2024-03-10T08:00'),
    ]);
  });
});

describe('offsets written in the file against --tz', () => {
  // Broker time (EET) labelled +00:00, as a real MT5 Python export did.
  const labelled = csv(['2024-01-03 01:00:00+00:00', '2024-01-03 02:00:00+00:00']);

  it('--tz EET against +00:00 is DATA_INPUT_PARSE naming the line, both offsets and --tz file', () => {
    expect(() => parseCsvBars(labelled, 'py.csv', options({ tz: 'EET' }))).toThrow(
      'py.csv line 2: the timestamp "2024-01-03 01:00:00+00:00" carries offset +00:00, but --tz EET is +02:00 at that instant: pass --tz file to trust the offsets written in the file, or, if they are wrong (some MT5 Python exports label broker time +00:00), --tz EET --ignore-offsets to read the wall times in EET',
    );
  });

  it('--tz EET with ignoreOffsets reads the wall times in EET, the written offsets dropped', () => {
    const r = parseCsvBars(labelled, 'py.csv', options({ tz: 'EET', ignoreOffsets: true }));
    expect(r.bars.map((b) => b.ts_utc)).toEqual([utc('2024-01-02T23:00'), utc('2024-01-03T00:00')]);
    // Across the EU switch (2024-03-31) the wall times follow EET's +02:00 / +03:00, whatever was written.
    const summer = csv(['2024-03-29 10:00+00:00', '2024-04-02 10:00+00:00']);
    expect(
      parseCsvBars(summer, 'py.csv', options({ tz: 'EET', ignoreOffsets: true })).bars.map((b) => b.ts_utc),
    ).toEqual([utc('2024-03-29T08:00'), utc('2024-04-02T07:00')]);
  });

  it('ignoreOffsets without a --tz zone is a usage error', () => {
    for (const tz of [undefined, 'file'])
      expect(() => parseCsvBars(labelled, 'py.csv', options({ tz, ignoreOffsets: true }))).toThrow(
        'ignoring written offsets needs the clock to read the wall times in: pass a --tz zone, not file',
      );
  });

  it('--tz file trusts them; --tz UTC agrees with them', () => {
    for (const tz of ['file', 'UTC']) {
      const r = parseCsvBars(labelled, 'py.csv', options({ tz }));
      expect(r.bars.map((b) => b.ts_utc)).toEqual([utc('2024-01-03T01:00'), utc('2024-01-03T02:00')]);
    }
  });

  it('offsets that follow EET (+02:00 in winter, +03:00 in summer) agree with --tz EET; one off by an hour does not', () => {
    const good = csv(['2024-03-29 10:00+02:00', '2024-04-02 10:00+03:00']);
    expect(parseCsvBars(good, 'a.csv', options({ tz: 'EET' })).bars.map((b) => b.ts_utc)).toEqual([
      utc('2024-03-29T08:00'),
      utc('2024-04-02T07:00'),
    ]);
    const bad = csv(['2024-03-29 10:00+02:00', '2024-04-02 10:00+02:00']);
    expect(() => parseCsvBars(bad, 'a.csv', options({ tz: 'EET' }))).toThrow(
      /a\.csv line 3: .*carries offset \+02:00, but --tz EET is \+03:00/,
    );
    // NY+7 is +03:00 from 2024-03-10: the same rows disagree with it on 03-29.
    expect(() => parseCsvBars(good, 'a.csv', options({ tz: 'NY+7' }))).toThrow(/line 2: .*--tz NY\+7 is \+03:00/);
  });

  it('--tz file on a row without an offset is an error saying to pass the clock', () => {
    expect(() =>
      parseCsvBars(csv(['2024-01-03 01:00', '2024-01-03 02:00']), 'plain.csv', options({ tz: 'file' })),
    ).toThrow(
      'plain.csv line 2: --tz file trusts the offset written in each timestamp, but "2024-01-03 01:00" has none: pass the file\'s clock instead (e.g. --tz UTC, --tz EET or --tz NY+7)',
    );
  });
});

describe('MetaTrader layouts need --tz', () => {
  const row = '1.1,1.2,1.0,1.15';
  const cases: Array<[string, string, string]> = [
    [
      'MT5 Export Bars',
      `<DATE>\t<TIME>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\n2024.01.03\t01:00\t1.1\t1.2\t1.0\t1.15\t5\n`,
      'an MT5 "Export Bars" file',
    ],
    ['MT4 headerless', `2024.01.03,01:00,${row},5\n`, 'an MT4 history export'],
    ['MQL FileWrite', `2024.01.03 01:00,${row},5\n`, 'an MQL FileWrite export'],
    [
      'MT4 with a header',
      `Date,Time,Open,High,Low,Close,Volume\n2024.01.03,01:00,${row},5\n`,
      'an MT4 export with a header',
    ],
    [
      'MT5 Python',
      `time,open,high,low,close,tick_volume,spread,real_volume\n2024-01-03 01:00:00,${row},5,3,0\n`,
      'an MT5 Python export',
    ],
  ];

  it.each(cases)(
    '%s without --tz is CORE_CLI_USAGE naming the layout and suggesting --detect-clock',
    (_name, text, label) => {
      expect(() => parseCsvBars(text, 'EURUSD_H1.csv', options())).toThrow(
        `EURUSD_H1.csv: ${label} (MetaTrader) is on the broker's server clock, so --tz is required: run pt ingest --detect-clock --source csv --path EURUSD_H1.csv --timeframe 1h to find it, then pass e.g. --tz EET or --tz NY+7`,
      );
    },
  );

  it('the layout names in the stats stay as they were (histdata:comma for MT4 headerless)', () => {
    expect(parseCsvBars(cases[1]![1], 'EURUSD_H1.csv', options({ tz: 'EET' })).format).toBe('histdata:comma');
  });

  it.each(cases)('%s with --tz is read', (_name, text) => {
    expect(parseCsvBars(text, 'EURUSD_H1.csv', options({ tz: 'NY+7' })).bars[0]!.ts_utc).toBe(utc('2024-01-02T23:00'));
  });

  it('plain ISO files and HistData ASCII keep the UTC default', () => {
    expect(parseCsvBars(`ts,open,high,low,close\n2024-01-03 01:00,${row}\n`, 'a.csv', options()).bars[0]!.ts_utc).toBe(
      utc('2024-01-03T01:00'),
    );
    expect(
      parseCsvBars(`Date,open,high,low,close,tick_volume\n2024-01-03 01:00:00,${row},5\n`, 'b.csv', options()).bars[0]!
        .ts_utc,
    ).toBe(utc('2024-01-03T01:00'));
    expect(parseCsvBars(`20240103 010000;1.1;1.2;1.0;1.15;0\n`, 'c.csv', options()).bars[0]!.ts_utc).toBe(
      utc('2024-01-03T01:00'),
    );
  });
});
