// signal.json's seq: strictly increasing across writes, and across restarts even when the local cache is lost.

/** Seq units per millisecond of the clock floor: microseconds. */
const SEQ_PER_MS = 1000;

/**
 * The seq of the next file: `max(previous + 1, ⌊nowMs · 1000⌋)`. The clock floor (microseconds since
 * the epoch, about 1.8·10^15, exact in a double until the year 2255) means a process that lost its
 * cached `previous` still starts above every seq it wrote before, as long as it wrote fewer than a
 * million files per second of wall time and the clock did not step back past its last write.
 * The EA compares seq as a 64-bit integer: a file whose seq is not newer than the last one it read is stale.
 */
export function nextSeq(previous: number | undefined, nowMs: number): number {
  const floor = Math.floor(nowMs * SEQ_PER_MS);
  const next = previous === undefined ? floor : Math.max(previous + 1, floor);
  if (!Number.isSafeInteger(next) || next < 1)
    throw new RangeError(`signal seq ${next} is not a positive safe integer`);
  return next;
}
