// Wall-clock to UTC conversion for an IANA zone (optionally shifted by a fixed amount, for broker
// clocks such as "New York + 7 h") using only Intl, with offsets cached per UTC week.
import { PtError } from './ptError.js';

const DAY_MS = 86_400_000;
const BLOCK_MS = 7 * DAY_MS;
const MINUTE_MS = 60_000;

/** How the last wall time given to `toUtc` resolved. */
export const WALL_UNIQUE = 0;
/** The wall time occurs twice (fall back); `toUtc` returned the earlier instant, `laterUtc` holds the other. */
export const WALL_REPEATED = 1;
/** The wall time does not exist (spring forward); `toUtc` shifted it forward by the gap. */
export const WALL_SKIPPED = 2;

/**
 * One zone's offsets. Intl is slow (about 20 µs a call), so each 7-day UTC block is asked once: a
 * block whose start and end offsets match is taken as constant, otherwise the switch minute is
 * found by bisection. This assumes at most one offset change per week (and so none twice within
 * the ±24 h `toUtc` looks at), true of the zones' rules since 1970.
 */
export class ZoneClock {
  /** The clock as written in `--tz` (`EET`, `NY+7`, `Europe/London@-1`). */
  readonly zone: string;
  /** The IANA zone whose DST rule the clock follows. */
  readonly baseZone: string;
  /** Fixed amount added to the zone's offset, in ms (0 for a plain zone). */
  readonly shiftMs: number;
  kind = WALL_UNIQUE;
  laterUtc = NaN;
  private readonly format: Intl.DateTimeFormat;
  private readonly constantBlocks = new Map<number, number>();
  private readonly switchBlocks = new Map<number, { at: number; before: number; after: number }>();

  private constructor(zone: string, baseZone: string, shiftMs: number, format: Intl.DateTimeFormat) {
    this.zone = zone;
    this.baseZone = baseZone;
    this.shiftMs = shiftMs;
    this.format = format;
  }

  /**
   * The shared clock of a `--tz` value: an IANA zone (`UTC`, `EET`, `Etc/GMT-2`), `ZONE@+H`,
   * `ZONE@-H` or `ZONE@+H:MM` (the zone's offset plus a fixed shift of at most 12 h), or `NY+7`
   * (America/New_York + 7 h; `NY` stands for America/New_York before `@` too). Throws
   * CORE_CLI_USAGE for anything else.
   */
  static of(spec: string): ZoneClock {
    let clock = CLOCKS.get(spec);
    if (clock) return clock;
    const { zone, shiftMs } = parseClockSpec(spec);
    let format: Intl.DateTimeFormat;
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw clockUsage(spec);
    }
    clock = new ZoneClock(spec, zone, shiftMs, format);
    CLOCKS.set(spec, clock);
    return clock;
  }

  /** Local minus UTC, in ms, at a UTC instant. */
  offsetAt(utcMs: number): number {
    const block = Math.floor(utcMs / BLOCK_MS);
    const constant = this.constantBlocks.get(block);
    if (constant !== undefined) return constant;
    const change = this.switchBlocks.get(block);
    if (change) return utcMs < change.at ? change.before : change.after;
    this.learnBlock(block);
    return this.offsetAt(utcMs);
  }

  /**
   * UTC instant of a wall time (given as ms, the wall fields read as if UTC). Sets `kind`; a
   * skipped wall time maps like Temporal's `compatible` (offset from before the switch), a
   * repeated one returns the earlier instant.
   */
  toUtc(wallMs: number): number {
    const before = this.offsetAt(wallMs - DAY_MS);
    const after = this.offsetAt(wallMs + DAY_MS);
    this.kind = WALL_UNIQUE;
    if (before === after) return wallMs - before;
    const t1 = wallMs - before;
    const t2 = wallMs - after;
    const ok1 = this.offsetAt(t1) === before;
    const ok2 = this.offsetAt(t2) === after;
    if (ok1 && ok2) {
      this.kind = WALL_REPEATED;
      this.laterUtc = Math.max(t1, t2);
      return Math.min(t1, t2);
    }
    if (ok1) return t1;
    if (ok2) return t2;
    this.kind = WALL_SKIPPED;
    return t1;
  }

  /** Local wall time (as ms read as UTC) of a UTC instant. */
  toWall(utcMs: number): number {
    return utcMs + this.offsetAt(utcMs);
  }

  private learnBlock(block: number): void {
    const start = block * BLOCK_MS;
    const end = start + BLOCK_MS;
    const before = this.intlOffset(start);
    const after = this.intlOffset(end);
    if (before === after) {
      this.constantBlocks.set(block, before);
      return;
    }
    let lo = start;
    let hi = end;
    while (hi - lo > MINUTE_MS) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
      if (this.intlOffset(mid) === before) lo = mid;
      else hi = mid;
    }
    this.switchBlocks.set(block, { at: hi, before, after });
  }

  private intlOffset(utcMs: number): number {
    const instant = Math.floor(utcMs / 1000) * 1000;
    let year = 0,
      month = 0,
      day = 0,
      hour = 0,
      minute = 0,
      second = 0;
    for (const part of this.format.formatToParts(instant)) {
      switch (part.type) {
        case 'year':
          year = Number(part.value);
          break;
        case 'month':
          month = Number(part.value);
          break;
        case 'day':
          day = Number(part.value);
          break;
        case 'hour':
          hour = Number(part.value) % 24;
          break;
        case 'minute':
          minute = Number(part.value);
          break;
        case 'second':
          second = Number(part.value);
          break;
        default:
          break;
      }
    }
    return Date.UTC(year, month - 1, day, hour, minute, second) - instant + this.shiftMs;
  }
}

const MAX_SHIFT_MS = 12 * 3_600_000;
/** `+7`, `-1`, `+5:30`, `+05:30` after the zone. */
const SHIFT = /^([+-])(\d{1,2})(?::([0-5]\d))?$/;
/** `NY+7` and other `NY±H[:MM]` short forms. */
const NY_SHORT = /^NY([+-]\d{1,2}(?::[0-5]\d)?)$/i;

function clockUsage(spec: string): PtError {
  return new PtError(
    'CORE_CLI_USAGE',
    `unknown clock "${spec}" for --tz (expected an IANA zone such as UTC, EET, America/New_York, Etc/GMT-2; ` +
      `a shifted zone ZONE@+H or ZONE@-H such as America/New_York@+7 or EET@-1 (whole hours, or +H:MM); NY+7; or file)`,
    { source: 'csv', exitCode: 2 },
  );
}

/** `NY+7` → America/New_York + 7 h; `EET@-1` → EET − 1 h; a plain name → itself, no shift. */
function parseClockSpec(spec: string): { zone: string; shiftMs: number } {
  const short = NY_SHORT.exec(spec);
  const at = spec.lastIndexOf('@');
  if (!short && at < 0) return { zone: spec, shiftMs: 0 };
  const zoneText = short ? 'NY' : spec.slice(0, at);
  const shift = SHIFT.exec(short ? short[1]! : spec.slice(at + 1));
  if (!shift || zoneText === '') throw clockUsage(spec);
  const shiftMs = (shift[1] === '-' ? -1 : 1) * (Number(shift[2]) * 60 + Number(shift[3] ?? 0)) * 60_000;
  if (Math.abs(shiftMs) > MAX_SHIFT_MS) throw clockUsage(spec);
  return { zone: zoneText.toUpperCase() === 'NY' ? 'America/New_York' : zoneText, shiftMs };
}

const CLOCKS = new Map<string, ZoneClock>();
