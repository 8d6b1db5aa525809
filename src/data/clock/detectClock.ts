// pt ingest --detect-clock: which clock a bar file was written in, from where its weekends and
// daily breaks fall. Pure: the caller reads the file (wall times as written) and prints the verdict.
import { ZoneClock } from '../../core/zoneClock.js';
import {
  endsAtWeeklyClose,
  fitsWeeklyOpen,
  startsDailyBreak,
  WEEKEND_GAP_MS,
  type ClockMarket,
} from './marketClockEvents.js';

/**
 * The clocks tried, in the order a tie is settled: UTC; EET (EU DST, +2/+3: most MT4/MT5 brokers);
 * NY+7 (US DST, +2/+3: "New York close" brokers); Europe/London (+0/+1); the fixed Etc/GMT-2 and
 * Etc/GMT-3 (brokers that never switch).
 */
export const CLOCK_CANDIDATES = ['UTC', 'EET', 'NY+7', 'Europe/London', 'Etc/GMT-2', 'Etc/GMT-3'] as const;

const HOUR_MS = 3_600_000;

export type ClockEventKind = 'weeklyOpen' | 'weeklyClose' | 'dailyBreak';

interface ClockEvent {
  kind: ClockEventKind;
  /** Wall time the check converts: the bar's open (weekly open/close) or the gap's start (break). */
  wall: number;
}

export interface ClockScore {
  clock: string;
  /** Checks this clock passes, of `checked` (the same checks for every clock). */
  agree: number;
  byKind: Record<ClockEventKind, { agree: number; checked: number }>;
}

export interface ClockVerdict {
  /** The clock to pass as --tz; null when the file has nothing to check. */
  clock: string | null;
  confidence: 'high' | 'medium' | 'low';
  /** Every candidate, best first. */
  scores: ClockScore[];
  checked: number;
  /** Checks where EET and NY+7 differ: they fall in the weeks between the US and EU DST switches. */
  usOnlyDstChecks: number;
  /** One line saying why the confidence is what it is. */
  reason: string;
}

/** The checks a file offers, from its wall times (ascending, one per bar). */
function clockEvents(walls: ArrayLike<number>, count: number, tfMs: number, market: ClockMarket): ClockEvent[] {
  const events: ClockEvent[] = [];
  for (let i = 1; i < count; i++) {
    const gap = walls[i]! - (walls[i - 1]! + tfMs);
    if (gap >= WEEKEND_GAP_MS) {
      events.push({ kind: 'weeklyClose', wall: walls[i - 1]! }, { kind: 'weeklyOpen', wall: walls[i]! });
    } else if (market === 'metals' && tfMs <= HOUR_MS && gap === HOUR_MS) {
      // A one-hour hole inside the week: the metals daily break (a 4h bar hides it).
      events.push({ kind: 'dailyBreak', wall: walls[i - 1]! + tfMs });
    }
  }
  return events;
}

function passes(event: ClockEvent, clock: ZoneClock, tfMs: number, market: ClockMarket): boolean {
  const utc = clock.toUtc(event.wall);
  if (event.kind === 'weeklyOpen') return fitsWeeklyOpen(utc, tfMs, market);
  if (event.kind === 'weeklyClose') return endsAtWeeklyClose(utc, tfMs);
  return startsDailyBreak(utc);
}

const US_ONLY_NOTE =
  'the weeks between the US and EU DST switches (2nd Sunday of March → last Sunday of March, last Sunday of October → 1st Sunday of November) are what tell EET from NY+7';

/**
 * Scores each candidate clock on the file's weekly opens and closes and (metals, 15m/1h) daily
 * breaks. `walls` are bar open times as written in the file, read as if UTC, ascending.
 */
export function detectClock(
  walls: ArrayLike<number>,
  count: number,
  tfMs: number,
  market: ClockMarket,
  candidates: readonly string[] = CLOCK_CANDIDATES,
): ClockVerdict {
  const events = clockEvents(walls, count, tfMs, market);
  const results = candidates.map((name) => {
    const clock = ZoneClock.of(name);
    return events.map((e) => passes(e, clock, tfMs, market));
  });
  const scores: ClockScore[] = candidates.map((clock, c) => {
    const byKind = {
      weeklyOpen: { agree: 0, checked: 0 },
      weeklyClose: { agree: 0, checked: 0 },
      dailyBreak: { agree: 0, checked: 0 },
    };
    let agree = 0;
    events.forEach((e, k) => {
      byKind[e.kind].checked++;
      if (results[c]![k]) {
        byKind[e.kind].agree++;
        agree++;
      }
    });
    return { clock, agree, byKind };
  });
  // Stable sort: a tie keeps the candidates' order.
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]!.agree - scores[a]!.agree || a - b);
  const sorted = order.map((i) => scores[i]!);
  const eet = ZoneClock.of('EET');
  const nyClose = ZoneClock.of('NY+7');
  const usOnlyDstChecks = events.filter((e) => eet.toUtc(e.wall) !== nyClose.toUtc(e.wall)).length;
  const checked = events.length;
  if (checked === 0)
    return {
      clock: null,
      confidence: 'low',
      scores: sorted,
      checked,
      usOnlyDstChecks,
      reason: 'the file has no weekend and no daily break to check (it needs at least one full week of bars)',
    };
  const top = sorted[0]!;
  const second = sorted[1];
  const lead = second ? top.agree - second.agree : top.agree;
  const share = top.agree / checked;
  const eetOrNy = top.clock === 'EET' || top.clock === 'NY+7';
  let confidence: ClockVerdict['confidence'];
  let reason: string;
  if (lead === 0) {
    confidence = 'low';
    reason = `${top.clock} and ${second!.clock} read every check of this file alike`;
    if (eetOrNy && (second!.clock === 'EET' || second!.clock === 'NY+7') && usOnlyDstChecks === 0)
      reason += `: the file has none of ${US_ONLY_NOTE}`;
    else if (tfMs > HOUR_MS)
      reason += `: a ${tfMs / HOUR_MS}h bar hides a one-hour shift, so run --detect-clock on a 1h or 15m export of the same server`;
    else reason += '; a longer file (both DST seasons) would tell them apart';
  } else if (eetOrNy && usOnlyDstChecks === 0) {
    confidence = 'low';
    reason = `the file has none of ${US_ONLY_NOTE}`;
  } else if (share >= 0.9 && lead >= 2) {
    confidence = 'high';
    reason = `${top.agree} of ${checked} checks agree`;
  } else if (share >= 0.6) {
    confidence = 'medium';
    reason = `${top.agree} of ${checked} checks agree, ${lead} more than the runner-up`;
  } else {
    confidence = 'low';
    reason = `only ${top.agree} of ${checked} checks agree (gaps or sessions unlike FX/metals?)`;
  }
  return { clock: top.clock, confidence, scores: sorted, checked, usOnlyDstChecks, reason };
}

function ratio(x: { agree: number; checked: number }): string {
  return x.checked === 0 ? '-' : `${x.agree}/${x.checked}`;
}

/** What the file holds beside its times, checked against the verdict by the caller. */
export interface VerdictNotes {
  symbol: string;
  timeframe: string;
  /** Rows whose timestamp carries an offset (`+00:00`), and of those, how many the verdict's clock contradicts. */
  written?: { rows: number; disagree: number; first: { offsetMs: number; clockOffsetMs: number } | null };
  /** Bars that the verdict's clock puts off the 4h UTC grid (an H4 file on a broker clock). */
  offGrid4h?: number;
  /** Rows read at the grid point before them (MT4's hh:05 stamps). */
  moved?: number;
}

/** `+02:00` */
function offsetText(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  return `${ms < 0 ? '-' : '+'}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The `pass:` line and any notes after it: wrong written offsets, an H4 file off the UTC grid, snapped rows. */
function passLines(clock: string, notes: VerdictNotes | undefined): string[] {
  const w = notes?.written;
  const lines: string[] = [];
  if (w && w.rows > 0 && w.disagree > 0) {
    const eg = w.first
      ? ` (e.g. ${offsetText(w.first.offsetMs)} where ${clock} is ${offsetText(w.first.clockOffsetMs)})`
      : '';
    lines.push(
      `offsets: ${w.disagree} of ${w.rows} timestamps carry an offset that disagrees with ${clock}${eg}: ` +
        `the offsets are wrong, so read the wall times with --ignore-offsets`,
    );
    lines.push(`pass: --tz ${clock} --ignore-offsets`);
  } else if (w && w.rows > 0) {
    lines.push(`offsets: the ${w.rows} offsets written in the file agree with ${clock}`);
    lines.push(`pass: --tz ${clock} (or --tz file)`);
  } else lines.push(`pass: --tz ${clock}`);
  if (notes?.offGrid4h)
    lines.push(
      `note: read with --tz ${clock}, ${notes.offGrid4h} bars of this 4h file sit off the 4h UTC grid (00/04/08/12/16/20 UTC), ` +
        `so pt ingest will refuse it: ingest the broker's H1 file with --tz ${clock}, then run ` +
        `pt resample --source-timeframe 1h --timeframe 4h --symbols ${notes.symbol}`,
    );
  if (notes?.moved)
    lines.push(
      `note: ${notes.moved} rows sit 1 minute or more after the ${notes.timeframe} grid (e.g. MT4's hh:05 stamps) and were read at the grid point before them; ` +
        `pt ingest refuses such rows unless --snap is given (it moves only rows 1–5 minutes late)`,
    );
  return lines;
}

/** The lines `pt ingest --detect-clock` prints: a table of the candidates, the verdict, the flags. */
export function formatClockVerdict(label: string, v: ClockVerdict, notes?: VerdictNotes): string[] {
  const lines = [
    `${label}: ${v.checked} checks (${v.usOnlyDstChecks} in the weeks between the US and EU DST switches)`,
  ];
  const width = Math.max(...v.scores.map((s) => s.clock.length), 5);
  lines.push(`${'clock'.padEnd(width)}  agree      weekly open  weekly close  daily break`);
  for (const s of v.scores)
    lines.push(
      `${s.clock.padEnd(width)}  ${`${s.agree}/${v.checked}`.padEnd(9)}  ${ratio(s.byKind.weeklyOpen).padEnd(11)}  ` +
        `${ratio(s.byKind.weeklyClose).padEnd(12)}  ${ratio(s.byKind.dailyBreak)}`,
    );
  if (v.clock === null) {
    lines.push(`verdict: none (${v.reason})`);
    return lines;
  }
  const second = v.scores[1];
  lines.push(
    `verdict: ${v.clock}, confidence ${v.confidence} (${v.reason}` +
      (second ? `; runner-up ${second.clock} ${second.agree}/${v.checked})` : ')'),
  );
  lines.push(...passLines(v.clock, notes));
  return lines;
}
