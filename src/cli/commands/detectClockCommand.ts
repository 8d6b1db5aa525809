// pt ingest --detect-clock: read one csv file as written (no zone applied), score the candidate
// clocks, print the verdict. Writes nothing.
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { PtError } from '../../core/ptError.js';
import { timeframeMs } from '../../core/time.js';
import { inferSymbolFromFileName, readCsvBars } from '../../adapters/csv/index.js';
import { clockMarketOf } from '../../data/clock/marketClockEvents.js';
import { detectClock, formatClockVerdict, type VerdictNotes } from '../../data/clock/detectClock.js';
import { ZoneClock } from '../../core/zoneClock.js';
import type { WrittenOffsets } from '../../adapters/csv/index.js';
import type { IngestOptions } from '../options/parseIngestOptions.js';

export async function runDetectClock(options: IngestOptions): Promise<number> {
  const path = options.path!;
  if (!existsSync(path)) throw new PtError('DATA_INPUT_MISSING', `--path ${path} does not exist`, { exitCode: 2 });
  if (statSync(path).isDirectory())
    throw new PtError('CORE_CLI_USAGE', '--detect-clock reads one file: pass --path FILE, not a folder', {
      exitCode: 2,
    });
  const symbol = options.symbols[0] ?? inferSymbolFromFileName(basename(path));
  if (!symbol)
    throw new PtError('CORE_CLI_USAGE', `cannot tell the symbol of ${basename(path)}: pass --symbols`, { exitCode: 2 });
  const read = await readCsvBars(path, {
    symbol,
    timeframe: options.timeframe,
    ingestRunId: 'detect-clock',
    wallClock: true,
  });
  const walls = read.bars.map((b) => b.ts_utc);
  const market = clockMarketOf(symbol);
  const tfMs = timeframeMs(options.timeframe);
  const verdict = detectClock(walls, walls.length, tfMs, market);
  const label = `${symbol} ${options.timeframe} ${basename(path)} (${market}, ${walls.length} bars)`;
  const notes: VerdictNotes = { symbol, timeframe: options.timeframe, moved: read.stats.snapped };
  if (verdict.clock !== null) {
    const clock = ZoneClock.of(verdict.clock);
    if (read.writtenOffsets) notes.written = checkWrittenOffsets(read.writtenOffsets, clock);
    if (options.timeframe === '4h') notes.offGrid4h = walls.filter((w) => clock.toUtc(w) % tfMs !== 0).length;
  }
  for (const line of formatClockVerdict(label, verdict, notes)) process.stdout.write(`${line}\n`);
  return 0;
}

/** Rows with a written offset, and how many of them name another instant than `clock` gives their wall time. */
function checkWrittenOffsets(w: WrittenOffsets, clock: ZoneClock): NonNullable<VerdictNotes['written']> {
  let rows = 0;
  let disagree = 0;
  let first: { offsetMs: number; clockOffsetMs: number } | null = null;
  for (let i = 0; i < w.count; i++) {
    const offsetMs = w.offset[i]!;
    if (Number.isNaN(offsetMs)) continue;
    rows++;
    const utc = clock.toUtc(w.wall[i]!);
    if (w.wall[i]! - offsetMs === utc) continue;
    disagree++;
    first ??= { offsetMs, clockOffsetMs: clock.offsetAt(utc) };
  }
  return { rows, disagree, first };
}
