// pt ingest --detect-clock: read one csv file as written (no zone applied), score the candidate
// clocks, print the verdict. Writes nothing.
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { PtError } from '../../core/ptError.js';
import { timeframeMs } from '../../core/time.js';
import { inferSymbolFromFileName, readCsvBars } from '../../adapters/csv/index.js';
import { clockMarketOf } from '../../data/clock/marketClockEvents.js';
import { detectClock, formatClockVerdict } from '../../data/clock/detectClock.js';
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
  const verdict = detectClock(walls, walls.length, timeframeMs(options.timeframe), market);
  const label = `${symbol} ${options.timeframe} ${basename(path)} (${market}, ${walls.length} bars)`;
  for (const line of formatClockVerdict(label, verdict)) process.stdout.write(`${line}\n`);
  return 0;
}
