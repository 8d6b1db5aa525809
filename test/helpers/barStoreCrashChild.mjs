// Child process of the bar-store crash test: runs the CRASH_PLAN ingest, resuming from each watermark.
// Usage: node barStoreCrashChild.mjs <dataRoot>. Prints "ready" once the store is open, "u" as each upsert starts, and "done" at the end.
import { openBarStore } from '../../dist/adapters/duckdb/index.js';
import { CRASH_PLAN, crashChunkBars, crashChunkCount, crashChunkTimes, SOURCE } from './barFixtures.mjs';

const root = process.argv[2];
if (!root) throw new Error('usage: barStoreCrashChild.mjs <dataRoot>');
const store = await openBarStore(root);
const resumeAfter = new Map();
for (const symbol of CRASH_PLAN.symbols)
  resumeAfter.set(symbol, (await store.readWatermark(symbol, '1h'))?.last_ts ?? -Infinity);
process.stdout.write('ready\n');
const n = crashChunkCount();
for (let i = 0; i < n; i++) {
  const times = crashChunkTimes(i);
  const maxTs = times[times.length - 1];
  for (const symbol of CRASH_PLAN.symbols) {
    // SPEC §1.2: a restarted ingest resumes after the watermark; a chunk it fully covers is done.
    if (maxTs <= resumeAfter.get(symbol)) continue;
    process.stdout.write('u\n');
    await store.upsert(symbol, '1h', crashChunkBars(symbol, i), SOURCE);
  }
}
await store.close();
process.stdout.write('done\n');
