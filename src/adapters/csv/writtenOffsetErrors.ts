// The two ways an offset written in a timestamp can clash with --tz, each a one-line error.
import type { ZoneClock } from '../../core/zoneClock.js';
import { csvParseError, quoteField } from './csvParseError.js';

/** `+02:00`, `-05:00`, `+00:00`. */
export function formatOffset(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${ms < 0 ? '-' : '+'}${hh}:${mm}`;
}

/** A row's written offset differs from the --tz clock's offset at the instant it names. */
export function offsetConflict(
  path: string,
  line: number,
  field: string,
  writtenMs: number,
  clock: ZoneClock,
  utcMs: number,
): Error {
  return csvParseError(
    path,
    line,
    `the timestamp ${quoteField(field)} carries offset ${formatOffset(writtenMs)}, but --tz ${clock.zone} is ` +
      `${formatOffset(clock.offsetAt(utcMs))} at that instant: pass --tz file to trust the offsets written in the file, ` +
      `or, if they are wrong (some MT5 Python exports label broker time +00:00), --tz ${clock.zone} --ignore-offsets to read the wall times in ${clock.zone}`,
  );
}

/** `--tz file` on a row without an offset. */
export function offsetMissing(path: string, line: number, field: string): Error {
  return csvParseError(
    path,
    line,
    `--tz file trusts the offset written in each timestamp, but ${quoteField(field)} has none: ` +
      `pass the file's clock instead (e.g. --tz UTC, --tz EET or --tz NY+7)`,
  );
}
