// Child process of the live-cache crash test: commits one bar after another (bar, feature state, position, seq) until killed.
// Usage: node liveCacheChild.mjs <cacheFile>. Prints "<seq>" after each commit; resumes after the cached seq.
import { openSqliteLiveCache } from '../../dist/adapters/sqlite/sqliteLiveCache.js';

const path = process.argv[2];
if (!path) throw new Error('usage: liveCacheChild.mjs <cacheFile>');
const cache = openSqliteLiveCache(path, { maxBarsPerPair: 50 });
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5);
let seq = cache.seq() ?? 0;
for (;;) {
  seq++;
  const tsMs = T0 + seq * HOUR;
  cache.commitBar(() => {
    for (const pair of ['EURUSD_GBPUSD', 'XAUUSD_XAGUSD']) {
      const p = 1 + seq / 1000;
      cache.putBar(pair, {
        tsMs,
        aOpen: p,
        aHigh: p + 0.01,
        aLow: p - 0.01,
        aClose: p,
        bOpen: 2 * p,
        bHigh: 2 * p + 0.01,
        bLow: 2 * p - 0.01,
        bClose: 2 * p,
      });
      // A state large enough that a commit spans several pages.
      cache.saveFeatureState(pair, tsMs, JSON.stringify({ seq, pad: 'x'.repeat(6000) }));
      cache.setPosition(pair, { side: seq % 2 === 0 ? 1 : -1, lotsA: seq / 100, lotsB: -seq / 100, openedTsMs: tsMs });
    }
    cache.setSeq(seq);
  });
  process.stdout.write(`${seq}\n`);
}
