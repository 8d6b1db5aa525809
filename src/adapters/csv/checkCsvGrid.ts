// The UTC grid rule for file rows: every bar opens on its timeframe's UTC grid (ts_utc % timeframe = 0).
import { timeframeMs, type Timeframe } from '../../core/time.js';
import { csvParseError } from './csvParseError.js';
import type { ParsedRows } from './parseCsvText.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** `--snap` moves a row down only when it is 1 to this many whole minutes after a grid point (MT4's `hh:05`). */
export const SNAP_MAX_MINUTES = 5;
/** Off-grid rows named in an error message. */
const EXAMPLES = 3;

function offset(ts: number, step: number): number {
  return ((ts % step) + step) % step;
}

/** `2024-03-01 22:05` */
function wallText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** `2024-03-01T20:05Z` */
function utcText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16)}Z`;
}

function example(rows: ParsedRows, i: number): string {
  return `line ${rows.line[i]!}: file time ${wallText(rows.wall[i]!)} is ${utcText(rows.ts[i]!)}`;
}

function snappable(off: number): boolean {
  return off % MINUTE === 0 && off >= MINUTE && off <= SNAP_MAX_MINUTES * MINUTE;
}

/**
 * Refuses rows off the timeframe's UTC grid (after zone conversion), with their count and a few
 * examples; with `snap`, moves MT4's late stamps (1–5 whole minutes after a grid point) down onto
 * it instead, unless that would give two rows of different file times one key. A 4h file most of
 * whose rows sit on whole hours off the grid is a broker-clock H4 export: its error points to
 * `pt resample`. Returns the number of rows snapped. `rows.ts` is changed in place.
 */
export function checkCsvGrid(rows: ParsedRows, path: string, timeframe: Timeframe, snap: boolean): number {
  const step = timeframeMs(timeframe);
  const { ts, count } = rows;
  let offGrid = 0;
  let wholeHours = 0;
  let unsnappable = 0;
  const firstOff: number[] = [];
  const firstUnsnappable: number[] = [];
  for (let i = 0; i < count; i++) {
    const off = offset(ts[i]!, step);
    if (off === 0) continue;
    offGrid++;
    if (firstOff.length < EXAMPLES) firstOff.push(i);
    if (off % HOUR === 0) wholeHours++;
    if (!snappable(off)) {
      unsnappable++;
      if (firstUnsnappable.length < EXAMPLES) firstUnsnappable.push(i);
    }
  }
  if (offGrid === 0) return 0;

  const examples = (list: number[]) => list.map((i) => example(rows, i)).join('; ');
  if (timeframe === '4h' && wholeHours === offGrid && offGrid * 2 > count) {
    throw csvParseError(
      path,
      null,
      `${offGrid} of ${count} rows sit on whole hours off the 4h UTC grid (00/04/08/12/16/20 UTC), e.g. ${examples(firstOff)}: ` +
        `this is an H4 export on a broker clock; ingest the broker's H1 file instead and run ` +
        `pt resample --source-timeframe 1h --timeframe 4h to build UTC 4h bars`,
    );
  }
  if (!snap || unsnappable > 0) {
    const bad = snap ? unsnappable : offGrid;
    const hint = snap
      ? `--snap only moves rows 1–${SNAP_MAX_MINUTES} whole minutes after a grid point (MT4's hh:05 stamps); check --tz and --timeframe`
      : unsnappable === 0
        ? `they are 1–${SNAP_MAX_MINUTES} minutes late (MT4's hh:05 stamps): add --snap to move them down onto the grid`
        : `check --tz and --timeframe (--snap only moves rows 1–${SNAP_MAX_MINUTES} whole minutes after a grid point)`;
    throw csvParseError(
      path,
      null,
      `${bad} row${bad === 1 ? '' : 's'} off the ${timeframe} UTC grid (a bar opens at a multiple of ${timeframe} since 1970-01-01 UTC), e.g. ${examples(snap ? firstUnsnappable : firstOff)}; ${hint}`,
    );
  }

  // Snap: the target key of each late row must not be another file time's key (a row on the grid or
  // another late row); two lines with the same file time stay ordinary duplicates (the later wins).
  const original = new Map<number, number>();
  const rowOf = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const t = ts[i]!;
    const off = offset(t, step);
    if (off === 0) continue;
    const target = t - off;
    const seen = original.get(target);
    if (seen !== undefined && seen !== t) throw snapCollision(rows, path, rowOf.get(target)!, i, target);
    original.set(target, t);
    rowOf.set(target, i);
  }
  for (let i = 0; i < count; i++) {
    const t = ts[i]!;
    if (offset(t, step) === 0 && original.has(t)) throw snapCollision(rows, path, rowOf.get(t)!, i, t);
  }
  for (let i = 0; i < count; i++) ts[i] = ts[i]! - offset(ts[i]!, step);
  return offGrid;
}

function snapCollision(rows: ParsedRows, path: string, a: number, b: number, target: number) {
  const [first, second] = rows.line[a]! < rows.line[b]! ? [a, b] : [b, a];
  return csvParseError(
    path,
    rows.line[second]!,
    `--snap would give line ${rows.line[first]!} (file time ${wallText(rows.wall[first]!)}) and line ${rows.line[second]!} ` +
      `(file time ${wallText(rows.wall[second]!)}) the same bar ${utcText(target)}; the file has bars both on and off the grid: fix it by hand`,
  );
}
