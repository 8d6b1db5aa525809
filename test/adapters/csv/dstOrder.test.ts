// DST fall-back in files of either time order (issue 13, probe #22): the repeated hour's two rows
// are told apart by the file's order around them, so a newest-first file gives exactly the bars of
// the same file oldest-first; a file whose order around the hour says neither is refused.
import { describe, expect, it } from 'vitest';
import { parseCsvBars } from '../../../src/adapters/csv/index.js';
import type { CanonicalBar } from '../../../src/model/bar.js';
import { PtError } from '../../../src/core/ptError.js';
import { options, utc } from './csvTestKit.js';

const HEADER = 'ts,open,high,low,close';
const H = 3_600_000;
const M15 = 900_000;

/** Rows oldest first: wall text and close; the price moves by one per bar so a swap shows. */
interface Row {
  wall: string;
  close: number;
}

const line = (r: Row) => `${r.wall},${r.close},${r.close + 0.5},${r.close - 0.5},${r.close}`;
const file = (rows: Row[]) => `${HEADER}\n${rows.map(line).join('\n')}\n`;
const parse = (text: string, tz = 'Europe/Athens', timeframe: '1h' | '15m' = '1h') =>
  parseCsvBars(text, 'dst.csv', options({ tz, timeframe, lastBar: 'keep' }));

/** A bar without its line number (ingest_seq), which naturally differs between the two orders. */
const content = (b: CanonicalBar) => ({ ...b, metadata: { ...b.metadata, ingest_seq: 0 } });

/** Local wall times of Europe/Athens from `start`, every `stepMs`, with the fall-back hour repeated. */
function athensFallBack(stepMs: number, before: number, after: number): Row[] {
  // 2023-10-29 04:00 EEST (01:00 UTC) becomes 03:00 EET: 03:00–03:59 local happen twice.
  const firstRepeated = utc('2023-10-29T03:00');
  const walls: number[] = [];
  for (let t = firstRepeated - before * stepMs; t < firstRepeated; t += stepMs) walls.push(t);
  for (let pass = 0; pass < 2; pass++) for (let t = firstRepeated; t < firstRepeated + H; t += stepMs) walls.push(t);
  for (let t = firstRepeated + H; t < firstRepeated + H + after * stepMs; t += stepMs) walls.push(t);
  return walls.map((w, i) => ({ wall: new Date(w).toISOString().slice(0, 19).replace('T', ' '), close: 100 + i }));
}

/** The UTC instants an Athens file around the fall-back should give, oldest first. */
function expectedUtc(rows: Row[], stepMs: number, before: number): number[] {
  // The first 03:00 is EEST, 00:00 UTC; from there every row is one step later.
  const first = utc('2023-10-29T00:00') - before * stepMs;
  return rows.map((_r, i) => first + i * stepMs);
}

describe('DST fall-back and the file order', () => {
  it("the probe's 5-row newest-first file: 00:00 UTC gets close 106, 01:00 UTC close 107 (they were swapped)", () => {
    const rev =
      `${HEADER}\n2023-10-29 04:00:00,108,108.5,107.5,108\n2023-10-29 03:00:00,107,107.5,106.5,107\n` +
      `2023-10-29 03:00:00,106,106.5,105.5,106\n2023-10-29 02:00:00,105,105.5,104.5,105\n` +
      `2023-10-29 01:00:00,104,104.5,103.5,104\n`;
    const r = parse(rev);
    expect(r.bars.map((b) => [new Date(b.ts_utc).toISOString().slice(11, 16), b.close])).toEqual([
      ['22:00', 104],
      ['23:00', 105],
      ['00:00', 106],
      ['01:00', 107],
      ['02:00', 108],
    ]);
    expect(r.stats.outOfOrder).toBe(4);
  });

  for (const [name, stepMs, before, after] of [
    ['the 14-row hourly file', H, 3, 9],
    ['a 15-minute file', M15, 6, 6],
  ] as const) {
    it(`${name}: newest-first gives exactly the bars of oldest-first, and the right instants`, () => {
      const rows = athensFallBack(stepMs, before, after);
      if (stepMs === H) expect(rows).toHaveLength(14);
      const tf = stepMs === H ? '1h' : '15m';
      const asc = parse(file(rows), 'Europe/Athens', tf);
      const desc = parse(file([...rows].reverse()), 'Europe/Athens', tf);
      expect(asc.bars.map((b) => b.close)).toEqual(rows.map((r) => r.close));
      expect(asc.bars.map((b) => b.ts_utc)).toEqual(expectedUtc(rows, stepMs, before));
      expect(desc.bars.map(content)).toEqual(asc.bars.map(content));
      expect(asc.stats).toMatchObject({ outOfOrder: 0, duplicates: 0 });
      expect(desc.stats).toMatchObject({ outOfOrder: rows.length - 1, duplicates: 0 });
    });
  }

  it('a 15-minute file with a bar of the repeated hour missing still fits, in both orders', () => {
    const rows = athensFallBack(M15, 4, 4);
    const gapped = rows.filter((_r, i) => i !== 6); // the first 03:30, before the clocks go back
    const asc = parse(file(gapped), 'Europe/Athens', '15m');
    const desc = parse(file([...gapped].reverse()), 'Europe/Athens', '15m');
    const want = expectedUtc(rows, M15, 4).filter((_t, i) => i !== 6);
    expect(asc.bars.map((b) => b.ts_utc)).toEqual(want);
    expect(desc.bars.map(content)).toEqual(asc.bars.map(content));
  });

  it('a lone repeated hour takes the earlier instant in either order', () => {
    const rows = athensFallBack(H, 2, 2).filter((_r, i) => i !== 3); // the second 03:00 is missing
    const asc = parse(file(rows));
    const desc = parse(file([...rows].reverse()));
    expect(asc.bars.map((b) => b.ts_utc)).toEqual([
      utc('2023-10-28T22:00'),
      utc('2023-10-28T23:00'),
      utc('2023-10-29T00:00'), // 03:00 → EEST
      utc('2023-10-29T02:00'),
      utc('2023-10-29T03:00'),
    ]);
    expect(desc.bars.map(content)).toEqual(asc.bars.map(content));
  });

  it('a file that starts or ends inside the repeated hour uses the order of the rest of the file', () => {
    const rows = athensFallBack(H, 0, 4); // 03:00, 03:00, 04:00 …
    const asc = parse(file(rows));
    const desc = parse(file([...rows].reverse()));
    expect(asc.bars.map((b) => b.ts_utc)).toEqual(rows.map((_r, i) => utc('2023-10-29T00:00') + i * H));
    expect(desc.bars.map(content)).toEqual(asc.bars.map(content));
  });

  it('a shuffled file whose repeated hour is neither ascending nor descending is refused, naming its lines', () => {
    const rows = athensFallBack(H, 3, 9);
    // Newest-first except that the two 03:00 rows sit apart: the order around them says neither.
    const shuffled = [rows[9]!, rows[4]!, rows[0]!, rows[13]!, rows[3]!, rows[1]!, rows[7]!, rows[2]!];
    let error: unknown;
    try {
      parse(file([...shuffled, ...rows.filter((r) => !shuffled.includes(r))]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PtError);
    expect((error as PtError).id).toBe('DATA_INPUT_PARSE');
    expect((error as PtError).message).toBe(
      'dst.csv line 3: the repeated hour of the DST fall-back in Europe/Athens (wall time 2023-10-29 03:00, lines 3, 6) ' +
        'turns up in separate places of the file: cannot tell which row is the earlier instant; sort the file by time',
    );
  });

  it('the two rows of the repeated hour next to each other but out of step with their neighbours are refused', () => {
    const rows = athensFallBack(H, 3, 3);
    // 05:00, 03:00, 03:00, 04:00 …: after 05:00 the file goes down, then up again.
    const odd = [rows[0]!, rows[1]!, rows[2]!, rows[6]!, rows[3]!, rows[4]!, rows[5]!];
    expect(() => parse(file(odd))).toThrow(
      /^dst\.csv line 6: the repeated hour .* \(wall time 2023-10-29 03:00, lines 6, 7\) is in neither ascending nor descending time order with the rows around it/,
    );
  });

  it('files outside any DST change are untouched (EET winter, a fixed-offset zone)', () => {
    const rows = [0, 1, 2, 3].map((i) => ({ wall: `2023-01-10 0${i}:00`, close: 100 + i }));
    expect(parse(file([...rows].reverse()), 'EET').bars.map((b) => b.close)).toEqual([100, 101, 102, 103]);
    const fixed = athensFallBack(H, 2, 2);
    expect(parse(file(fixed), 'Etc/GMT-2').stats.duplicates).toBe(1);
  });
});
