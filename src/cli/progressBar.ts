// Progress on stderr: a one-line bar redrawn in place on a terminal wide enough for it; otherwise
// (no TTY, or a pseudo-terminal reporting 0 or a few columns, as Docker and CI ones do) plain lines,
// one per phase and at most one per 10 % step, so logs stay short and nothing depends on the width.
// Plain lines start only once the command has run a while: a quick run (or a quick failure, whose
// one ERROR line should stand alone) prints none.

/** Below this many columns the bar is not drawn (the label would not fit) and plain lines are written. */
export const MIN_BAR_COLUMNS = 20;
/** A plain line within one phase only after this long, so a fast phase prints one line. */
const PLAIN_MIN_INTERVAL_MS = 1000;
/** No plain line before the bar is this old. */
export const PLAIN_START_MS = 2000;

/** The part of a stream the bar uses (process.stderr, or a test's fake). */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export class ProgressBar {
  private lastDraw = 0;
  private drawn = false;
  private lastLabel: string | undefined;
  private lastDecile = -1;
  private lastLine = -Infinity;
  private readonly started: number;

  constructor(
    private readonly stream: ProgressStream = process.stderr,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  /** The terminal's width when a bar can be drawn in place, else undefined (plain lines). */
  private barColumns(): number | undefined {
    if (!this.stream.isTTY) return undefined;
    const columns = this.stream.columns;
    return typeof columns === 'number' && Number.isFinite(columns) && columns >= MIN_BAR_COLUMNS
      ? Math.floor(columns)
      : undefined;
  }

  /** Redraws at most every 50 ms, or at once when done. Never throws: progress must not fail a command. */
  update(label: string, done: number, total: number): void {
    try {
      const ratio = total > 0 && Number.isFinite(done) ? Math.max(0, Math.min(1, done / total)) : 0;
      const columns = this.barColumns();
      if (columns === undefined) this.plainLine(label, ratio);
      else this.draw(label, ratio, done >= total, columns);
    } catch {
      // A closed or odd stream only loses the progress display.
    }
  }

  private draw(label: string, ratio: number, complete: boolean, columns: number): void {
    const now = this.now();
    if (!complete && now - this.lastDraw < 50) return;
    this.lastDraw = now;
    const width = 30;
    const filled = Math.round(ratio * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const text = `${bar} ${percent(ratio)} ${label}`;
    this.stream.write(`\r${text.slice(0, columns - 1).padEnd(columns - 1)}`);
    this.drawn = true;
  }

  private plainLine(label: string, ratio: number): void {
    const now = this.now();
    if (now - this.started < PLAIN_START_MS) return;
    const decile = Math.floor(ratio * 10);
    const newPhase = label !== this.lastLabel;
    if (!newPhase && (decile <= this.lastDecile || now - this.lastLine < PLAIN_MIN_INTERVAL_MS)) return;
    this.lastLabel = label;
    this.lastDecile = decile;
    this.lastLine = now;
    this.stream.write(`progress ${percent(ratio)} ${label}\n`);
  }

  /** Clears a drawn bar so the summary lines print on a clean line. */
  finish(): void {
    try {
      if (!this.drawn) return;
      this.drawn = false;
      const columns = this.barColumns();
      // The width may have changed since the last draw; without a usable one, a newline ends the bar's line.
      this.stream.write(columns === undefined ? '\n' : `\r${' '.repeat(columns - 1)}\r`);
    } catch {
      // as in update
    }
  }
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(0).padStart(3)}%`;
}
