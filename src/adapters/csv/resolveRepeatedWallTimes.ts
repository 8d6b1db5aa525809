// DST fall-back: a wall time that occurs twice (03:00 in Europe/Athens on the last Sunday of
// October) names two instants. Which row is which follows from the file's time order around the
// repeated hour, so it is decided after the whole file is read: a newest-first file gives exactly
// the bars of the same file oldest-first. Rows whose order around the hour says neither are refused.
import { csvParseError } from './csvParseError.js';

/** The rows of a file whose wall time was repeated, in file order. */
export interface RepeatedWallRows {
  /** Row index (into the parsed columns). */
  rows: number[];
  /** The wall time (fields read as if UTC), its earlier and later instant. */
  wall: number[];
  earlier: number[];
  later: number[];
}

export function emptyRepeatedWallRows(): RepeatedWallRows {
  return { rows: [], wall: [], earlier: [], later: [] };
}

function wallText(wall: number): string {
  return new Date(wall).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * Instants for a block's rows taken in time order (oldest first): each the earliest candidate after
 * the one before, starting after `before`; undefined when some row has none, or the last is not
 * before `after`.
 */
function assignAscending(
  order: number[],
  r: RepeatedWallRows,
  before: number,
  after: number,
): Map<number, number> | undefined {
  const out = new Map<number, number>();
  let last = before;
  for (const k of order) {
    const t = r.earlier[k]! > last ? r.earlier[k]! : r.later[k]! > last ? r.later[k]! : undefined;
    if (t === undefined) return undefined;
    out.set(k, t);
    last = t;
  }
  return last < after ? out : undefined;
}

/**
 * Sets `ts` of every repeated-wall row. A maximal run of such rows in file order is a block; in a
 * block where some wall occurs more than once, the rows next to it decide the direction (oldest-first
 * or newest-first), and the instants are given in time order. A block with each wall once keeps the
 * earlier instant (nothing in the file tells them apart). Throws DATA_INPUT_PARSE, naming the lines,
 * when the block's rows fit neither direction, or one wall time turns up in separate places.
 */
export function resolveRepeatedWallTimes(
  ts: Float64Array,
  line: Float64Array,
  count: number,
  r: RepeatedWallRows,
  path: string,
  zone: string,
): void {
  const n = r.rows.length;
  if (n === 0) return;
  const ambiguous = new Set(r.rows);

  // Blocks: runs of consecutive rows; k indexes r's arrays.
  const blocks: number[][] = [];
  for (let k = 0; k < n; k++) {
    if (k > 0 && r.rows[k] === r.rows[k - 1]! + 1) blocks[blocks.length - 1]!.push(k);
    else blocks.push([k]);
  }
  const refuse = (ks: number[], why: string) =>
    csvParseError(
      path,
      line[r.rows[ks[0]!]!]!,
      `the repeated hour of the DST fall-back in ${zone} (wall time ${wallText(r.wall[ks[0]!]!)}, lines ${ks
        .slice(0, 6)
        .map((k) => line[r.rows[k]!]!)
        .join(
          ', ',
        )}${ks.length > 6 ? ', …' : ''}) ${why}: cannot tell which row is the earlier instant; sort the file by time`,
    );

  const blockOfWall = new Map<number, number>();
  blocks.forEach((ks, b) => {
    for (const k of ks) {
      const seen = blockOfWall.get(r.wall[k]!);
      if (seen !== undefined && seen !== b)
        throw refuse(
          [...blocks[seen]!, ...ks].filter((j) => r.wall[j] === r.wall[k]),
          'turns up in separate places of the file',
        );
      blockOfWall.set(r.wall[k]!, b);
    }
  });

  // The file's overall direction, from its other rows: a tie-break for a block with one neighbour or none.
  let up = 0;
  let down = 0;
  let prev = NaN;
  for (let i = 0; i < count; i++) {
    if (ambiguous.has(i)) continue;
    if (ts[i]! > prev) up++;
    else if (ts[i]! < prev) down++;
    prev = ts[i]!;
  }
  const newestFirst = down > up;

  for (const ks of blocks) {
    const walls = new Set(ks.map((k) => r.wall[k]!));
    if (walls.size === ks.length) {
      for (const k of ks) ts[r.rows[k]!] = r.earlier[k]!;
      continue;
    }
    const first = r.rows[ks[0]!]!;
    const last = r.rows[ks[ks.length - 1]!]!;
    const above = first > 0 ? ts[first - 1]! : undefined;
    const below = last + 1 < count ? ts[last + 1]! : undefined;
    const ascending = assignAscending(ks, r, above ?? -Infinity, below ?? Infinity);
    const descending = assignAscending([...ks].reverse(), r, below ?? -Infinity, above ?? Infinity);
    const chosen = ascending && descending ? (newestFirst ? descending : ascending) : (ascending ?? descending);
    if (!chosen) throw refuse(ks, 'is in neither ascending nor descending time order with the rows around it');
    for (const [k, t] of chosen) ts[r.rows[k]!] = t;
  }
}
