// A one-line progress bar on stderr, drawn only when stderr is a TTY (cron and CI logs stay clean).

export class ProgressBar {
  private readonly enabled: boolean;
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.enabled = Boolean(stream.isTTY);
  }

  /** Redraws at most every 50 ms, or at once when done. */
  update(label: string, done: number, total: number): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (done < total && now - this.lastDraw < 50) return;
    this.lastDraw = now;
    const width = 30;
    const ratio = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(ratio * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const columns = this.stream.columns ?? 100;
    this.stream.write(
      `\r${`${bar} ${(ratio * 100).toFixed(0).padStart(3)}% ${label}`.slice(0, columns - 1).padEnd(columns - 1)}`,
    );
    this.drawn = true;
  }

  /** Clears the bar so the summary lines print on a clean line. */
  finish(): void {
    if (!this.enabled || !this.drawn) return;
    this.stream.write(`\r${' '.repeat((this.stream.columns ?? 100) - 1)}\r`);
    this.drawn = false;
  }
}
