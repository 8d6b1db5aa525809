// A process that takes a shard's live lock (from the built dist/), for the shard lock test: plain ESM, run by node alone.
// node shardLockChild.mjs <dataDir> <shard>: prints `held` and holds until killed, or `refused <id> <message>` and exits 1.
import { acquireShardLock } from '../../dist/live/shardLock.js';

const [dataDir, shard] = process.argv.slice(2);
try {
  await acquireShardLock(dataDir, Number(shard));
  process.stdout.write('held\n');
  setInterval(() => undefined, 1000);
} catch (e) {
  process.stdout.write(`refused ${e.id} ${e.message}\n`);
  process.exit(1);
}
